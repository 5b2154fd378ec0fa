import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/**
 * The alarm for a heartbeat: it fires when `metric` (a count emitted on every success) has no
 * data point for `periods` periods of `period` in a row. Missing data is breaching here, unlike in
 * alarmOn: silence is the very thing watched for (a monitor that stopped says nothing).
 */
export function alarmOnSilence(
  scope: Construct,
  id: string,
  metric: { namespace: string; metricName: string; period: Duration; periods: number },
  description: string,
  topic?: sns.ITopic,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: description,
    metric: new cloudwatch.Metric({
      namespace: metric.namespace,
      metricName: metric.metricName,
      statistic: 'Sum',
      period: metric.period,
    }),
    threshold: 1,
    evaluationPeriods: metric.periods,
    datapointsToAlarm: metric.periods,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  if (topic) {
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    // Told when it reports again too: the silence is over.
    alarm.addOkAction(new cloudwatchActions.SnsAction(topic));
  }
  return alarm;
}
