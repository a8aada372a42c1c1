import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OperationsProps {
  deadLetterQueues: sqs.IQueue[];
  functions: Record<string, lambda.IFunction>;
  /** The change-stream relay: its iterator age says how far behind live data is. */
  relay: lambda.IFunction | null;
  alarmEmail?: string;
  topicKey: kms.IKey;
}

/** Alarm thresholds, named so DEPLOY.md and the tests quote the same numbers. */
export const alarmThresholds = { deadLetterMessages: 1, lambdaErrorsPer5Min: 5, relayIteratorAgeMs: 60_000 } as const;

/**
 * Operations: an SNS topic (optionally emailed) that every alarm notifies: a message in any
 * dead-letter queue, Lambda errors, and the relay falling behind the change stream.
 */
export class Operations extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Alarms', { displayName: 'Hangar alarms', masterKey: props.topicKey, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const notify = (alarm: cloudwatch.Alarm) => {
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
      this.alarms.push(alarm);
    };

    props.deadLetterQueues.forEach((queue, index) =>
      notify(
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }).createAlarm(this, `DeadLetters${index}`, {
          alarmDescription: 'A run request failed every retry and is in the dead-letter queue',
          threshold: alarmThresholds.deadLetterMessages,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      ),
    );
    for (const [name, fn] of Object.entries(props.functions)) {
      notify(
        fn.metricErrors({ period: Duration.minutes(5) }).createAlarm(this, `${name}Errors`, {
          alarmDescription: `Hangar ${name} Lambda errors`,
          threshold: alarmThresholds.lambdaErrorsPer5Min,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    if (props.relay) {
      const iteratorAge = new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName: 'IteratorAge',
        dimensionsMap: { FunctionName: props.relay.functionName },
        statistic: 'Maximum',
        period: Duration.minutes(1),
      });
      notify(
        iteratorAge.createAlarm(this, 'RelayIteratorAge', {
          alarmDescription: 'Live data is more than a minute behind the DocumentDB change stream',
          threshold: alarmThresholds.relayIteratorAgeMs,
          evaluationPeriods: 3,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
  }
}
