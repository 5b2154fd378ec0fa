// The notify function, driven by the S3 events s3rver itself emits when run files are stored,
// with alerts delivered to a recording loopback webhook and the config in SSM (mocked).
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFileName } from '../../core/storage.js';
import { lambdaContext } from './lambda-context.js';
import {
  NOTIFY_BUCKET,
  NOTIFY_CONFIG_PARAMETER,
  type NotifyOnS3rver,
  startNotifyOnS3rver,
} from './notify-on-s3rver.js';

const BUCKET = NOTIFY_BUCKET;
const PARAMETER = NOTIFY_CONFIG_PARAMETER;

let notify: NotifyOnS3rver;
let s3rver: NotifyOnS3rver['s3rver'];
let webhook: NotifyOnS3rver['receiver'];
let s3: NotifyOnS3rver['s3'];
let ssm: NotifyOnS3rver['ssm'];
let handler: NotifyOnS3rver['handler'];
let stdout: NotifyOnS3rver['stdout'];

/** Stores a run the way the check function does and returns the event s3rver emitted for it. */
const storeRun = (status: 'healthy' | 'down') => notify.storeRun(status, { region: 'eu-west-1' });

beforeAll(async () => {
  notify = await startNotifyOnS3rver((url) => ({
    checkers: [{ type: 'http', endpoint_name: 'API', endpoint_url: 'https://api.example.com' }],
    notifiers: [{ type: 'webhook', url: `${url}/hook` }],
  }));
  ({ s3rver, receiver: webhook, s3, ssm, handler, stdout } = notify);
}, 60_000);

afterAll(async () => {
  await notify?.close();
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
