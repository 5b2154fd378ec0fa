import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { FUNCTION_ENTRIES } from '../function-bundling.js';
import { acknowledgeWildcards } from '../nag-findings.js';
import type { CheckupConfig } from './checkup-config.js';
import { CheckupFunction } from './checkup-function.js';

export interface HeartbeatPingsProps {
  readonly resultsBucket: s3.IBucket;
  readonly config: CheckupConfig;
  /**
   * Concurrent pings at most (reserved concurrency): a flood is then answered 429 by Lambda
   * before it costs more. Reserving fails the deploy in an account whose whole quota is 10.
   * @default - none reserved (the account's concurrency bounds it)
   */
  readonly maxConcurrency?: number;
}

/**
 * Where heartbeat jobs ping: a Lambda function URL (public, no IAM: a cron job cannot sign
 * requests; the per-heartbeat token in the path is the credential) in front of the ping
 * function, which checks the token against the config and writes the ping under the heartbeat
 * prefix of the results bucket. It may read the config and write pings, nothing else.
 */
export class HeartbeatPings extends Construct {
  readonly pingFunction: CheckupFunction;
  readonly url: lambda.FunctionUrl;

  constructor(scope: Construct, id: string, props: HeartbeatPingsProps) {
    super(scope, id);
    const bucket = props.resultsBucket;
    this.pingFunction = new CheckupFunction(this, 'Ping', {
      entry: FUNCTION_ENTRIES.ping,
      description: 'Checkup: records heartbeat pings',
      timeout: Duration.seconds(10),
      environment: {
        CHECKUP_BUCKET: bucket.bucketName,
        CHECKUP_HEARTBEAT_PREFIX: RESULTS_LAYOUT.heartbeatPrefix,
        CHECKUP_CONFIG_PARAMETER: props.config.parameterName,
        CHECKUP_CONFIG_REGION: Stack.of(this).region,
        CHECKUP_LAST_VALID_CONFIG_KEY: RESULTS_LAYOUT.lastValidConfigKey,
      },
    });
    if (props.maxConcurrency !== undefined) {
      (this.pingFunction.function.node.defaultChild as lambda.CfnFunction).reservedConcurrentExecutions =
        props.maxConcurrency;
    }
    const role = this.pingFunction.role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'RecordPings',
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${RESULTS_LAYOUT.heartbeatPrefix}*`)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadLastValidConfig',
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(RESULTS_LAYOUT.lastValidConfigKey)],
      }),
    );
    props.config.grantRead(role);
    acknowledgeWildcards(role, [
      [
        bucket.arnForObjects(`${RESULTS_LAYOUT.heartbeatPrefix}*`),
        'One object per heartbeat, named by the hash of its token, and heartbeats change with the config; confined to the heartbeat prefix.',
      ],
    ]);

    this.url = this.pingFunction.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    new CfnOutput(this, 'PingUrl', {
      description: 'Heartbeat jobs ping <this URL>ping/<token> (append /fail when the job failed)',
      value: this.url.url,
    });
  }
}
