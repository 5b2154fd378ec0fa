import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { FUNCTION_ENTRIES } from '../function-bundling.js';
import { acknowledgeWildcards } from '../nag-findings.js';
import { grantConfigRead } from './checkup-config.js';
import { CheckupFunction } from './checkup-function.js';

/** The CloudWatch namespace of every Checkup metric (EMF, written by the functions). */
export const METRICS_NAMESPACE = 'Checkup';

export interface CheckScheduleProps {
  /** The bucket runs are written to (possibly in another region). */
  readonly resultsBucket: s3.IBucket;
  /** The region of the results bucket. @default - this stack's region */
  readonly resultsRegion?: string;
  /** When set, runs go to this table instead of run files (summaries stay in the bucket). */
  readonly table?: dynamodb.ITable;
  /**
   * How long stored runs are kept: with a table, each row expires (TTL) this long after its run.
   * @default Duration.days(90)
   */
  readonly checkExpiry?: Duration;
  /** The SSM parameter holding checkup.json. */
  readonly configParameterName: string;
  /** The region that holds the config parameter. @default - this stack's region */
  readonly configRegion?: string;
  /** How often to check; whole minutes. @default Duration.minutes(1) */
  readonly interval?: Duration;
  /** Where the invalid-config alarm goes. @default - the alarm has no action */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Per-endpoint CloudWatch metrics (Up, Latency) in EMF. Each endpoint adds two custom
   * metrics ($0.30 each a month at list price).
   * @default true
   */
  readonly endpointMetrics?: boolean;
  /**
   * The SNS topics the deployment's notify function may publish to: a config with an `sns`
   * notifier for another topic is reported invalid (and the last valid config keeps running).
   * @default - not checked (checks from another region: the home stack checks)
   */
  readonly alertTopicArns?: readonly string[];
}

/**
 * The check function and the EventBridge rule that fires it every `interval`. The function may
 * write run files under the run prefix and read and write the last valid config; nothing else.
 */
export class CheckSchedule extends Construct {
  readonly checkFunction: CheckupFunction;
  readonly rule: events.Rule;
  readonly invalidConfigAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: CheckScheduleProps) {
    super(scope, id);
    const interval = props.interval ?? Duration.minutes(1);
    const minutes = interval.toMinutes({ integral: false });
    if (!Number.isInteger(minutes) || minutes < 1) {
      throw new Error(
        `schedule: ${interval.toHumanString()} is not a whole number of minutes (EventBridge rates are)`,
      );
    }
    const bucket = props.resultsBucket;
    const region = Stack.of(this).region;
    this.checkFunction = new CheckupFunction(this, 'Check', {
      entry: FUNCTION_ENTRIES.check,
      description: 'Checkup: runs every checker and stores the run',
      // A run must end before the next one starts; checkers time out well before this.
      timeout: Duration.seconds(Math.min(60 * minutes - 5, 300)),
      environment: {
        CHECKUP_STORAGE: props.table ? 'dynamodb' : 's3',
        CHECKUP_BUCKET: bucket.bucketName,
        CHECKUP_BUCKET_REGION: props.resultsRegion ?? region,
        ...(props.table
          ? {
              CHECKUP_TABLE: props.table.tableName,
              // The table's TTL removes rows whose `expires` has passed; the function sets it.
              CHECKUP_CHECK_EXPIRY_MS: String((props.checkExpiry ?? Duration.days(90)).toMilliseconds()),
            }
          : {}),
        CHECKUP_RUN_PREFIX: RESULTS_LAYOUT.runPrefix,
        CHECKUP_SUMMARY_KEY: RESULTS_LAYOUT.summaryKey,
        CHECKUP_PAGE_KEY: RESULTS_LAYOUT.pageKey,
        CHECKUP_BADGE_PREFIX: RESULTS_LAYOUT.badgePrefix,
        CHECKUP_LAST_VALID_CONFIG_KEY: RESULTS_LAYOUT.lastValidConfigKey,
        CHECKUP_CONFIG_PARAMETER: props.configParameterName,
        CHECKUP_CONFIG_REGION: props.configRegion ?? region,
        CHECKUP_INTERVAL_MS: String(interval.toMilliseconds()),
        CHECKUP_METRICS_NAMESPACE: METRICS_NAMESPACE,
        CHECKUP_ENDPOINT_METRICS: props.endpointMetrics === false ? 'off' : 'on',
        ...(props.alertTopicArns ? { CHECKUP_ALERT_TOPIC_ARNS: JSON.stringify(props.alertTopicArns) } : {}),
      },
    });
    // A run late or twice is worse than a run missed: the next tick checks again. EventBridge
    // does not retry (below), and neither may Lambda's own async retries (2 by default), which
    // would start a failed run again up to minutes later, beside the next scheduled one. An
    // event still queued (throttled) after one interval is dropped for the same reason.
    this.checkFunction.function.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.seconds(Math.max(60, 60 * minutes)),
    });
    // No reserved concurrency, on purpose: runs cannot overlap anyway (the timeout is shorter
    // than the interval, and nothing retries), and reserving even 1 fails the deploy in a new
    // account, whose whole quota is often 10 and Lambda keeps 10 unreserved.
    const role = this.checkFunction.role;
    if (props.table) {
      // DynamodbStorage: the run, one item per result, the latest per endpoint, and the summary
      // item (read, then written conditionally); runs read back when the summary catches up.
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'StoreRunsAndSummary',
          actions: ['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:Query'],
          resources: [props.table.tableArn],
        }),
      );
      // The run file and the summary are mirrored into the bucket for the page and notify.
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'MirrorRunsAndSummary',
          actions: ['s3:PutObject'],
          resources: [
            bucket.arnForObjects(`${RESULTS_LAYOUT.runPrefix}*`),
            bucket.arnForObjects(RESULTS_LAYOUT.summaryKey),
          ],
        }),
      );
    } else {
      // S3Storage: writes the run file, then brings the summary up to date (reads it, lists and
      // reads runs newer than it, writes it and reads it back; the listing is ListResults below).
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'StoreRunsAndSummary',
          actions: ['s3:PutObject', 's3:GetObject'],
          resources: [
            bucket.arnForObjects(`${RESULTS_LAYOUT.runPrefix}*`),
            bucket.arnForObjects(RESULTS_LAYOUT.summaryKey),
          ],
        }),
      );
    }
    acknowledgeWildcards(role, [
      [
        bucket.arnForObjects(`${RESULTS_LAYOUT.runPrefix}*`),
        'Each run is a new file named by its time, so the key is not known in advance; confined to the run prefix.',
      ],
      [
        bucket.arnForObjects(`${RESULTS_LAYOUT.badgePrefix}*`),
        'One badge per endpoint, named by the endpoint, and endpoints change with the config; confined to the badge prefix.',
      ],
    ]);
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PublishPageSettingsAndBadges',
        actions: ['s3:PutObject'],
        resources: [
          bucket.arnForObjects(RESULTS_LAYOUT.pageKey),
          bucket.arnForObjects(`${RESULTS_LAYOUT.badgePrefix}*`),
        ],
      }),
    );
    // S3 answers a read of a key that does not exist yet (the summary and the last valid config on
    // a fresh stack) with 404 only to a caller allowed to list the bucket, and with 403 to anyone
    // else. A GET carries no s3:prefix, so only a listing grant without a prefix condition counts.
    role.addToPolicy(listResultsStatement(bucket));
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'KeepLastValidConfig',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [bucket.arnForObjects(RESULTS_LAYOUT.lastValidConfigKey)],
      }),
    );
    grantConfigRead(role, this, props.configParameterName, props.configRegion);

    this.rule = new events.Rule(this, 'Rule', {
      description: `Checkup: check every ${interval.toHumanString()}`,
      schedule: events.Schedule.rate(interval),
      targets: [
        new targets.LambdaFunction(this.checkFunction.function, {
          // A missed run is replaced by the next one: retrying it late would only store stale results.
          retryAttempts: 0,
          maxEventAge: Duration.seconds(Math.max(60, 60 * minutes)),
        }),
      ],
    });

    this.invalidConfigAlarm = new cloudwatch.Alarm(this, 'InvalidConfigAlarm', {
      alarmDescription:
        'The config in SSM does not validate: checks go on with the last valid one. See the check function log for the problem and its place.',
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'ConfigInvalid',
        statistic: 'Sum',
        period: Duration.minutes(Math.max(5, minutes)),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic)
      this.invalidConfigAlarm.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
  }
}

/**
 * `s3:ListBucket` on the results bucket with no prefix condition. Needed by every function that
 * reads an object which may not exist yet: S3 answers such a GET with 404 NoSuchKey only to a
 * caller allowed to list the bucket, and with 403 AccessDenied to any other, which the functions
 * rightly never take for "absent". The listing shows keys only, of a bucket the role already reads.
 */
export function listResultsStatement(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ListResults',
    actions: ['s3:ListBucket'],
    resources: [bucket.bucketArn],
  });
}
