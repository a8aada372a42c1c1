import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A cdk-nag finding this construct accepts, and why. The reason must say why it is safe here. */
export interface Acknowledgement {
  id: string;
  reason: string;
}

/** The logical id cdk-nag prints for a construct's resource inside ARN findings (`<LogicalId>`). */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

/** cdk-nag's rendering of a wildcard ARN of this stack's partition, region and account. */
export const arnFinding = (service: string, resource: string) =>
  `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${resource}]`;

/** Records acknowledgements on a construct (and so on every resource under it). */
export function acknowledge(scope: IConstruct, acknowledgements: Acknowledgement[]): void {
  for (const { id, reason } of acknowledgements) {
    if (reason.trim().length < 20) throw new Error(`acknowledgement ${id} needs a specific reason`);
  }
  Validations.of(scope).acknowledge(...acknowledgements);
}
