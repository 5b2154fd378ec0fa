// Checkup used as a construct library, with every option on, synthesized in memory once
// (cdk-nag runs as a validation plugin: a finding makes app.synth() throw).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Checkup } from '../../infra/constructs/checkup.js';
import { CheckupRegionalChecks } from '../../infra/constructs/checkup-regional-checks.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { allowedActions, flatten, logicalId, resourcesOf, roleStatements } from './template-queries.js';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:oncall';
const SECRETS_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
let home: Template;
let remote: Template;
let assetDir: string;
const SES_ELSEWHERE = 'arn:aws:ses:us-east-1:123456789012:identity/alerts@example.org';

beforeAll(async () => {
  const pageDir = await makeTempDir();
  await writeFile(path.join(pageDir, 'index.html'), '<!doctype html><title>status</title>');
  await mkdir(path.join(pageDir, 'assets'));
  await writeFile(path.join(pageDir, 'assets', 'page.js'), 'console.log(1)');
  // The built-in CloudFormation rule engine (warnings only) would add ~30 s; cdk-nag is what is checked here.
  const app = new App({ outdir: await makeTempDir(), builtinCloudFormationValidation: false });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const homeStack = new Stack(app, 'Home', { env: { region: 'eu-west-1' } });
  new Checkup(homeStack, 'Checkup', {
    schedule: Duration.minutes(5),
    storage: 'dynamodb',
    checkExpiry: Duration.days(14),
    configParameterName: '/status/config',
    domainName: 'status.example.com',
    certificateArn: CERTIFICATE,
    alarmEmail: 'ops@example.com',
    pageDir,
    resultsBucketName: 'status-results-eu-west-1',
    endpointMetrics: false,
    alertTopicArns: [TOPIC],
    sesIdentities: ['example.com', SES_ELSEWHERE],
    secretsKeyArn: SECRETS_KEY,
  });
  const remoteStack = new Stack(app, 'Remote', { env: { region: 'ap-southeast-2' } });
  new CheckupRegionalChecks(remoteStack, 'Checkup', {
    homeRegion: 'eu-west-1',
    resultsBucketName: 'status-results-eu-west-1',
    configParameterName: '/status/config',
    schedule: Duration.minutes(5),
  });
  const assembly = app.synth();
  assetDir = assembly.directory;
  home = Template.fromJSON(assembly.getStackByName('Home').template);
  remote = Template.fromJSON(assembly.getStackByName('Remote').template);
}, 300_000);

afterAll(removeTempDirs);

describe('Checkup as a construct, every option on', () => {
  it('synthesizes both stacks with cdk-nag AwsSolutions checking them', () => {
    expect(assetDir).toBeTruthy();
    const checkupFunctions = (template: Template) =>
      Object.values(template.findResources('AWS::Lambda::Function')).filter((fn) =>
        String(fn.Properties.Description).startsWith('Checkup:'),
      ).length;
    // Home stores in DynamoDB and can fan out: check, shards, notify and heartbeat pings; the
    // remote region stores in S3 and can fan out: check and shards.
    expect(checkupFunctions(home)).toBe(4);
    expect(checkupFunctions(remote)).toBe(2);
  });

  it('keeps runs in a DynamoDB table with TTL, point-in-time recovery and encryption', () => {
    home.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expires', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
    home.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'status-results-eu-west-1',
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 14 })]) },
    });
  });

  it('lets the check function keep runs and the summary in the table, and mirror them into the bucket for the page and notify', () => {
    const table = logicalId(home, 'AWS::DynamoDB::Table', 'Results');
    const bucket = `<${logicalId(home, 'AWS::S3::Bucket', 'Results')}.Arn>`;
    const allowed = allowedActions(
      roleStatements(home, logicalId(home, 'AWS::IAM::Role', 'ChecksCheckRole')),
    );
    expect(Object.keys(allowed).filter((action) => action.startsWith('dynamodb:'))).toEqual([
      'dynamodb:PutItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:DeleteItem',
    ]);
    for (const action of Object.keys(allowed).filter((name) => name.startsWith('dynamodb:'))) {
      expect(allowed[action]).toEqual([`<${table}.Arn>`]);
    }
    expect(allowed['s3:PutObject']).toEqual([
      `${bucket}/checks/*`,
      `${bucket}/config/last-valid.json`,
      `${bucket}/summaries/badges/*`,
      `${bucket}/summaries/history/*`,
      `${bucket}/summaries/overview.json`,
      `${bucket}/summaries/overview/*`,
      `${bucket}/summaries/page.json`,
      `${bucket}/summaries/recent/*`,
      `${bucket}/summaries/summary.json`,
    ]);
    // The last valid config, the config object and heartbeats; the maintenance windows
    // `checkup maintenance start` stored are in the table's alert state item, read with GetItem.
    expect(allowed['s3:GetObject']).toEqual([
      `${bucket}/config/checkup.json`,
      `${bucket}/config/last-valid.json`,
      `${bucket}/heartbeats/*`,
      // The statuses the badges show, read once per container: no other badge is read.
      `${bucket}/summaries/badges/shown.json`,
    ]);
    // The last valid config is read before any exists: S3 answers 404 for it, not 403, only to a
    // role that may list the bucket, with no s3:prefix condition (a GET carries none).
    expect(allowed['s3:ListBucket']).toEqual([bucket]);
    const statements = roleStatements(home, logicalId(home, 'AWS::IAM::Role', 'ChecksCheckRole'));
    expect(statements.find((statement) => statement.Sid === 'ListResults')?.Condition).toBeUndefined();
    // The table's TTL removes rows by the `expires` the function sets from the stack's check expiry.
    home.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('runs every checker'),
      Environment: {
        Variables: Match.objectLike({ CHECKUP_CHECK_EXPIRY_MS: String(14 * 24 * 3600 * 1000) }),
      },
    });
    home.resourceCountIs('Custom::S3BucketNotifications', 1);
    // The shard queue's, only: the notify function is fired by the bucket.
    home.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });

  it('fans a large config out over the shard queue with a table too: each shard puts only its run, result and latest items, and its run file', () => {
    const table = logicalId(home, 'AWS::DynamoDB::Table', 'Results');
    const bucket = `<${logicalId(home, 'AWS::S3::Bucket', 'Results')}.Arn>`;
    const queue = logicalId(home, 'AWS::SQS::Queue', 'ShardsQueue');
    const deadLetters = logicalId(home, 'AWS::SQS::Queue', 'ShardsDeadLetters');
    const shard = logicalId(home, 'AWS::Lambda::Function', 'ShardsShardFunction');
    home.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] }, maxReceiveCount: 1 },
    });
    home.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: shard },
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      BatchSize: 1,
    });
    home.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('runs every checker'),
      Environment: {
        Variables: Match.objectLike({ CHECKUP_STORAGE: 'dynamodb', CHECKUP_SHARD_QUEUE_URL: { Ref: queue } }),
      },
    });
    const fn = home.findResources('AWS::Lambda::Function')[shard];
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      CHECKUP_STORAGE: 'dynamodb',
      CHECKUP_TABLE: { Ref: table },
      CHECKUP_CHECK_EXPIRY_MS: String(14 * 24 * 3600 * 1000),
    });
    const statements = roleStatements(home, logicalId(home, 'AWS::IAM::Role', 'ShardsShardRole'));
    expect(statements.filter((statement) => JSON.stringify(statement.Action).includes('dynamodb:'))).toEqual([
      {
        Sid: 'PutRunAndLatestItems',
        Effect: 'Allow',
        Action: 'dynamodb:PutItem',
        Resource: { 'Fn::GetAtt': [table, 'Arn'] },
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['RUN', 'LATEST'] } },
      },
      {
        Sid: 'WriteResultItems',
        Effect: 'Allow',
        Action: 'dynamodb:BatchWriteItem',
        Resource: { 'Fn::GetAtt': [table, 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EP#*'] } },
      },
    ]);
    const allowed = allowedActions(statements);
    expect(Object.keys(allowed).filter((action) => action.startsWith('s3:'))).toEqual(['s3:PutObject']);
    expect(allowed['s3:PutObject']).toEqual([`${bucket}/checks/*`]);
    // The planner may queue shards, nothing else on the queue.
    const planner = allowedActions(
      roleStatements(home, logicalId(home, 'AWS::IAM::Role', 'ChecksCheckRole')),
    );
    expect(Object.keys(planner).filter((action) => action.startsWith('sqs:'))).toEqual(['sqs:SendMessage']);
  });

  it('checks every five minutes and reads the config from the named parameter', () => {
    home.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    home.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 295,
      Environment: {
        Variables: Match.objectLike({ CHECKUP_ENDPOINT_METRICS: 'off', CHECKUP_STORAGE: 'dynamodb' }),
      },
    });
    const allowed = allowedActions(
      roleStatements(home, logicalId(home, 'AWS::IAM::Role', 'ChecksCheckRole')),
    );
    expect(allowed['ssm:GetParameter']).toEqual([
      'arn:<AWS::Partition>:ssm:eu-west-1:<AWS::AccountId>:parameter/status/config',
    ]);
  });

  it('serves the custom domain with its certificate and TLS 1.2 at least', () => {
    home.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['status.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: CERTIFICATE,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
    const url = Object.entries(home.findOutputs('*')).find(([id]) => id.includes('PageUrl'))?.[1];
    expect(url?.Value).toBe('https://status.example.com/');
  });

  it('deploys the built page and invalidates the distribution', () => {
    home.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: logicalId(home, 'AWS::S3::Bucket', 'SiteBucket') },
      DistributionPaths: ['/*'],
      SourceObjectKeys: [Match.stringLikeRegexp('\\.zip$')],
    });
  });

  it('lets the notify function keep the alert state as the table item `checkup` writes, only that item', () => {
    const table = logicalId(home, 'AWS::DynamoDB::Table', 'Results');
    const statements = roleStatements(home, logicalId(home, 'AWS::IAM::Role', 'NotifyRole'));
    expect(statements.filter((statement) => JSON.stringify(statement.Action).includes('dynamodb:'))).toEqual([
      {
        Sid: 'KeepAlertState',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: { 'Fn::GetAtt': [table, 'Arn'] },
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['ALERTS'] } },
      },
    ]);
    // In the bucket, only the claims of fanned-out ticks (S3's conditional create decides who applies one).
    const state = statements.filter((statement) => JSON.stringify(statement.Resource).includes('/state/'));
    expect(state.map((statement) => [statement.Sid, statement.Action, resourcesOf(statement)])).toEqual([
      [
        'ClaimTicks',
        ['s3:GetObject', 's3:PutObject'],
        [`<${logicalId(home, 'AWS::S3::Bucket', 'Results')}.Arn>/state/ticks/*`],
      ],
    ]);
    const fn =
      home.findResources('AWS::Lambda::Function')[logicalId(home, 'AWS::Lambda::Function', 'NotifyFunction')];
    expect(fn?.Properties.Environment.Variables.CHECKUP_STATE_TABLE).toEqual({ Ref: table });
  });

  it('lets the notify function publish to the named alert topics only', () => {
    const allowed = allowedActions(roleStatements(home, logicalId(home, 'AWS::IAM::Role', 'NotifyRole')));
    expect(allowed['sns:Publish']).toEqual([TOPIC]);
  });

  it('lets the notify function send mail through SES as the named identities only', () => {
    const allowed = allowedActions(roleStatements(home, logicalId(home, 'AWS::IAM::Role', 'NotifyRole')));
    expect(allowed['ses:SendEmail']).toEqual([
      'arn:<AWS::Partition>:ses:eu-west-1:<AWS::AccountId>:identity/example.com',
      SES_ELSEWHERE,
    ]);
    expect(Object.keys(allowed).filter((action) => action.startsWith('ses:'))).toEqual(['ses:SendEmail']);
    const check = allowedActions(roleStatements(home, logicalId(home, 'AWS::IAM::Role', 'ChecksCheckRole')));
    expect(Object.keys(check).filter((action) => action.startsWith('ses:'))).toEqual([]);
  });

  it('tells config push and both functions which topics were granted, so a config naming another is refused', () => {
    home.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/status/config/granted-topics',
      Value: JSON.stringify([TOPIC]),
    });
    for (const part of ['ChecksCheckFunction', 'NotifyFunction']) {
      const fn = home.findResources('AWS::Lambda::Function')[logicalId(home, 'AWS::Lambda::Function', part)];
      expect(fn?.Properties.Environment.Variables.CHECKUP_ALERT_TOPIC_ARNS).toBe(JSON.stringify([TOPIC]));
    }
  });

  it('lets the notify function decrypt notifier secrets with the given KMS key, through SSM only', () => {
    const statements = roleStatements(home, logicalId(home, 'AWS::IAM::Role', 'NotifyRole'));
    const decrypt = statements.filter((statement) => statement.Action === 'kms:Decrypt');
    expect(decrypt).toEqual([
      {
        Sid: 'DecryptNotifierSecrets',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: SECRETS_KEY,
        Condition: { StringEquals: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' } },
      },
    ]);
    // The check function reads no secret.
    const check = roleStatements(home, logicalId(home, 'AWS::IAM::Role', 'ChecksCheckRole'));
    expect(check.filter((statement) => JSON.stringify(statement.Action).includes('kms:'))).toEqual([]);
  });

  it('emails the alarms to the given address', () => {
    home.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    const topic = logicalId(home, 'AWS::SNS::Topic', 'Alarms');
    const alarms = Object.values(home.findResources('AWS::CloudWatch::Alarm'));
    // Invalid config, check function errors, dead letters (notify's and the shards'), a notifier
    // that keeps failing, no run stored, a fanned-out tick missing shards.
    expect(alarms.map((alarm) => alarm.Properties.MetricName).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'ApproximateNumberOfMessagesVisible',
      'ConfigInvalid',
      'Errors',
      'NotifierFailing',
      'RunStored',
      'ShardsMissing',
    ]);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    // Silence ending is news too: the not-reporting alarm also says when runs are stored again.
    const silence = alarms.find((alarm) => alarm.Properties.MetricName === 'RunStored');
    expect(silence?.Properties.OKActions).toEqual([{ Ref: topic }]);
    // A check stack in another region watches its own check function the same way (no email
    // given there: the alarms have no action).
    const remoteAlarms = Object.values(remote.findResources('AWS::CloudWatch::Alarm'));
    expect(remoteAlarms.map((alarm) => alarm.Properties.MetricName).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'ConfigInvalid',
      'Errors',
      'RunStored',
      'ShardsMissing',
    ]);
    for (const alarm of remoteAlarms) expect(alarm.Properties.AlarmActions).toBeUndefined();
  });

  it('records where a config over one parameter goes, and lets only the functions that read the config read that one object', () => {
    const parameter = Object.values(home.findResources('AWS::SSM::Parameter')).find(
      (resource) => resource.Properties.Name === '/status/config/config-object',
    );
    expect(flatten(parameter?.Properties.Value)).toMatch(
      /^s3:\/\/<.*Results.*Bucket.*>\/config\/checkup\.json$/,
    );
    const object = (arn: string) => arn.endsWith('/config/checkup.json');
    for (const part of ['ChecksCheckRole', 'NotifyRole', 'HeartbeatsPingRole']) {
      const allowed = allowedActions(roleStatements(home, logicalId(home, 'AWS::IAM::Role', part)));
      expect(allowed['s3:GetObject']?.filter(object), part).toHaveLength(1);
      expect(allowed['s3:PutObject']?.filter(object) ?? [], part).toEqual([]);
      expect(
        allowed['s3:GetObject']?.filter((arn) => arn.includes('/config/') && !arn.endsWith('.json')),
        part,
      ).toEqual([]);
    }
    const regional = allowedActions(
      roleStatements(remote, logicalId(remote, 'AWS::IAM::Role', 'ChecksCheckRole')),
    );
    expect(regional['s3:GetObject']).toContain(
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/config/checkup.json',
    );
    home.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Id: 'expire-tick-claims', Prefix: 'state/ticks/', ExpirationInDays: 1 }),
        ]),
      },
    });
  });

  it("checks from another region into the home region's bucket, with that region's config", () => {
    const role = logicalId(remote, 'AWS::IAM::Role', 'ChecksCheckRole');
    const allowed = allowedActions(roleStatements(remote, role));
    expect(allowed['s3:PutObject']).toEqual([
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/checks/*',
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/config/last-valid.json',
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/summaries/badges/*',
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/summaries/history/*',
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/summaries/overview.json',
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/summaries/overview/*',
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/summaries/page.json',
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/summaries/recent/*',
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/summaries/state/*',
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/summaries/summary.json',
    ]);
    // Its badges go to the same bucket: it reads the statuses they show, and no badge.
    expect(allowed['s3:GetObject']).toContain(
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/summaries/badges/shown.json',
    );
    expect(allowed['s3:GetObject']?.filter((resource) => resource.includes('/summaries/badges/'))).toEqual([
      'arn:<AWS::Partition>:s3:::status-results-eu-west-1/summaries/badges/shown.json',
    ]);
    expect(allowed['ssm:GetParameter']).toEqual([
      'arn:<AWS::Partition>:ssm:eu-west-1:<AWS::AccountId>:parameter/status/config',
    ]);
    remote.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          CHECKUP_BUCKET: 'status-results-eu-west-1',
          CHECKUP_BUCKET_REGION: 'eu-west-1',
          CHECKUP_CONFIG_REGION: 'eu-west-1',
          CHECKUP_CONFIG_PARAMETER: '/status/config',
        }),
      },
    });
    remote.resourceCountIs('AWS::S3::Bucket', 0);
    remote.resourceCountIs('AWS::CloudFront::Distribution', 0);
    expect(flatten(remote.findResources('AWS::Events::Rule'))).toContain('rate(5 minutes)');
  });
});

describe('cdk-nag in the app', () => {
  it('fails the synth when a construct breaks an AwsSolutions rule', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Careless');
    new s3.Bucket(stack, 'Open', { enforceSSL: false });
    expect(() => app.synth()).toThrow(/AwsSolutions-S10/);
  });
});
