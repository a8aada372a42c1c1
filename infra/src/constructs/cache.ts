import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../nag';

export interface CacheProps {
  vpc: ec2.IVpc;
  mode: 'replication-group' | 'serverless';
  nodeType: string;
}

/** Valkey's port, off the default 6379. */
export const cachePort = 6380;

/**
 * ElastiCache for the run event log (streams), the live-data connection registry and fan-out:
 * Valkey with TLS in transit, encryption at rest and an AUTH password from Secrets Manager.
 * Either a two-node Multi-AZ replication group or ElastiCache Serverless.
 */
export class Cache extends Construct {
  readonly securityGroup: ec2.SecurityGroup;
  /** `{ username?, password }`: the Lambdas build `rediss://` URLs from it (HANGAR_REDIS_AUTH_SECRET_ARN). */
  readonly authSecret: secretsmanager.Secret;
  /** `rediss://host:port` without credentials (HANGAR_REDIS_URL). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'Hangar ElastiCache at rest and its AUTH secret' });
    const username = props.mode === 'serverless' ? 'hangar' : undefined;
    this.authSecret = new secretsmanager.Secret(this, 'AuthSecret', {
      description: 'Hangar ElastiCache AUTH password',
      encryptionKey: key,
      generateSecretString: {
        secretStringTemplate: JSON.stringify(username ? { username } : {}),
        generateStringKey: 'password',
        excludePunctuation: true,
        passwordLength: 64,
      },
    });
    acknowledge(this.authSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'ElastiCache AUTH tokens are rotated with ModifyReplicationGroup (AuthTokenUpdateStrategy ROTATE); there is no Secrets Manager rotation template for it. DEPLOY.md describes the rotation.',
      },
    ]);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Hangar ElastiCache',
      allowAllOutbound: false,
    });
    const subnetIds = props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds;
    const password = this.authSecret.secretValueFromJson('password').unsafeUnwrap();

    if (props.mode === 'serverless') {
      const user = new elasticache.CfnUser(this, 'User', {
        engine: 'valkey',
        userId: 'hangar-app',
        userName: 'hangar',
        accessString: 'on ~* &* +@all',
        authenticationMode: { Type: 'password', Passwords: [password] },
      });
      const group = new elasticache.CfnUserGroup(this, 'UserGroup', {
        engine: 'valkey',
        userGroupId: 'hangar-app',
        userIds: [user.userId],
      });
      group.addDependency(user);
      const cache = new elasticache.CfnServerlessCache(this, 'Serverless', {
        engine: 'valkey',
        serverlessCacheName: 'hangar',
        majorEngineVersion: '8',
        kmsKeyId: key.keyArn,
        securityGroupIds: [this.securityGroup.securityGroupId],
        subnetIds,
        userGroupId: group.userGroupId,
      });
      cache.addDependency(group);
      this.url = `rediss://${cache.attrEndpointAddress}:${cache.attrEndpointPort}`;
      return;
    }

    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'Subnets', {
      description: 'Hangar ElastiCache (isolated subnets)',
      subnetIds,
    });
    const group = new elasticache.CfnReplicationGroup(this, 'ReplicationGroup', {
      replicationGroupDescription: 'Hangar run events, live-data subscriptions and fan-out',
      engine: 'valkey',
      engineVersion: '8.0',
      cacheNodeType: props.nodeType,
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      port: cachePort,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      kmsKeyId: key.keyArn,
      authToken: password,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      snapshotRetentionLimit: 1,
    });
    group.applyRemovalPolicy(RemovalPolicy.DESTROY);
    this.url = `rediss://${group.attrPrimaryEndPointAddress}:${group.attrPrimaryEndPointPort}`;
  }

  /** Lets a security group reach the cache, and a role read the AUTH secret. */
  allow(peer: ec2.ISecurityGroup, reader: iam.IGrantable): void {
    // 6380 is the replication group's port; Serverless listens on 6379 (primary) and 6380 (readers).
    this.securityGroup.addIngressRule(peer, ec2.Port.tcpRange(6379, cachePort), 'Hangar Lambdas to ElastiCache');
    this.authSecret.grantRead(reader);
  }
}
