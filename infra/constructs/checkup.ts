import { Aws, CfnOutput, Duration } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic.js';
import { CheckSchedule } from './check-schedule.js';
import { CheckupConfig } from './checkup-config.js';
import { HeartbeatPings } from './heartbeat-pings.js';
import { NotifyPipeline } from './notify-pipeline.js';
import { PageSubscriptions } from './page-subscriptions.js';
import { ResultsStore, type StorageKind } from './results-store.js';
import { StatusSite } from './status-site.js';

export interface CheckupProps {
  /** How often endpoints are checked (whole minutes). @default Duration.minutes(1) */
  readonly schedule?: Duration;
  /** Where runs are stored. @default 's3' */
  readonly storage?: StorageKind;
  /** How long runs are kept. @default Duration.days(90) */
  readonly checkExpiry?: Duration;
  /** The SSM parameter holding checkup.json. @default '/checkup/config' */
  readonly configParameterName?: string;
  /** The config seeded on the first deploy. @default EXAMPLE_CONFIG */
  readonly initialConfig?: object;
  /** The SSM path of notifier secrets (SecureString). @default '/checkup/secrets' */
  readonly secretsPath?: string;
  /** A custom domain for the status page (needs `certificateArn`). */
  readonly domainName?: string;
  /** An ACM certificate in us-east-1 for `domainName`. */
  readonly certificateArn?: string;
  /** Who is emailed when Checkup's own alarms fire. @default - alarms without actions */
  readonly alarmEmail?: string;
  /** The built status page. @default 'dist/statuspage' */
  readonly pageDir?: string;
  /** A fixed results bucket name (required when other regions check too). */
  readonly resultsBucketName?: string;
  /** Whether this region also runs checks. @default true */
  readonly checkHere?: boolean;
  /** Per-endpoint CloudWatch metrics (Up, Latency). @default true */
  readonly endpointMetrics?: boolean;
  /**
   * SNS topics the config's `sns` notifiers publish to; a config naming another is refused.
   * @default - none
   */
  readonly alertTopicArns?: readonly string[];
  /**
   * SES identities (domains, addresses, or identity ARNs for another region) that `mail`
   * notifiers with `ses` send as: the notify function may send as these only.
   * @default - none
   */
  readonly sesIdentities?: readonly string[];
  /**
   * The customer-managed KMS key the notifier secrets (SecureString parameters under
   * `secretsPath`) are encrypted with: the notify function gets `kms:Decrypt` on it.
   * @default - the AWS-managed key aws/ssm, which needs no grant
   */
  readonly secretsKeyArn?: string;
  /**
   * Checks per invocation before a run is fanned out over SQS (with a table, at most 1,000: a
   * shard's run is one item). @default 500
   */
  readonly shardSize?: number;
  /** Shard invocations at once. @default 50 */
  readonly shardConcurrency?: number;
  /**
   * Concurrent heartbeat pings at most (the ping function's reserved concurrency).
   * @default - none reserved
   */
  readonly pingConcurrency?: number;
  /**
   * E-mail subscriptions on the status page: an SNS topic, a subscribe form posting to a function
   * URL, and the notify function telling subscribers of incidents and maintenance.
   * @default false
   */
  readonly subscriptions?: boolean;
  /** The subscribe function's reserved concurrency. @default DEFAULT_SUBSCRIBE_CONCURRENCY (2) */
  readonly subscribeConcurrency?: number;
}

/**
 * Checkup in one construct: results store, config parameter, scheduled checks, notify pipeline
 * and status page. Use it in any CDK app: `new Checkup(this, 'Checkup', { schedule: Duration.minutes(5) })`.
 * Checks from more regions are added with `CheckupRegionalChecks` in stacks of those regions.
 */
export class Checkup extends Construct {
  readonly results: ResultsStore;
  readonly config: CheckupConfig;
  readonly checks?: CheckSchedule;
  readonly notify: NotifyPipeline;
  readonly site: StatusSite;
  readonly alarmTopic?: AlarmTopic;
  readonly heartbeats: HeartbeatPings;
  readonly subscriptions?: PageSubscriptions;

  constructor(scope: Construct, id: string, props: CheckupProps = {}) {
    super(scope, id);
    const interval = props.schedule ?? Duration.minutes(1);
    this.results = new ResultsStore(this, 'Results', {
      storage: props.storage,
      checkExpiry: props.checkExpiry,
      bucketName: props.resultsBucketName,
    });
    this.config = new CheckupConfig(this, 'Config', {
      parameterName: props.configParameterName,
      initialConfig: props.initialConfig,
      objectBucket: this.results.bucket,
    });
    if (props.alarmEmail) this.alarmTopic = new AlarmTopic(this, 'Alarms', { email: props.alarmEmail });
    const alarmTopic = this.alarmTopic?.topic;

    if (props.checkHere !== false) {
      this.checks = new CheckSchedule(this, 'Checks', {
        resultsBucket: this.results.bucket,
        table: this.results.table,
        checkExpiry: this.results.checkExpiry,
        configParameterName: this.config.parameterName,
        interval,
        alarmTopic,
        endpointMetrics: props.endpointMetrics,
        alertTopicArns: props.alertTopicArns ?? [],
        shardSize: props.shardSize,
        shardConcurrency: props.shardConcurrency,
      });
    }
    this.notify = new NotifyPipeline(this, 'Notify', {
      resultsBucket: this.results.bucket,
      table: this.results.table,
      config: this.config,
      secretsPath: props.secretsPath,
      alertTopicArns: props.alertTopicArns,
      sesIdentities: props.sesIdentities,
      secretsKey: props.secretsKeyArn
        ? kms.Key.fromKeyArn(this, 'SecretsKey', props.secretsKeyArn)
        : undefined,
      interval,
      alarmTopic,
    });
    this.heartbeats = new HeartbeatPings(this, 'Heartbeats', {
      resultsBucket: this.results.bucket,
      config: this.config,
      maxConcurrency: props.pingConcurrency,
    });
    if (props.domainName && !props.certificateArn) {
      throw new Error('domainName needs certificateArn (an ACM certificate in us-east-1)');
    }
    this.site = new StatusSite(this, 'Site', {
      resultsBucket: this.results.bucket,
      pageDir: props.pageDir,
      domainName: props.domainName,
      certificate: props.certificateArn
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
        : undefined,
      // The form posts to the subscribe function's URL, which names no resource the page's
      // headers could refer to without a cycle (its CORS names the distribution): any function
      // URL of this region.
      connectSources: props.subscriptions ? [`https://*.lambda-url.${Aws.REGION}.on.aws`] : [],
    });
    if (props.subscriptions) {
      const subscriptions = new PageSubscriptions(this, 'Subscriptions', {
        pageOrigins: [
          `https://${this.site.distribution.distributionDomainName}`,
          ...(props.domainName ? [`https://${props.domainName}`] : []),
        ],
        maxConcurrency: props.subscribeConcurrency,
      });
      subscriptions.grantAnnounce(this.notify.notifyFunction);
      this.notify.notifyFunction.function.addEnvironment('CHECKUP_PAGE_URL', this.site.url);
      // The page learns where its form posts from its settings, which the check function writes.
      this.checks?.checkFunction.function.addEnvironment('CHECKUP_SUBSCRIBE_URL', subscriptions.url.url);
      this.subscriptions = subscriptions;
    }

    new CfnOutput(this, 'PageUrl', { description: 'The status page', value: this.site.url });
    new CfnOutput(this, 'ResultsBucketName', {
      description: 'Where runs and summaries are stored',
      value: this.results.bucket.bucketName,
    });
    if (this.checks) {
      new CfnOutput(this, 'CheckLogGroup', {
        description: 'The check function log: one "run stored" line per run, config errors with their place',
        value: this.checks.checkFunction.logGroup.logGroupName,
      });
    }
    new CfnOutput(this, 'NotifyLogGroup', {
      description: 'The notify function log: "run processed" per run, "run not processed" with the error',
      value: this.notify.notifyFunction.logGroup.logGroupName,
    });
    new CfnOutput(this, 'ConfigParameterName', {
      description: 'The SSM parameter holding checkup.json (edit it; the next run uses it)',
      value: this.config.parameterName,
    });
  }

  /** The results bucket, for wiring more consumers. */
  get resultsBucket(): s3.IBucket {
    return this.results.bucket;
  }
}
