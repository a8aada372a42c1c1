import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';

export interface NetworkProps {
  natGateways: number;
  interfaceEndpoints: boolean;
  logRetention: logs.RetentionDays;
}

/**
 * The VPC: public subnets for NAT only, private subnets (with egress) for Lambdas and worker
 * tasks, isolated subnets for DocumentDB and ElastiCache. Gateway and interface endpoints keep
 * image pulls, logs, queue, secret and key traffic off the NAT gateway (billed per GB).
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  /** Lambdas that talk to the data stores. */
  readonly functionsSecurityGroup: ec2.SecurityGroup;
  /** Builder worker tasks: HTTPS out only, no data-store access. */
  readonly workerSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: props.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      flowLogs: {
        rejected: {
          trafficType: ec2.FlowLogTrafficType.REJECT,
          destination: ec2.FlowLogDestination.toCloudWatchLogs(
            new logs.LogGroup(this, 'FlowLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY }),
          ),
        },
      },
    });

    this.functionsSecurityGroup = new ec2.SecurityGroup(this, 'FunctionsSecurityGroup', {
      vpc: this.vpc,
      description: 'Hangar control-plane Lambdas',
      allowAllOutbound: true,
    });
    this.workerSecurityGroup = new ec2.SecurityGroup(this, 'WorkerSecurityGroup', {
      vpc: this.vpc,
      description: 'Hangar builder worker tasks: HTTPS to the control plane and the model gateway only',
      allowAllOutbound: false,
    });
    this.workerSecurityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS to the control plane, the model gateway and AWS endpoints',
    );

    // S3 is a free gateway endpoint; the interface endpoints replace NAT traffic that is either
    // large (ECR image layers of the worker) or constant (logs, queue polling, secret reads).
    this.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const interfaceEndpoints: [string, ec2.InterfaceVpcEndpointAwsService][] = [
      ['EcrApiEndpoint', ec2.InterfaceVpcEndpointAwsService.ECR],
      ['EcrDockerEndpoint', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
      ['LogsEndpoint', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
      ['SecretsManagerEndpoint', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
      ['SqsEndpoint', ec2.InterfaceVpcEndpointAwsService.SQS],
      ['KmsEndpoint', ec2.InterfaceVpcEndpointAwsService.KMS],
    ];
    for (const [endpointId, service] of props.interfaceEndpoints ? interfaceEndpoints : []) {
      const endpoint = this.vpc.addInterfaceEndpoint(endpointId, {
        service,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        open: true,
      });
      acknowledge(endpoint, [
        {
          id: 'AwsSolutions-EC23',
          reason: 'The endpoint accepts HTTPS (443) from the VPC CIDR only; cdk-nag cannot read the CIDR because it is a token.',
        },
      ]);
    }
  }
}
