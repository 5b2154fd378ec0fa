// The notify function alerting on the regions' vote, and on nothing when the check function found
// its probe offline: runs stored in s3rver (by the check function itself for the probe, with real
// loopback servers), the events s3rver emits, a recording webhook; the config in SSM (mocked).
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../core/result.js';
import { runFileName } from '../../core/storage.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import { type S3rverHandle, startS3rverWithEvents } from '../helpers/s3rver-with-events.js';
import { closedPort, type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { captureStdout, lambdaContext, scheduledEvent } from './lambda-context.js';

const BUCKET = 'checkup-results';
const PARAMETER = '/checkup/config';
const ssm = mockClient(SSMClient);
const T0 = Date.UTC(2026, 0, 1);
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];

let s3rver: S3rverHandle;
let webhook: RecordingServer;
let canary: RunningServer;
let s3: S3Client;
let notify: typeof import('../../functions/notify-handler.js').handler;
let check: typeof import('../../functions/check-handler.js').handler;
let stdout: ReturnType<typeof captureStdout>;

function setConfig(config: unknown): void {
  ssm.reset();
  ssm.on(GetParameterCommand, { Name: PARAMETER }).resolves({ Parameter: { Value: JSON.stringify(config) } });
  ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
}

/** Stores region `region`'s run of tick `n` (minutes after T0) as its check function would. */
async function storeRegional(region: string, n: number, status: 'healthy' | 'down'): Promise<S3Event> {
  const tick = T0 + n * 60_000;
  // Each region's run file has its own name: they store a few ms apart.
  const timestamp = (tick + 1000 + REGIONS.indexOf(region)) * 1e6;
  const result: Result = {
    title: 'Orders',
    endpoint: 'https://orders.example.com',
    timestamp,
    times: status === 'down' ? [{ rtt: 0, error: 'connection refused' }] : [{ rtt: 20e6 }],
    [status]: true,
    region,
    tick,
  };
  const key = `checks/${runFileName(timestamp)}`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify([result]) }));
  return s3rver.waitForEvent((event) => event.Records[0]?.s3.object.key === key);
}

const kinds = () => webhook.requests.map((request) => (request.json as { type: string }).type);

beforeAll(async () => {
  s3rver = await startS3rverWithEvents(await makeTempDir(), [BUCKET]);
  webhook = await startRecordingServer();
  canary = await startHttpServer((_request, response) => response.end('ok'));
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    CHECKUP_BUCKET: BUCKET,
    CHECKUP_BUCKET_REGION: 'us-east-1',
    CHECKUP_S3_ENDPOINT: s3rver.endpoint,
    CHECKUP_RUN_PREFIX: 'checks/',
    CHECKUP_SUMMARY_KEY: 'summaries/summary.json',
    CHECKUP_STATE_PREFIX: 'state/',
    CHECKUP_BADGE_PREFIX: 'summaries/badges/',
    CHECKUP_INTERVAL_MS: '60000',
    CHECKUP_LAST_VALID_CONFIG_KEY: 'config/last-valid.json',
    CHECKUP_CONFIG_PARAMETER: PARAMETER,
    CHECKUP_CONFIG_REGION: 'us-east-1',
    CHECKUP_ALERT_TOPIC_ARNS: '[]',
    CHECKUP_CONFIG_CACHE_MS: '0',
  });
  s3 = new S3Client({ region: 'us-east-1', endpoint: s3rver.endpoint, forcePathStyle: true });
  ({ handler: notify } = await import('../../functions/notify-handler.js'));
  ({ handler: check } = await import('../../functions/check-handler.js'));
  stdout = captureStdout();
}, 60_000);

afterAll(async () => {
  stdout?.restore();
  await webhook?.close();
  await canary?.close();
  await s3rver?.stop();
  await removeTempDirs();
  ssm.restore();
});

describe('notify function with checks from several regions', () => {
  it('alerts down once a quorum of the regions that reported agree, never on one region alone', async () => {
    setConfig({
      checkers: [{ type: 'http', endpoint_name: 'Orders', endpoint_url: 'https://orders.example.com' }],
      notifiers: [{ type: 'webhook', url: `${webhook.url}/hook` }],
    });
    for (const region of REGIONS)
      await notify(await storeRegional(region, 0, 'healthy'), lambdaContext('notify'));

    // Down from ap-southeast-2 alone: degraded, with the region named.
    await notify(await storeRegional('us-east-1', 1, 'healthy'), lambdaContext('notify'));
    await notify(await storeRegional('ap-southeast-2', 1, 'down'), lambdaContext('notify'));
    expect(kinds()).toEqual([]);
    await notify(await storeRegional('eu-west-1', 1, 'healthy'), lambdaContext('notify'));
    expect(kinds()).toEqual(['checkup.degraded']);
    const degraded = webhook.requests[0]?.json as { alert: { notice?: string } };
    expect(degraded.alert.notice).toBe('down from ap-southeast-2');

    // Down from two of three: down. The same event delivered again alerts nothing more.
    await notify(await storeRegional('us-east-1', 2, 'down'), lambdaContext('notify'));
    await notify(await storeRegional('ap-southeast-2', 2, 'down'), lambdaContext('notify'));
    const last = await storeRegional('eu-west-1', 2, 'healthy');
    await notify(last, lambdaContext('notify'));
    await notify(last, lambdaContext('notify'));
    expect(kinds()).toEqual(['checkup.degraded', 'checkup.down']);
  });
});

describe('check and notify functions when the probe is offline', () => {
  it('stores the run as probe offline and alerts nothing when every endpoint and the canary are unreachable', async () => {
    webhook.requests.length = 0;
    const ports = [await closedPort(), await closedPort(), await closedPort()];
    const config = (canaryUrl: string) => ({
      checkers: [
        { type: 'http', endpoint_name: 'Shop', endpoint_url: `http://127.0.0.1:${ports[0]}/` },
        { type: 'tcp', endpoint_name: 'Db', endpoint_url: `127.0.0.1:${ports[1]}` },
      ],
      canary: { type: 'http', endpoint_url: canaryUrl },
      notifiers: [{ type: 'webhook', url: `${webhook.url}/hook` }],
    });
    setConfig(config(`http://127.0.0.1:${ports[2]}/`));
    const offline = await check(scheduledEvent(), lambdaContext('check'));
    expect(offline.down).toBe(2);
    const event = await s3rver.waitForEvent((e) => e.Records[0]?.s3.object.key === `checks/${offline.run}`);
    expect((await notify(event, lambdaContext('notify'))).alerts).toBe(0);
    expect(webhook.requests).toEqual([]);
    // The heartbeat was emitted for the stored run.
    expect(stdout.lines().some((line) => line.RunStored === 1)).toBe(true);

    // The same outage with the canary answering is real: both are announced.
    setConfig(config(canary.url));
    const online = await check(scheduledEvent(), lambdaContext('check'));
    const real = await s3rver.waitForEvent((e) => e.Records[0]?.s3.object.key === `checks/${online.run}`);
    expect((await notify(real, lambdaContext('notify'))).alerts).toBe(2);
    expect(kinds()).toEqual(['checkup.down', 'checkup.down']);
  });
});

describe('check function badges with several regions', () => {
  it("shows the regions' vote, not what this region alone saw", async () => {
    const site = await startHttpServer((_request, response) => response.end('ok'));
    try {
      setConfig({ checkers: [{ type: 'http', endpoint_name: 'Cart', endpoint_url: site.url }] });
      const minute = Math.floor(Date.now() / 60_000) * 60_000;
      const at = (tick: number) => ({ ...scheduledEvent(), time: new Date(tick).toISOString() });
      /** ap-southeast-2's run of `tick`, stored before this region's. */
      const storeRemote = async (tick: number, status: 'healthy' | 'down') => {
        const timestamp = (tick + 500) * 1e6;
        const result: Result = {
          title: 'Cart',
          endpoint: site.url,
          timestamp,
          times: status === 'down' ? [{ rtt: 0, error: 'connection refused' }] : [{ rtt: 20e6 }],
          [status]: true,
          region: 'ap-southeast-2',
          tick,
        };
        const key = `checks/${runFileName(timestamp)}`;
        await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify([result]) }));
      };
      await storeRemote(minute - 120_000, 'healthy');
      await check(at(minute - 120_000), lambdaContext('check'));
      // Tick 2: ap-southeast-2 cannot reach Cart, eu-west-1 (this function) can: one of two is degraded.
      await storeRemote(minute - 60_000, 'down');
      await check(at(minute - 60_000), lambdaContext('check'));
      const badge = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'summaries/badges/Cart.svg' }));
      expect(await badge.Body?.transformToString()).toContain('Cart: degraded');
    } finally {
      await site.close();
    }
  });
});
