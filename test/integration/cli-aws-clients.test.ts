// The built `checkup` (bin/checkup.js, run as a process) with every command that loads an AWS SDK
// client, each at a loopback stand-in reached as a user's would be: SSM and SNS through the
// SDK's standard AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL_SNS, S3 at s3rver, DynamoDB at dynalite.
// The bundle loads the SDK lazily, in chunks: these catch a client class that is undefined there.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { awsCliEnv } from '../helpers/aws-cli-env.js';
import { DYNALITE_CREDENTIALS, type RunningDynalite, startDynalite } from '../helpers/dynalite.js';
import { type RunningSsmServer, startSsmServer } from '../helpers/fake-ssm.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import { runCli } from '../helpers/run-cli.js';
import { type RunningS3rver, S3RVER_CREDENTIALS, startS3rver } from '../helpers/s3rver.js';
import { closedPort } from '../helpers/servers.js';
import { type RunningSnsServer, startSnsServer } from '../helpers/sns-server.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

const BUCKET = 'checkup-cli-clients';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:oncall';
let ssm: RunningSsmServer;
let sns: RunningSnsServer;
let s3rver: RunningS3rver;
let dynalite: RunningDynalite;
let hook: RecordingServer;
let downUrl: string;

beforeAll(async () => {
  [ssm, sns, s3rver, dynalite, hook] = await Promise.all([
    startSsmServer(),
    startSnsServer(),
    startS3rver([BUCKET]),
    startDynalite(),
    startRecordingServer(),
  ]);
  downUrl = `http://127.0.0.1:${await closedPort()}`;
});
afterAll(async () => {
  await Promise.all([ssm.close(), sns.close(), hook.close()]);
  await Promise.all([s3rver.close(), dynalite.close()]);
});
afterEach(async () => {
  ssm.parameters.clear();
  sns.published.length = 0;
  sns.deniedTopics.clear();
  hook.requests.length = 0;
  await removeTempDirs();
});

const awsEnv = () => awsCliEnv({ AWS_ENDPOINT_URL_SSM: ssm.url, AWS_ENDPOINT_URL_SNS: sns.url });

const CONFIG = { checkers: [{ type: 'http', endpoint_name: 'Site', endpoint_url: 'https://example.com' }] };

describe('the built checkup with the AWS SDK', () => {
  it('config push writes checkup.json to SSM', async () => {
    const cwd = await makeProject(CONFIG);
    const outcome = await runCli(['config', 'push'], cwd, awsEnv());
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('pushed');
    expect(JSON.parse(ssm.parameters.get('/checkup/config')?.value ?? '')).toEqual(CONFIG);
  });

  it('config pull reads it back from SSM', async () => {
    ssm.parameters.set('/status/config', { value: JSON.stringify(CONFIG), tier: 'Standard' });
    const cwd = await makeProject({ checkers: [] });
    const outcome = await runCli(
      ['config', 'pull', '--parameter', '/status/config', '--force'],
      cwd,
      awsEnv(),
    );
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(JSON.parse(await readFile(path.join(cwd, 'checkup.json'), 'utf8'))).toEqual(CONFIG);
    expect(ssm.calls).toContain('GetParametersByPath');
  });

  it('config push keeps a config over 4 KB in the S3 object the stack records, and pull reads it back', async () => {
    ssm.parameters.set('/checkup/config/config-object', {
      value: `s3://${BUCKET}/config/checkup.json`,
      tier: 'Standard',
    });
    // Left by an earlier push that split the config: removed, as the pointer replaces them.
    ssm.parameters.set('/checkup/config/checkers/000', { value: '{}', tier: 'Standard' });
    const large = {
      checkers: Array.from({ length: 100 }, (_, index) => ({
        type: 'http',
        endpoint_name: `Service ${index}`,
        endpoint_url: `https://service-${index}.example.com/health`,
      })),
    };
    const cwd = await makeProject(large);
    const env = {
      ...awsEnv(),
      AWS_ENDPOINT_URL_S3: s3rver.endpoint,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    };
    const outcome = await runCli(['config', 'push'], cwd, env);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`kept in s3://${BUCKET}/config/checkup.json`);
    const text = await readFile(path.join(cwd, 'checkup.json'), 'utf8');
    const object = await s3rver
      .client()
      .send(new GetObjectCommand({ Bucket: BUCKET, Key: 'config/checkup.json' }));
    expect(await object.Body?.transformToString('utf8')).toBe(text);
    expect(JSON.parse(ssm.parameters.get('/checkup/config')?.value ?? '')).toEqual({
      checkup_config_object: {
        url: `s3://${BUCKET}/config/checkup.json`,
        sha256: createHash('sha256').update(text).digest('hex'),
        bytes: Buffer.byteLength(text),
      },
    });
    expect(ssm.parameters.has('/checkup/config/checkers/000')).toBe(false);

    const elsewhere = await makeProject({ checkers: [] });
    ssm.calls.length = 0;
    const pulled = await runCli(['config', 'pull', '--force'], elsewhere, env);
    expect(pulled.stderr).toBe('');
    expect(JSON.parse(await readFile(path.join(elsewhere, 'checkup.json'), 'utf8'))).toEqual(large);
    expect(ssm.calls).toEqual(['GetParameter']);
  });

  it('config push refuses an sns notifier whose topic the stack was not granted, and writes nothing', async () => {
    ssm.parameters.set('/checkup/config/granted-topics', {
      value: JSON.stringify([TOPIC]),
      tier: 'Standard',
    });
    const other = 'arn:aws:sns:eu-west-1:123456789012:elsewhere';
    const cwd = await makeProject({ ...CONFIG, notifiers: [{ type: 'sns', topic_arn: other }] });
    const outcome = await runCli(['config', 'push'], cwd, awsEnv());
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(
      `notifiers[0].topic_arn: ${other} is not a topic the deployment may publish to`,
    );
    expect(outcome.stderr).toContain(`-c alertTopicArns=${TOPIC},${other}`);
    expect(ssm.parameters.has('/checkup/config')).toBe(false);

    const granted = await makeProject({ ...CONFIG, notifiers: [{ type: 'sns', topic_arn: TOPIC }] });
    expect((await runCli(['config', 'push'], granted, awsEnv())).code).toBe(0);
    expect(ssm.parameters.has('/checkup/config')).toBe(true);
  });

  it('--store reads a notifier secret from SSM and posts to the URL it holds', async () => {
    ssm.parameters.set('/checkup/secrets/hook', { value: `${hook.url}/secret-path`, tier: 'Standard' });
    const cwd = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: downUrl }],
      notifiers: [{ type: 'webhook', url: 'ssm:/checkup/secrets/hook' }],
    });
    const outcome = await runCli(['--store'], cwd, awsEnv());
    expect(outcome.stderr).not.toMatch(/not a constructor|not delivered/);
    expect(outcome.code).toBe(1);
    expect(hook.requests.map((request) => [request.path, (request.json as { type: string }).type])).toEqual([
      ['/secret-path', 'checkup.down'],
    ]);
  });

  it('--store publishes an alert to an sns notifier', async () => {
    const cwd = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: downUrl }],
      notifiers: [{ type: 'sns', topic_arn: TOPIC }],
    });
    const outcome = await runCli(['--store'], cwd, awsEnv());
    expect(outcome.stderr).not.toMatch(/not a constructor|not delivered/);
    expect(outcome.code).toBe(1);
    expect(sns.published).toEqual([
      { topicArn: TOPIC, subject: expect.stringContaining('Shop'), message: expect.stringContaining('Shop') },
    ]);
  });

  it('delivers the webhook alert of a run whose sns publish is denied, and says which failed', async () => {
    sns.deniedTopics.add(TOPIC);
    const cwd = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: downUrl }],
      notifiers: [
        { type: 'sns', topic_arn: TOPIC },
        { type: 'webhook', url: hook.url },
      ],
    });
    const outcome = await runCli(['--store'], cwd, awsEnv());
    expect(hook.requests.map((request) => (request.json as { type: string }).type)).toEqual(['checkup.down']);
    expect(outcome.stderr).toContain('1 alert(s) not delivered');
    expect(outcome.stderr).toContain('AuthorizationError');
    expect(sns.published).toEqual([]);
  });

  it('--store keeps runs in S3 (s3rver)', async () => {
    const cwd = await makeProject({
      ...CONFIG,
      checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: downUrl }],
      storage: {
        type: 's3',
        bucket: BUCKET,
        region: 'us-east-1',
        endpoint: s3rver.endpoint,
        force_path_style: true,
        access_key_id: S3RVER_CREDENTIALS.accessKeyId,
        secret_access_key: S3RVER_CREDENTIALS.secretAccessKey,
      },
    });
    const stored = await runCli(['--store'], cwd, awsEnv());
    expect(stored.stderr).not.toMatch(/not a constructor/);
    expect(stored.code).toBe(1);
    const history = await runCli(['history', 'Shop'], cwd, awsEnv());
    expect(history.stderr).toBe('');
    expect(history.stdout).toContain('down');
  });

  it('--store keeps runs in DynamoDB (dynalite)', async () => {
    await dynalite.createTable('checkup-cli-clients');
    const cwd = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: downUrl }],
      storage: {
        type: 'dynamodb',
        table: 'checkup-cli-clients',
        region: 'us-east-1',
        endpoint: dynalite.endpoint,
      },
    });
    const env = {
      ...awsEnv(),
      AWS_ACCESS_KEY_ID: DYNALITE_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DYNALITE_CREDENTIALS.secretAccessKey,
    };
    const stored = await runCli(['--store'], cwd, env);
    expect(stored.stderr).not.toMatch(/not a constructor/);
    expect(stored.code).toBe(1);
    const history = await runCli(['history', 'Shop'], cwd, env);
    expect(history.stderr).toBe('');
    expect(history.stdout).toContain('down');
  });
});
