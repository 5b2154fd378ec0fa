import { Duration, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../../functions/metric-names.js';
import { FUNCTION_ENTRIES } from '../function-bundling.js';
import { alarmOn } from './alarm-on.js';
import { CheckupFunction } from './checkup-function.js';
import { grantWriteRuns } from './results-grants.js';

/** Checks per shard (one invocation): measured by `npm run bench fanout`, see docs/scale.md. */
export const DEFAULT_SHARD_SIZE = 500;
/** Shard invocations at once (the event source's maximum concurrency). */
export const DEFAULT_SHARD_CONCURRENCY = 50;

export interface CheckShardsProps {
  readonly resultsBucket: s3.IBucket;
  /** The region of the results bucket. */
  readonly resultsRegion: string;
  /**
   * When set, each shard stores its runs in this table (as the check function does) and mirrors
   * each run file into the bucket, where the notify function is fired by it.
   */
  readonly table?: dynamodb.ITable;
  /** With a table: each item expires (TTL) this long after its run. @default Duration.days(90) */
  readonly checkExpiry?: Duration;
  /** The schedule's period: a shard ends inside it, and a message older than it is dropped. */
  readonly interval: Duration;
  /** @default DEFAULT_SHARD_CONCURRENCY */
  readonly maxConcurrency?: number;
  /** Per-endpoint CloudWatch metrics. @default true */
  readonly endpointMetrics?: boolean;
  /** Where the dead-letter and missing-shard alarms go. @default - no action */
  readonly alarmTopic?: sns.ITopic;
}

/**
 * The fan-out of a large config: a queue the planner (the check function) sends one message per
 * shard to, and the shard function it invokes, one message per invocation, up to
 * `maxConcurrency` at once. A shard that fails is not retried (a late check stands for a run that
 * is over): its message goes to the dead-letter queue, and the next planner reports the shard
 * missing. Idle (a config under the shard size) it costs only the event source's polling.
 */
export class CheckShards extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly shardFunction: CheckupFunction;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly missingShardsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: CheckShardsProps) {
    super(scope, id);
    const minutes = props.interval.toMinutes({ integral: false });
    const timeout = Duration.seconds(Math.min(60 * minutes - 5, 300));
    const bucket = props.resultsBucket;
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the shard queue.',
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda needs the visibility timeout at least the function's; a shard is never retried late.
      visibilityTimeout: timeout.plus(Duration.seconds(10)),
      retentionPeriod: Duration.seconds(Math.max(60, 60 * minutes)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 1 },
    });
    this.shardFunction = new CheckupFunction(this, 'Shard', {
      entry: FUNCTION_ENTRIES.shard,
      description: 'Checkup: checks one shard of a large config and stores it as its own run file',
      timeout,
      environment: {
        CHECKUP_BUCKET: bucket.bucketName,
        CHECKUP_BUCKET_REGION: props.resultsRegion,
        CHECKUP_RUN_PREFIX: RESULTS_LAYOUT.runPrefix,
        CHECKUP_ENDPOINT_METRICS: props.endpointMetrics === false ? 'off' : 'on',
        ...(props.table
          ? {
              CHECKUP_STORAGE: 'dynamodb',
              CHECKUP_TABLE: props.table.tableName,
              CHECKUP_CHECK_EXPIRY_MS: String((props.checkExpiry ?? Duration.days(90)).toMilliseconds()),
            }
          : {}),
      },
    });
    // One shard per invocation: a shard is sized to one invocation's work; a batch of two would
    // take twice as long and push the second past the run's end.
    this.shardFunction.function.addEventSource(
      new sources.SqsEventSource(this.queue, {
        batchSize: 1,
        maxConcurrency: props.maxConcurrency ?? DEFAULT_SHARD_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );
    const role = this.shardFunction.role;
    grantWriteRuns(role, bucket, props.table);

    this.deadLetterAlarm = alarmOn(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      'A shard failed (see the shard function log): its endpoints were not checked in that run. The message is kept in the dead-letter queue.',
      props.alarmTopic,
    );
    this.missingShardsAlarm = alarmOn(
      this,
      'MissingShardsAlarm',
      new cw.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC_NAMES.shardsMissing,
        statistic: 'Sum',
        period: Duration.minutes(Math.max(5, minutes)),
      }),
      'A fanned-out run is missing shards: their endpoints were not checked (unknown). See "tick missing shards" in the check function log.',
      props.alarmTopic,
    );
  }

  /** Lets the planner queue shards: SendMessage (which SendMessageBatch needs), nothing else. */
  grantPlan(role: iam.IRole): void {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'QueueShards',
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
      }),
    );
  }
}
