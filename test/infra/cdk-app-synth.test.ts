// `npx cdk synth` of the real app (cdk.json, default context), offline, and what its template
// promises about security. One synth is shared by every assertion: it bundles the functions.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_RULES } from '../../core/cache-rules.js';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../../functions/metric-names.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { allowedActions, flatten, logicalId, roleStatements } from './template-queries.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

let template: Template;
let outDir: string;
let report: { pluginReports: Array<{ violations: unknown[] }> };
let synthOutput: string;

beforeAll(async () => {
  const out = await makeTempDir();
  outDir = out;
  const { stdout, stderr } = await run(
    path.join(ROOT, 'node_modules/.bin/cdk'),
    ['synth', '--no-notices', '--quiet', '--output', out],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        CDK_DISABLE_VERSION_CHECK: '1',
        CDK_DISABLE_CLI_TELEMETRY: 'true',
        // CDK's built-in CloudFormation rule engine (warnings only) takes ~30 s here; cdk-nag still runs.
        CDK_VALIDATION: 'false',
      },
      timeout: 280_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  synthOutput = stdout + stderr;
  template = Template.fromJSON(JSON.parse(await readFile(path.join(out, 'Checkup.template.json'), 'utf8')));
  report = JSON.parse(await readFile(path.join(out, 'validation-report.json'), 'utf8'));
}, 300_000);

afterAll(async () => {
  await rm(path.join(ROOT, 'dist', 'synth-test-bundles'), { recursive: true, force: true });
  await removeTempDirs();
});

const resultsBucket = () => logicalId(template, 'AWS::S3::Bucket', 'Results');
const siteBucket = () => logicalId(template, 'AWS::S3::Bucket', 'Site');
/** Every Allow statement of both buckets' policies, with the bucket it is on. */
const bucketAllows = () =>
  Object.values(template.findResources('AWS::S3::BucketPolicy')).flatMap((policy) =>
    (policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>)
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({ bucket: flatten(policy.Properties.Bucket), statement })),
  );

describe('npx cdk synth (default context)', () => {
  it('passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    expect(synthOutput).not.toMatch(/AwsSolutions-/);
    expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
  });

  it('blocks every kind of public access on both buckets and encrypts them', () => {
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    for (const bucket of Object.values(template.findResources('AWS::S3::Bucket'))) {
      expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    }
  });

  it('denies every request to either bucket that is not over TLS', () => {
    for (const bucket of [resultsBucket(), siteBucket()]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucket },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('lets nobody but CloudFront read either bucket, and only the results bucket summaries and runs', () => {
    const allows = bucketAllows().filter(({ statement }) => statement.Action === 's3:GetObject');
    expect(
      bucketAllows()
        .map(({ statement }) => statement.Action)
        .sort(),
    ).toEqual(['s3:GetObject', 's3:GetObject', 's3:ListBucket']);
    expect(allows).toHaveLength(2);
    for (const { statement } of allows) {
      expect(statement.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
      expect(
        flatten(
          (statement.Condition as Record<string, Record<string, unknown>>).StringEquals?.['AWS:SourceArn'],
        ),
      ).toMatch(/:cloudfront::<AWS::AccountId>:distribution\/<CheckupSiteDistribution\w+>$/);
    }
    const results = allows.find(({ bucket }) => bucket === `<${resultsBucket()}>`);
    expect(((results?.statement.Resource ?? []) as unknown[]).map(flatten).sort()).toEqual([
      `<${resultsBucket()}.Arn>/checks/*`,
      `<${resultsBucket()}.Arn>/summaries/*`,
    ]);
  });

  it('answers a missing /data object with 404, not 403: CloudFront may tell missing keys of the results bucket', () => {
    const list = bucketAllows().filter(({ statement }) => statement.Action === 's3:ListBucket');
    expect(list).toHaveLength(1);
    const [{ bucket, statement }] = list as [{ bucket: string; statement: Record<string, unknown> }];
    expect(bucket).toBe(`<${resultsBucket()}>`);
    expect(statement.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(flatten(statement.Resource)).toBe(`<${resultsBucket()}.Arn>`);
    expect(
      flatten(
        (statement.Condition as Record<string, Record<string, unknown>>).StringEquals?.['AWS:SourceArn'],
      ),
    ).toMatch(/:distribution\/<CheckupSiteDistribution\w+>$/);
    // No list request can reach the bucket: no query string is forwarded to it...
    for (const policy of Object.values(template.findResources('AWS::CloudFront::CachePolicy'))) {
      expect(
        policy.Properties.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig,
      ).toEqual({ QueryStringBehavior: 'none' });
    }
    // ...and no error mapping turns a real denial into "no data yet".
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties
      .DistributionConfig;
    expect(distribution.CustomErrorResponses).toBeUndefined();
  });

  it('expires run files after check_expiry (90 days by default)', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          { Id: 'expire-runs', Prefix: 'checks/', ExpirationInDays: 90, Status: 'Enabled' },
        ]),
      },
    });
  });

  it('serves the page and /data/* through CloudFront with Origin Access Control, HTTPS and security headers', () => {
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties
      .DistributionConfig;
    expect(distribution.Origins).toHaveLength(2);
    for (const origin of distribution.Origins) {
      expect(origin.OriginAccessControlId).toBeDefined();
      expect(origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    }
    const behaviours = [distribution.DefaultCacheBehavior, ...distribution.CacheBehaviors];
    for (const behaviour of behaviours) {
      expect(behaviour.ViewerProtocolPolicy).toBe('redirect-to-https');
      expect(behaviour.AllowedMethods).toEqual(['GET', 'HEAD']);
      expect(behaviour.ResponseHeadersPolicyId).toBeDefined();
    }
    expect(distribution.CacheBehaviors.map((b: { PathPattern: string }) => b.PathPattern)).toEqual([
      '/data/runs/*',
      '/data/*',
    ]);
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 2);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: {
          ContentSecurityPolicy: {
            ContentSecurityPolicy: Match.stringLikeRegexp("default-src 'self'"),
            Override: true,
          },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: 63_072_000,
            IncludeSubdomains: true,
            Override: true,
          },
          ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
        },
      },
    });
  });

  it('caches run files for a year and the summary for 30 s, as the storage writes it', () => {
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ DefaultTTL: 31_536_000, MinTTL: 86_400 }),
    });
    // MinTTL 30 too: CloudFront keeps the summary 30 s even if an object says no-cache.
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({ DefaultTTL: 30, MaxTTL: 30, MinTTL: 30 }),
    });
    expect(CACHE_RULES.summary).toBe('public, max-age=30');
  });

  it('lets the check function keep run files, the summary, page documents, page settings, badges and the last valid config, read heartbeat pings, and nothing else', () => {
    const role = logicalId(template, 'AWS::IAM::Role', 'ChecksCheckRole');
    const bucket = `<${resultsBucket()}.Arn>`;
    const statements = roleStatements(template, role);
    expect(allowedActions(statements)).toEqual({
      'logs:CreateLogStream': [`<${logicalId(template, 'AWS::Logs::LogGroup', 'ChecksCheckLogs')}.Arn>`],
      'logs:PutLogEvents': [`<${logicalId(template, 'AWS::Logs::LogGroup', 'ChecksCheckLogs')}.Arn>`],
      's3:PutObject': [
        `${bucket}/checks/*`,
        `${bucket}/config/last-valid.json`,
        `${bucket}/summaries/badges/*`,
        `${bucket}/summaries/history/*`,
        `${bucket}/summaries/overview.json`,
        `${bucket}/summaries/overview/*`,
        `${bucket}/summaries/page.json`,
        `${bucket}/summaries/recent/*`,
        `${bucket}/summaries/state/*`,
        `${bucket}/summaries/summary.json`,
      ],
      's3:GetObject': [
        `${bucket}/checks/*`,
        // A config over one parameter (`checkup config push`), and nothing else under config/ but
        // the last valid copy.
        `${bucket}/config/checkup.json`,
        `${bucket}/config/last-valid.json`,
        `${bucket}/heartbeats/*`,
        // Maintenance windows started with `checkup maintenance start`: read only.
        `${bucket}/state/alert-state.json`,
        // The statuses the badges show, read once per container: no other badge is read.
        `${bucket}/summaries/badges/shown.json`,
        // Closed days and hours, read back by the writer (the state keeps what is open).
        `${bucket}/summaries/history/*`,
        `${bucket}/summaries/recent/*`,
        `${bucket}/summaries/state/*`,
        `${bucket}/summaries/summary.json`,
      ],
      // The writers' replaced block states.
      's3:DeleteObject': [`${bucket}/summaries/state/*`],
      's3:ListBucket': [`<${resultsBucket()}.Arn>`],
      // Above the shard size it plans: it may queue shards, never take them off the queue.
      'sqs:SendMessage': [`<${logicalId(template, 'AWS::SQS::Queue', 'ShardsQueue')}.Arn>`],
      'ssm:GetParameter': [
        'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/checkup/config',
      ],
      'ssm:GetParametersByPath': [
        'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/checkup/config/checkers',
      ],
    });
    // The first run reads the summary and the last valid config before they exist: S3 answers
    // 404 (absent) rather than 403 only to a role that may list the bucket, and a GET carries no
    // s3:prefix, so the listing grant must have no prefix condition.
    expect(statements.find((statement) => statement.Sid === 'ListResults')?.Condition).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: Match.absent(),
      ManagedPolicyArns: Match.absent(),
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })],
      },
    });
  });

  it('lets the notify function read runs, keep the alert state and write the notices and feed, but never write a run or the summary', () => {
    const role = logicalId(template, 'AWS::IAM::Role', 'NotifyRole');
    const bucket = `<${resultsBucket()}.Arn>`;
    const allowed = allowedActions(roleStatements(template, role));
    expect(allowed['s3:GetObject']).toEqual([
      `${bucket}/checks/*`,
      `${bucket}/config/checkup.json`,
      `${bucket}/config/last-valid.json`,
      `${bucket}/state/*`,
      // The status timeline the feed tells.
      `${bucket}/summaries/summary.json`,
    ]);
    expect(allowed['s3:PutObject']).toEqual([
      `${bucket}/state/*`,
      `${bucket}/summaries/feed.atom`,
      `${bucket}/summaries/notices.json`,
    ]);
    // The alert state is read before it first exists: without a listing grant (no prefix
    // condition) S3 answers 403, not 404, and the state could never be created.
    expect(allowed['s3:ListBucket']).toEqual([`<${resultsBucket()}.Arn>`]);
    const listing = roleStatements(template, role).find((statement) => statement.Sid === 'ListResults');
    expect(listing?.Condition).toBeUndefined();
    expect(allowed['ssm:GetParameter']).toContain(
      'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/checkup/secrets/*',
    );
    expect(Object.keys(allowed).sort()).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
      'ssm:GetParameter',
      'ssm:GetParametersByPath',
    ]);
    // Secrets under aws/ssm need no KMS grant; kms:Decrypt comes only with secretsKeyArn.
    expect(allowed['kms:Decrypt']).toBeUndefined();
    // Lambda's on-failure destination sends as the function: only to its own dead-letter queue.
    expect(allowed['sqs:SendMessage']).toEqual([
      `<${logicalId(template, 'AWS::SQS::Queue', 'NotifyDeadLetters')}.Arn>`,
    ]);
  });

  it('grants no function-role action on every resource', () => {
    for (const part of ['ChecksCheckRole', 'NotifyRole', 'ShardsShardRole', 'HeartbeatsPingRole']) {
      const statements = roleStatements(template, logicalId(template, 'AWS::IAM::Role', part));
      for (const statement of statements) {
        expect(JSON.stringify(statement.Resource)).not.toBe('"*"');
        for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/);
      }
    }
  });

  it('runs every function as arm64 nodejs22.x ESM bundles with source maps, JSON logs at INFO and their own log groups', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter((fn) =>
      String(fn.Properties.Description ?? '').startsWith('Checkup:'),
    );
    // Check, notify, shards, heartbeat pings.
    expect(functions).toHaveLength(4);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        // Lambda's advanced logging controls: it filters the handlers' JSON lines by level.
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' },
      });
      // The functions name their metrics' namespace themselves (functions/metric-names.ts).
      expect(fn.Properties.Environment.Variables.CHECKUP_METRICS_NAMESPACE).toBeUndefined();
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('deploys a bundle of under 250 KB per function that loads with the environment the stack gives it', async () => {
    const keys = new Set<string>();
    for (const part of [
      'ChecksCheckFunction',
      'NotifyFunction',
      'ShardsShardFunction',
      'HeartbeatsPingFunction',
    ]) {
      const fn =
        template.findResources('AWS::Lambda::Function')[logicalId(template, 'AWS::Lambda::Function', part)];
      const assetHash = String(fn?.Properties.Code.S3Key).replace(/\.zip$/, '');
      keys.add(assetHash);
      const bundle = path.join(outDir, `asset.${assetHash}`, 'index.mjs');
      expect((await stat(bundle)).size).toBeLessThan(250 * 1024);
      await stat(`${bundle}.map`);
      const variables = Object.fromEntries(
        Object.entries(fn?.Properties.Environment.Variables as Record<string, unknown>).map(
          ([key, value]) => [key, typeof value === 'string' ? value : 'from-the-template'],
        ),
      );
      // Lambda's runtime provides the AWS SDK; here it resolves from the repository's node_modules.
      const copy = path.join(ROOT, 'dist', 'synth-test-bundles', part, 'index.mjs');
      await mkdir(path.dirname(copy), { recursive: true });
      await copyFile(bundle, copy);
      const { stderr } = await run(
        process.execPath,
        [
          '--no-warnings',
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(`file://${copy}`)}); if (typeof m.handler !== 'function') process.exit(3);`,
        ],
        { cwd: ROOT, env: { ...process.env, ...variables, NODE_OPTIONS: '', AWS_REGION: 'eu-west-1' } },
      );
      expect(stderr).toBe('');
      // nodemailer is not in the bundle but beside it, where the mail notifier's import() finds it.
      const mailer = path.join(outDir, `asset.${assetHash}`, 'node_modules', 'nodemailer', 'index.mjs');
      expect(await readFile(bundle, 'utf8')).not.toContain('AUTH PLAIN');
      const loaded = await run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(`file://${mailer}`)}); process.stdout.write(typeof m.createTransport);`,
        ],
        { cwd: ROOT },
      );
      expect(loaded.stdout).toBe('function');
    }
    expect(keys.size).toBe(4);
  });

  it('fires the check function every minute and gives a run less time than the interval', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(template, 'AWS::Lambda::Function', 'ChecksCheckFunction'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('runs every checker'),
      Timeout: 55,
    });
  });

  it("never runs a check twice: Lambda's own async retries are off, and a late event is dropped", () => {
    const check = logicalId(template, 'AWS::Lambda::Function', 'ChecksCheckFunction');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: check },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
    });
    // Deliberately no reserved concurrency (a new account could not deploy it); see check-schedule.ts.
    expect(
      template.findResources('AWS::Lambda::Function')[check]?.Properties.ReservedConcurrentExecutions,
    ).toBeUndefined();
  });

  it('records the granted alert topics (none by default) for config push and the functions', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/checkup/config/granted-topics',
      Type: 'String',
      Value: '[]',
    });
    for (const part of ['ChecksCheckFunction', 'NotifyFunction']) {
      const fn =
        template.findResources('AWS::Lambda::Function')[logicalId(template, 'AWS::Lambda::Function', part)];
      expect(fn?.Properties.Environment.Variables.CHECKUP_ALERT_TOPIC_ARNS).toBe('[]');
    }
  });

  it('sends every new run file to the notify function with retries, a dead-letter queue and an alarm', () => {
    const notify = logicalId(template, 'AWS::Lambda::Function', 'NotifyFunction');
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: {
              Key: {
                FilterRules: [
                  { Name: 'suffix', Value: '-check.json' },
                  { Name: 'prefix', Value: 'checks/' },
                ],
              },
            },
            LambdaFunctionArn: { 'Fn::GetAtt': [notify, 'Arn'] },
          },
        ],
      },
    });
    const queue = logicalId(template, 'AWS::SQS::Queue', 'NotifyDeadLetters');
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: notify },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: METRIC_NAMES.configInvalid,
      Statistic: 'Sum',
      Threshold: 1,
    });
  });

  it("alarms when the check function fails (Lambda's Errors metric), like the other alarms", () => {
    const check = logicalId(template, 'AWS::Lambda::Function', 'ChecksCheckFunction');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: check } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('check function failed'),
    });
    // With the notify dead letters, invalid config, the shards' dead letters and missing shards,
    // a notifier that keeps failing, and runs no longer stored.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 7);
  });

  it('alarms when no run has been stored for two intervals: the heartbeat missing is breaching', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: METRIC_NAMES.runStored },
    });
    const [alarm] = Object.values(alarms);
    expect(alarm?.Properties).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    expect(JSON.stringify(alarm?.Properties.AlarmDescription)).toMatch(/not reporting/);
  });

  it('fans large configs out over an encrypted queue, one shard an invocation, never retried late', () => {
    const queue = logicalId(template, 'AWS::SQS::Queue', 'ShardsQueue');
    const deadLetters = logicalId(template, 'AWS::SQS::Queue', 'ShardsDeadLetters');
    const shard = logicalId(template, 'AWS::Lambda::Function', 'ShardsShardFunction');
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      // At least the shard function's 55 s timeout, as Lambda requires; a message older than the
      // one-minute period is gone (a late shard would stand for a run that is over).
      VisibilityTimeout: 65,
      MessageRetentionPeriod: 60,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] }, maxReceiveCount: 1 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: shard },
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 50 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // SSL only on both queues (cdk-nag SQS4), and the planner knows the queue and the shard size.
    for (const id of [queue, deadLetters])
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ],
        },
      });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('runs every checker'),
      Environment: {
        Variables: Match.objectLike({ CHECKUP_SHARD_QUEUE_URL: { Ref: queue }, CHECKUP_SHARD_SIZE: '500' }),
      },
    });
  });

  it('lets the shard function take shards off its queue and write run files, and nothing else', () => {
    const role = logicalId(template, 'AWS::IAM::Role', 'ShardsShardRole');
    const bucket = `<${resultsBucket()}.Arn>`;
    const queue = `<${logicalId(template, 'AWS::SQS::Queue', 'ShardsQueue')}.Arn>`;
    const logs = `<${logicalId(template, 'AWS::Logs::LogGroup', 'ShardsShardLogs')}.Arn>`;
    expect(allowedActions(roleStatements(template, role))).toEqual({
      'logs:CreateLogStream': [logs],
      'logs:PutLogEvents': [logs],
      's3:PutObject': [`${bucket}/checks/*`],
      'sqs:ChangeMessageVisibility': [queue],
      'sqs:DeleteMessage': [queue],
      'sqs:GetQueueAttributes': [queue],
      'sqs:GetQueueUrl': [queue],
      'sqs:ReceiveMessage': [queue],
    });
  });

  it('alarms when a notifier keeps failing (NotifierFailing, the highest of any notifier)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: METRIC_NAMES.notifierFailing,
      Dimensions: Match.absent(),
      Statistic: 'Maximum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('notifier keeps failing'),
    });
  });

  it('takes heartbeat pings at a public function URL whose function may only record pings and read the config', () => {
    const fn = logicalId(template, 'AWS::Lambda::Function', 'HeartbeatsPingFunction');
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [fn, 'Arn'] },
    });
    const bucket = `<${resultsBucket()}.Arn>`;
    const allowed = allowedActions(
      roleStatements(template, logicalId(template, 'AWS::IAM::Role', 'HeartbeatsPingRole')),
    );
    expect(allowed).toEqual({
      'logs:CreateLogStream': [`<${logicalId(template, 'AWS::Logs::LogGroup', 'HeartbeatsPingLogs')}.Arn>`],
      'logs:PutLogEvents': [`<${logicalId(template, 'AWS::Logs::LogGroup', 'HeartbeatsPingLogs')}.Arn>`],
      's3:PutObject': [`${bucket}/heartbeats/*`],
      's3:GetObject': [`${bucket}/config/checkup.json`, `${bucket}/config/last-valid.json`],
      'ssm:GetParameter': [
        'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/checkup/config',
      ],
      'ssm:GetParametersByPath': [
        'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/checkup/config/checkers',
      ],
    });
    // No reserved concurrency unless asked (-c pingConcurrency=N): a new account could not deploy it.
    expect(
      template.findResources('AWS::Lambda::Function')[fn]?.Properties.ReservedConcurrentExecutions,
    ).toBeUndefined();
    expect(template.toJSON().Outputs).toMatchObject({
      [Object.keys(template.toJSON().Outputs).find((key) => key.includes('PingUrl')) as string]: {
        Value: {
          'Fn::GetAtt': [expect.stringContaining('HeartbeatsPingFunctionFunctionUrl'), 'FunctionUrl'],
        },
      },
    });
  });

  it('seeds the config parameter on create only, so a later deploy never overwrites an edit', () => {
    const seed = Object.values(template.findResources('Custom::AWS'))[0]?.Properties;
    const create = JSON.parse(flatten(seed.Create));
    expect(create).toMatchObject({
      service: 'SSM',
      action: 'putParameter',
      parameters: { Name: '/checkup/config', Overwrite: false },
    });
    expect(JSON.parse(create.parameters.Value).checkers[0].endpoint_url).toBe('https://example.com');
    expect(seed.Update).toBeUndefined();
    expect(JSON.parse(flatten(seed.Delete))).toMatchObject({ action: 'deleteParameter' });
    // The config is no CloudFormation parameter (only the records of granted topics and of
    // where a config over one parameter goes are).
    expect(
      Object.values(template.findResources('AWS::SSM::Parameter'))
        .map((parameter) => parameter.Properties.Name)
        .sort(),
    ).toEqual(['/checkup/config/config-object', '/checkup/config/granted-topics']);
  });

  it('outputs the page URL, the results bucket and the config parameter name', () => {
    const outputs = template.findOutputs('*');
    const byName = (part: string) => Object.entries(outputs).find(([id]) => id.includes(part))?.[1];
    expect(flatten(byName('PageUrl')?.Value)).toMatch(
      /^https:\/\/<CheckupSiteDistribution\w+\.DomainName>\/$/,
    );
    expect(byName('ResultsBucketName')?.Value).toEqual({ Ref: resultsBucket() });
    expect(byName('ConfigParameterName')?.Value).toBe('/checkup/config');
    // Where a first-time user looks when a run fails (deploy-aws.md's checklist).
    expect(byName('CheckLogGroup')?.Value).toEqual({
      Ref: logicalId(template, 'AWS::Logs::LogGroup', 'ChecksCheckLogs'),
    });
    expect(byName('NotifyLogGroup')?.Value).toEqual({
      Ref: logicalId(template, 'AWS::Logs::LogGroup', 'NotifyLogs'),
    });
  });
});
