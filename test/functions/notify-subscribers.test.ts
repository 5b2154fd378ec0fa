// The notify function tells subscriber webhooks of status changes, from the config in SSM
// (mocked), driven by the S3 events s3rver emits as run files are stored.
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
let receiver: RecordingServer;
let s3: S3Client;
let handler: typeof import('../../functions/notify-handler.js').handler;
let stdout: ReturnType<typeof captureStdout>;
let clock = 1_790_000_000_000_000_000;

async function storeRun(status: 'healthy' | 'down'): Promise<S3Event> {
  clock += 60e9;
  const result: Result = {
    title: 'API',
    endpoint: 'https://api.example.com',
    timestamp: clock,
    times: status === 'down' ? [{ rtt: 0, error: 'connection refused' }] : [{ rtt: 20e6 }],
    [status]: true,
  };
  const key = `checks/${runFileName(clock)}`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify([result]) }));
  return s3rver.waitForEvent((event) => event.Records[0]?.s3.object.key === key);
}

beforeAll(async () => {
  s3rver = await startS3rverWithEvents(await makeTempDir(), [BUCKET]);
  receiver = await startRecordingServer();
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
    CHECKUP_ALERT_TOPIC_ARNS: '[]',
    CHECKUP_CONFIG_CACHE_MS: '0',
  });
  ssm.on(GetParameterCommand, { Name: PARAMETER }).resolves({
    Parameter: {
      Value: JSON.stringify({
        checkers: [{ type: 'http', endpoint_name: 'API', endpoint_url: 'https://api.example.com' }],
        notifiers: [{ type: 'webhook', url: `${receiver.url}/team` }],
        subscribers: { webhooks: [{ url: `${receiver.url}/subscriber`, events: ['down', 'recovered'] }] },
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
  await receiver?.close();
  await s3rver?.stop();
  await removeTempDirs();
  ssm.restore();
});

describe('notify function with subscribers', () => {
  it('tells the subscriber webhook of each status change once, beside the team’s notifier', async () => {
    await handler(await storeRun('healthy'), lambdaContext('notify'));
    const down = await storeRun('down');
    await handler(down, lambdaContext('notify'));
    // S3 delivers at least once: the same event again tells nobody twice.
    await handler(down, lambdaContext('notify'));
    await handler(await storeRun('healthy'), lambdaContext('notify'));
    const told = (path: string) =>
      receiver.requests
        .filter((request) => request.path === path)
        .map((request) => (request.json as { type: string }).type);
    expect(told('/subscriber')).toEqual(['checkup.down', 'checkup.recovered']);
    expect(told('/team')).toEqual(['checkup.down', 'checkup.recovered']);
  });
});
