import type { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic.js';
import { CheckSchedule } from './check-schedule.js';

export interface CheckupRegionalChecksProps {
  /** The home region: where the results bucket and the config parameter are. */
  readonly homeRegion: string;
  /** The results bucket's name (fixed in the home stack). */
  readonly resultsBucketName: string;
  /** @default '/checkup/config' */
  readonly configParameterName?: string;
  /** @default Duration.minutes(1) */
  readonly schedule?: Duration;
  /** Who is emailed when this region's invalid-config alarm fires. */
  readonly alarmEmail?: string;
  /** Per-endpoint CloudWatch metrics (Up, Latency). @default true */
  readonly endpointMetrics?: boolean;
  /** Checks per invocation before a run is fanned out. @default 500 */
  readonly shardSize?: number;
  /** Shard invocations at once. @default 50 */
  readonly shardConcurrency?: number;
  /**
   * Whether this region's check function writes the page settings. The home region's does when
   * it checks too; with subscriptions only it knows the subscribe URL, and two writers would
   * take turns overwriting each other.
   * @default true
   */
  readonly publishPageSettings?: boolean;
}

/**
 * Checks from one more region: a check function and schedule in this stack's region that read
 * the home region's config and write runs into the home region's bucket. Every run is its own
 * file, so regions never contend; each result carries the region that produced it.
 */
export class CheckupRegionalChecks extends Construct {
  readonly checks: CheckSchedule;

  constructor(scope: Construct, id: string, props: CheckupRegionalChecksProps) {
    super(scope, id);
    const bucket = s3.Bucket.fromBucketAttributes(this, 'Results', {
      bucketName: props.resultsBucketName,
      region: props.homeRegion,
    });
    const alarms = props.alarmEmail ? new AlarmTopic(this, 'Alarms', { email: props.alarmEmail }) : undefined;
    this.checks = new CheckSchedule(this, 'Checks', {
      resultsBucket: bucket,
      resultsRegion: props.homeRegion,
      configParameterName: props.configParameterName ?? '/checkup/config',
      configRegion: props.homeRegion,
      interval: props.schedule,
      alarmTopic: alarms?.topic,
      endpointMetrics: props.endpointMetrics,
      shardSize: props.shardSize,
      shardConcurrency: props.shardConcurrency,
      publishPageSettings: props.publishPageSettings,
    });
  }
}
