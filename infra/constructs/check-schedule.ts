import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../../functions/metric-names.js';
import { FUNCTION_ENTRIES } from '../function-bundling.js';
import { acknowledgeWildcards } from '../nag-findings.js';
import { alarmOn } from './alarm-on.js';
import { alarmOnSilence } from './alarm-on-silence.js';
import { CheckShards, DEFAULT_SHARD_SIZE } from './check-shards.js';
import { grantConfigRead } from './checkup-config.js';
import { CheckupFunction } from './checkup-function.js';
import { grantPublishSite, grantStoreRuns } from './results-grants.js';

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
  /** Where the invalid-config and errors alarms go. @default - the alarm has no action */
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
  /**
   * Checks one invocation runs: a config with more is fanned out in shards of at most this many
   * over SQS (docs/scale.md). @default DEFAULT_SHARD_SIZE (500)
   */
  readonly shardSize?: number;
  /** Shard invocations at once. @default DEFAULT_SHARD_CONCURRENCY (50) */
  readonly shardConcurrency?: number;
  /**
   * Whether this function writes the page settings (`/data/page.json`). Checks from another
   * region leave them to the home region's, which knows the subscribe form's URL.
   * @default true
   */
  readonly publishPageSettings?: boolean;
}

/**
 * The check function and the EventBridge rule that fires it every `interval`. The function may
 * write run files under the run prefix and read and write the last valid config; nothing else.
 */
export class CheckSchedule extends Construct {
  readonly checkFunction: CheckupFunction;
  readonly rule: events.Rule;
  readonly invalidConfigAlarm: cloudwatch.Alarm;
  /** Fires when an invocation of the check function fails (Lambda's Errors metric). */
  readonly errorsAlarm: cloudwatch.Alarm;
  /** Fires when no run has been stored for two intervals (the monitor itself stopped). */
  readonly notReportingAlarm: cloudwatch.Alarm;
  /** The fan-out of configs above the shard size. */
  readonly shards: CheckShards;

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
    this.shards = new CheckShards(this, 'Shards', {
      resultsBucket: bucket,
      resultsRegion: props.resultsRegion ?? region,
      table: props.table,
      checkExpiry: props.checkExpiry,
      interval,
      maxConcurrency: props.shardConcurrency,
      endpointMetrics: props.endpointMetrics,
      alarmTopic: props.alarmTopic,
    });
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
        ...(props.publishPageSettings === false ? {} : { CHECKUP_PAGE_KEY: RESULTS_LAYOUT.pageKey }),
        CHECKUP_BADGE_PREFIX: RESULTS_LAYOUT.badgePrefix,
        CHECKUP_LAST_VALID_CONFIG_KEY: RESULTS_LAYOUT.lastValidConfigKey,
        // Maintenance windows started with `checkup maintenance start` live in the alert state:
        // with a table its ALERTS item (read with the storage's grant), else this object.
        ...(props.table
          ? {}
          : { CHECKUP_STATE_KEY: `${RESULTS_LAYOUT.statePrefix}${RESULTS_LAYOUT.alertStateName}` }),
        CHECKUP_CONFIG_PARAMETER: props.configParameterName,
        CHECKUP_CONFIG_REGION: props.configRegion ?? region,
        CHECKUP_INTERVAL_MS: String(interval.toMilliseconds()),
        CHECKUP_ENDPOINT_METRICS: props.endpointMetrics === false ? 'off' : 'on',
        ...(props.alertTopicArns ? { CHECKUP_ALERT_TOPIC_ARNS: JSON.stringify(props.alertTopicArns) } : {}),
        CHECKUP_SHARD_QUEUE_URL: this.shards.queue.queueUrl,
        CHECKUP_SHARD_SIZE: String(props.shardSize ?? DEFAULT_SHARD_SIZE),
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
    grantStoreRuns(role, bucket, props.table);
    grantPublishSite(role, bucket, props.publishPageSettings !== false);
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'KeepLastValidConfig',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [bucket.arnForObjects(RESULTS_LAYOUT.lastValidConfigKey)],
      }),
    );
    if (!props.table)
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ReadMaintenanceWindows',
          actions: ['s3:GetObject'],
          resources: [bucket.arnForObjects(`${RESULTS_LAYOUT.statePrefix}${RESULTS_LAYOUT.alertStateName}`)],
        }),
      );
    grantConfigRead(role, this, props.configParameterName, props.configRegion, bucket);
    this.shards.grantPlan(role);
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadHeartbeatPings',
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${RESULTS_LAYOUT.heartbeatPrefix}*`)],
      }),
    );
    acknowledgeWildcards(role, [
      [
        bucket.arnForObjects(`${RESULTS_LAYOUT.heartbeatPrefix}*`),
        "Heartbeat checkers read their newest ping, named by the hash of the config's token; confined to the heartbeat prefix.",
      ],
    ]);

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

    const period = Duration.minutes(Math.max(5, minutes));
    this.invalidConfigAlarm = alarmOn(
      this,
      'InvalidConfigAlarm',
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC_NAMES.configInvalid,
        statistic: 'Sum',
        period,
      }),
      'The config in SSM does not validate: checks go on with the last valid one. See the check function log for the problem and its place.',
      props.alarmTopic,
    );
    this.errorsAlarm = alarmOn(
      this,
      'ErrorsAlarm',
      this.checkFunction.function.metricErrors({ statistic: 'Sum', period }),
      'The check function failed: a run was not stored (no valid config, storage denied or unreachable, a timeout). See the check function log.',
      props.alarmTopic,
    );
    this.notReportingAlarm = alarmOnSilence(
      this,
      'NotReportingAlarm',
      { namespace: METRICS_NAMESPACE, metricName: METRIC_NAMES.runStored, period: interval, periods: 2 },
      `Checkup is not reporting: no run stored in ${region} for two intervals (${interval.toHumanString()} each), so the status page shows nothing new. Check the schedule rule, the check function's errors and log.`,
      props.alarmTopic,
    );
  }
}
