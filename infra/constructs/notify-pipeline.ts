import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { DYNAMODB_ALERT_STATE_KEY } from '../../adapters/alerts/alert-state-store-from-config.js';
import { grantedTopicsParameter } from '../../adapters/config/granted-topics-parameter.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../../functions/metric-names.js';
import { FUNCTION_ENTRIES } from '../function-bundling.js';
import { acknowledgeWildcards, findStackSingleton } from '../nag-findings.js';
import { alarmOn } from './alarm-on.js';
import type { CheckupConfig } from './checkup-config.js';
import { parameterArn } from './checkup-config.js';
import { CheckupFunction } from './checkup-function.js';
import { listResultsStatement } from './results-grants.js';

export interface NotifyPipelineProps {
  readonly resultsBucket: s3.Bucket;
  /**
   * The table runs are stored in, when they are: the alert state (with the maintenance windows
   * and incidents `checkup` writes) is then its ALERTS item, not an object in the bucket.
   * @default - the alert state is `state/alert-state.json` in the bucket
   */
  readonly table?: dynamodb.ITable;
  readonly config: CheckupConfig;
  /**
   * The SSM path under which notifier secrets (webhook URLs) are kept as SecureString parameters.
   * @default '/checkup/secrets'
   */
  readonly secretsPath?: string;
  /**
   * SNS topics the config's `sns` notifiers publish to (the function may publish to these only).
   * Recorded in the SSM parameter `<config parameter>/granted-topics` for `checkup config push`,
   * and given to the functions, so a config naming another topic is refused, not denied at
   * every alert.
   * @default - none
   */
  readonly alertTopicArns?: readonly string[];
  /**
   * SES identities `mail` notifiers with `ses` send as: a domain or address in this stack's
   * region, or an identity ARN (another region). The function gets ses:SendEmail on these only.
   * @default - none
   */
  readonly sesIdentities?: readonly string[];
  /**
   * The customer-managed KMS key the notifier secrets (SecureString parameters) are encrypted
   * with; the notify function may decrypt with it, through SSM only.
   * @default - the AWS-managed key aws/ssm, which needs no grant
   */
  readonly secretsKey?: kms.IKey;
  /** Where the dead-letter alarm goes. @default - the alarm has no action */
  readonly alarmTopic?: sns.ITopic;
  /** The check interval, so summaries can tell when data is stale. */
  readonly interval?: Duration;
}

/**
 * Every stored run reaches the notify function (alerts; the check function keeps the summaries): S3 ObjectCreated on the run prefix invokes it
 * asynchronously, Lambda retries twice, and an event that still fails lands in a dead-letter
 * queue watched by an alarm, so no alert is lost silently.
 */
export class NotifyPipeline extends Construct {
  readonly notifyFunction: CheckupFunction;
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Fires while a notifier keeps failing (NotifierFailing, per notifier in the function log). */
  readonly notifierFailingAlarm: cloudwatch.Alarm;
  /** The granted topics, as `checkup config push` reads them. */
  readonly grantedTopics: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: NotifyPipelineProps) {
    super(scope, id);
    const bucket = props.resultsBucket;
    const secretsPath = (props.secretsPath ?? '/checkup/secrets').replace(/\/$/, '');
    const alertTopicArns = [...(props.alertTopicArns ?? [])];
    this.grantedTopics = new ssm.StringParameter(this, 'GrantedTopics', {
      parameterName: grantedTopicsParameter(props.config.parameterName),
      description: 'Checkup: the SNS topics sns notifiers may publish to (read by checkup config push)',
      stringValue: JSON.stringify(alertTopicArns),
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter destination of the notify function.',
    });

    this.notifyFunction = new CheckupFunction(this, 'Notify', {
      entry: FUNCTION_ENTRIES.notify,
      description: 'Checkup: alerts on state changes',
      timeout: Duration.seconds(60),
      environment: {
        CHECKUP_BUCKET: bucket.bucketName,
        CHECKUP_RUN_PREFIX: RESULTS_LAYOUT.runPrefix,
        CHECKUP_STATE_PREFIX: RESULTS_LAYOUT.statePrefix,
        ...(props.table ? { CHECKUP_STATE_TABLE: props.table.tableName } : {}),
        CHECKUP_NOTICES_KEY: RESULTS_LAYOUT.noticesKey,
        CHECKUP_FEED_KEY: RESULTS_LAYOUT.feedKey,
        CHECKUP_SUMMARY_KEY: RESULTS_LAYOUT.summaryKey,
        CHECKUP_CONFIG_PARAMETER: props.config.parameterName,
        CHECKUP_CONFIG_REGION: Stack.of(this).region,
        CHECKUP_LAST_VALID_CONFIG_KEY: RESULTS_LAYOUT.lastValidConfigKey,
        CHECKUP_SECRETS_PATH: secretsPath,
        CHECKUP_ALERT_TOPIC_ARNS: JSON.stringify(alertTopicArns),
        ...(props.interval ? { CHECKUP_INTERVAL_MS: String(props.interval.toMilliseconds()) } : {}),
      },
    });
    grantProcessRuns(this.notifyFunction.role, this, {
      bucket,
      table: props.table,
      config: props.config,
      secretsPath,
      alertTopicArns,
      sesIdentities: props.sesIdentities ?? [],
      secretsKey: props.secretsKey,
    });
    // With DynamoDB storage the check function mirrors each run file into the bucket, so this
    // one path serves both.
    bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.LambdaDestination(this.notifyFunction.function),
      {
        prefix: RESULTS_LAYOUT.runPrefix,
        suffix: '-check.json',
      },
    );
    const handler = findStackSingleton(this, 'BucketNotificationsHandler');
    if (handler) {
      Validations.of(handler).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's bucket-notifications provider runs only at deploy time to set the S3 notification; the basic execution policy lets it write its own logs.",
      });
    }
    this.notifyFunction.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });

    this.deadLetterAlarm = alarmOn(
      this,
      'DeadLetterAlarm',
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      'A stored run could not be processed by the notify function after retries: alerts may be missing. The event is kept in the dead-letter queue.',
      props.alarmTopic,
    );
    this.notifierFailingAlarm = alarmOn(
      this,
      'NotifierFailingAlarm',
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC_NAMES.notifierFailing,
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      'A notifier keeps failing: its last deliveries all failed, so alerts are not reaching anyone through it (they stay queued). The notify function log names it ("notifier keeps failing"), and the NotifierFailing metric by Notifier.',
      props.alarmTopic,
    );
  }
}

interface ProcessRunsGrant {
  bucket: s3.IBucket;
  table?: dynamodb.ITable | undefined;
  config: CheckupConfig;
  secretsPath: string;
  alertTopicArns: readonly string[];
  sesIdentities: readonly string[];
  secretsKey?: kms.IKey;
}

/**
 * Lets the notify function's `role` do what processing a run takes: read the run and the last
 * valid config, keep the alert state, read the config and the notifier secrets (decrypting them
 * through SSM with `secretsKey`), publish to the granted topics and send mail as the granted SES
 * identities. Never write a run or a summary.
 */
function grantProcessRuns(
  role: iam.IRole,
  scope: Construct,
  { bucket, table, config, secretsPath, alertTopicArns, sesIdentities, secretsKey }: ProcessRunsGrant,
): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadRunsAndLastValidConfig',
      actions: ['s3:GetObject'],
      resources: [
        bucket.arnForObjects(`${RESULTS_LAYOUT.runPrefix}*`),
        bucket.arnForObjects(RESULTS_LAYOUT.lastValidConfigKey),
      ],
    }),
  );
  role.addToPrincipalPolicy(
    table
      ? new iam.PolicyStatement({
          sid: 'KeepAlertState',
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          resources: [table.tableArn],
          // The alert state item only: never a run or the summary.
          conditions: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [DYNAMODB_ALERT_STATE_KEY.pk.S] },
          },
        })
      : new iam.PolicyStatement({
          sid: 'KeepAlertState',
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: [bucket.arnForObjects(`${RESULTS_LAYOUT.statePrefix}*`)],
        }),
  );
  // A fanned-out tick is applied by the invocation that creates its claim object (S3's
  // conditional create), whatever the storage: with a table, the claims alone stay in the bucket.
  if (table)
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ClaimTicks',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [bucket.arnForObjects(`${RESULTS_LAYOUT.tickClaimPrefix}*`)],
      }),
    );
  // Maintenance and incidents for the page and the feed, with the status timeline of the summary.
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'PublishNoticesAndFeed',
      actions: ['s3:PutObject'],
      resources: [
        bucket.arnForObjects(RESULTS_LAYOUT.noticesKey),
        bucket.arnForObjects(RESULTS_LAYOUT.feedKey),
      ],
    }),
  );
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadSummaryTimeline',
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects(RESULTS_LAYOUT.summaryKey)],
    }),
  );
  // The alert state does not exist before the first run is processed: without a listing grant
  // S3 answers its first read 403, not 404, and no invocation could ever create it.
  role.addToPrincipalPolicy(listResultsStatement(bucket));
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadNotifierSecrets',
      actions: ['ssm:GetParameter'],
      resources: [parameterArn(scope, `${secretsPath}/*`)],
    }),
  );
  config.grantRead(role);
  if (alertTopicArns.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishAlerts',
        actions: ['sns:Publish'],
        resources: [...alertTopicArns],
      }),
    );
  }
  if (sesIdentities.length > 0) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendAlertMail',
        actions: ['ses:SendEmail'],
        resources: sesIdentities.map((identity) =>
          identity.startsWith('arn:')
            ? identity
            : Stack.of(scope).formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
        ),
      }),
    );
  }
  if (secretsKey) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptNotifierSecrets',
        actions: ['kms:Decrypt'],
        resources: [secretsKey.keyArn],
        // Only as SSM decrypts a SecureString for the function, never a direct Decrypt call.
        conditions: { StringEquals: { 'kms:ViaService': `ssm.${Stack.of(scope).region}.amazonaws.com` } },
      }),
    );
  }
  acknowledgeWildcards(role, [
    [
      bucket.arnForObjects(`${RESULTS_LAYOUT.runPrefix}*`),
      'Reads the run named in each event; runs are named by their time.',
    ],
    table
      ? [
          bucket.arnForObjects(`${RESULTS_LAYOUT.tickClaimPrefix}*`),
          'One claim per fanned-out tick and region, named by the tick; only under the tick claim prefix.',
        ]
      : [
          bucket.arnForObjects(`${RESULTS_LAYOUT.statePrefix}*`),
          'Keeps the alert state between runs; only under the state prefix.',
        ],
    [
      parameterArn(scope, `${secretsPath}/*`),
      'Notifier secrets are named in the config by the user; reads are confined to the secrets path.',
    ],
  ]);
}
