import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge, arnFinding } from '../nag';

/**
 * App-agent triggers: an EventBridge Scheduler group the control plane creates and deletes
 * schedules in, and the role those schedules assume. The scheduler adapter (a later issue)
 * chooses the target and grants the role its invoke permission with `grantTarget`.
 */
export class Schedules extends Construct {
  readonly group: scheduler.CfnScheduleGroup;
  readonly groupName = 'hangar-app-agents';
  readonly role: iam.Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.group = new scheduler.CfnScheduleGroup(this, 'Group', { name: this.groupName });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Hangar app-agent schedules: the identity a schedule invokes its target with',
    });
  }

  /** Lets the control plane manage schedules in this group only, passing only this role. */
  grantManage(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
        resources: [Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.groupName}/*` })],
      }),
    );
    this.role.grantPassRole(grantee.grantPrincipal);
    acknowledge(grantee as unknown as IConstruct, [
      {
        id: arnFinding('scheduler', `schedule/${this.groupName}/*`),
        reason: 'Schedules are created per app agent at run time; the grant covers the Hangar schedule group only.',
      },
    ]);
  }

  /** Lets schedules invoke a target (called once the scheduler adapter picks one). */
  grantTarget(grant: (role: iam.IRole) => void): void {
    grant(this.role);
  }
}
