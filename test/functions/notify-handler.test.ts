// The notify function, driven by the S3 events s3rver itself emits when run files are stored,
// with alerts delivered to a recording loopback webhook and the config in SSM (mocked).
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../core/result.js';
import { runFileName } from '../../core/storage.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import { type S3rverHandle, startS3rverWithEvents } from '../helpers/s3rver-with-events.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { captureStdout, lambdaContext } from './lambda-context.js';

const BUCKET = 'checkup-results';
const PARAMETER = '/checkup/config';
const ssm = mockClient(SSMClient);

let s3rver: S3rverHandle;
let webhook: RecordingServer;
let s3: S3Client;
let handler: typeof import('../../functions/notify-handler.js').handler;
let stdout: ReturnType<typeof captureStdout>;
let clock = 1_790_000_000_000_000_000;

/** Stores a run the way the check function does and returns the event s3rver emitted for it. */
async function storeRun(status: 'healthy' | 'down'): Promise<S3Event> {
  clock += 60e9;
  const result: Result = {
    title: 'API',
    endpoint: 'https://api.example.com',
    timestamp: clock,
    times: status === 'down' ? [{ rtt: 0, error: 'connection refused' }] : [{ rtt: 20e6 }],
    [status]: true,
    region: 'eu-west-1',
  };
  const key = `checks/${runFileName(clock)}`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify([result]) }));
  return s3rver.waitForEvent((event) => event.Records[0]?.s3.object.key === key);
}

beforeAll(async () => {
  s3rver = await startS3rverWithEvents(await makeTempDir(), [BUCKET]);
  webhook = await startRecordingServer();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    CHECKUP_BUCKET: BUCKET,
    CHECKUP_S3_ENDPOINT: s3rver.endpoint,
    CHECKUP_RUN_PREFIX: 'checks/',
    CHECKUP_STATE_PREFIX: 'state/',
    CHECKUP_LAST_VALID_CONFIG_KEY: 'config/last-valid.json',
    CHECKUP_CONFIG_PARAMETER: PARAMETER,
    CHECKUP_CONFIG_REGION: 'us-east-1',
    // As the stack gives it: no alertTopicArns granted. Every invocation reads SSM again.
    CHECKUP_ALERT_TOPIC_ARNS: '[]',
    CHECKUP_CONFIG_CACHE_MS: '0',
  });
  ssm.on(GetParameterCommand, { Name: PARAMETER }).resolves({
    Parameter: {
      Value: JSON.stringify({
        checkers: [{ type: 'http', endpoint_name: 'API', endpoint_url: 'https://api.example.com' }],
        notifiers: [{ type: 'webhook', url: `${webhook.url}/hook` }],
      }),
    },
  });
  ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
  s3 = new S3Client({ region: 'us-east-1', endpoint: s3rver.endpoint, forcePathStyle: true });
  ({ handler } = await import('../../functions/notify-handler.js'));
  stdout = captureStdout();
}, 60_000);

afterAll(async () => {
  stdout?.restore();
  await webhook?.close();
  await s3rver?.stop();
  await removeTempDirs();
  ssm.restore();
});

describe('notify function', () => {
  it('alerts once when an endpoint goes down, never again for the same event, and once when it recovers', async () => {
    const healthy = await handler(await storeRun('healthy'), lambdaContext('notify'));
    expect(healthy).toMatchObject({ alerts: 0, skipped: [] });
    expect(webhook.requests).toHaveLength(0);

    const downEvent = await storeRun('down');
    await handler(downEvent, lambdaContext('notify'));
    expect(webhook.requests.map((request) => (request.json as { type: string }).type)).toEqual([
      'checkup.down',
    ]);
    expect((webhook.requests[0]?.json as { alert?: { region: string } } | undefined)?.alert?.region).toBe(
      'eu-west-1',
    );

    // S3 delivers at least once: the same event again must not alert twice.
    const again = await handler(downEvent, lambdaContext('notify'));
    expect(again.alerts).toBe(0);
    expect(webhook.requests).toHaveLength(1);

    await handler(await storeRun('healthy'), lambdaContext('notify'));
    expect(webhook.requests.map((request) => (request.json as { type: string }).type)).toEqual([
      'checkup.down',
      'checkup.recovered',
    ]);
    expect(stdout.lines()).toContainEqual(
      expect.objectContaining({ level: 'info', message: 'run processed' }),
    );
    // One EMF line per delivering run: per notifier type, and in total (the empty dimension set).
    const sent = stdout.lines().filter((line) => line.AlertsSent !== undefined);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Checkup',
            Dimensions: [['NotifierType'], []],
            Metrics: [
              { Name: 'AlertsSent', Unit: 'Count' },
              { Name: 'AlertsFailed', Unit: 'Count' },
            ],
          },
        ],
      },
      NotifierType: 'webhook',
      AlertsSent: 1,
      AlertsFailed: 0,
    });
  });

  it('skips objects that are not run files', async () => {
    const key = 'checks/index.json';
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: '{}' }));
    const event = await s3rver.waitForEvent((e) => e.Records[0]?.s3.object.key === key);
    const outcome = await handler(event, lambdaContext('notify'));
    expect(outcome).toEqual({ processed: [], skipped: [key], waiting: [], alerts: 0 });
  });

  it('alerts with the last valid config when an edit names an sns topic the stack did not grant', async () => {
    const hook = { type: 'webhook', url: `${webhook.url}/hook` };
    const checkers = [{ type: 'http', endpoint_name: 'API', endpoint_url: 'https://api.example.com' }];
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'config/last-valid.json',
        Body: JSON.stringify({ checkers, notifiers: [hook] }),
      }),
    );
    const topic = 'arn:aws:sns:us-east-1:123456789012:ungranted';
    ssm.on(GetParameterCommand, { Name: PARAMETER }).resolves({
      Parameter: {
        Value: JSON.stringify({ checkers, notifiers: [hook, { type: 'sns', topic_arn: topic }] }),
      },
    });
    const before = webhook.requests.length;
    const outcome = await handler(await storeRun('down'), lambdaContext('notify'));
    expect(outcome.alerts).toBe(1);
    expect(webhook.requests.slice(before).map((request) => (request.json as { type: string }).type)).toEqual([
      'checkup.down',
    ]);
    expect(stdout.lines()).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        issues: [expect.objectContaining({ path: 'notifiers[1].topic_arn' })],
      }),
    );
  });

  it('fails the invocation (so Lambda retries and dead-letters it) when a run cannot be read', async () => {
    const event: S3Event = structuredClone(await storeRun('healthy'));
    const record = event.Records[0];
    if (!record) throw new Error('no record');
    record.s3.object.key = `checks/${runFileName(1)}`;
    await expect(handler(event, lambdaContext('notify'))).rejects.toThrow(/1 run\(s\) not processed/);
  });
});
