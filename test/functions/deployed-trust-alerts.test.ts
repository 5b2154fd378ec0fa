// Heartbeats, depends_on, failure_rate and the delivery audit through the deployed functions: the
// ping, check and notify functions' bundled assets from the synthesized app, each run as Lambda
// runs it, with its template environment, behind a gateway that allows only what its role allows.
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { APIGatewayProxyEventV2, S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsGateway } from '../helpers/aws-gateway.js';
import type { RunningLambda } from '../helpers/deployed-function.js';
import { type DeployedStack, deployedStack } from '../helpers/deployed-stack.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import type { S3rverHandle } from '../helpers/s3rver-with-events.js';
import { closedPort, type RunningServer, startHttpServer } from '../helpers/servers.js';
import { removeTempDirs } from '../helpers/temp-dir.js';
import { scheduledEvent } from './lambda-context.js';

const REGION = 'eu-west-1';
const BUCKET = 'checkup-results-trust';
const TOKEN = 'nightly-Backup_0123456789abcdef';

/** The event a Lambda function URL delivers for a request (payload format 2.0). */
function urlEvent(method: string, rawPath: string, body?: string, msg?: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: msg ? `msg=${encodeURIComponent(msg)}` : '',
    headers: { 'user-agent': 'curl/8.5.0' },
    ...(msg ? { queryStringParameters: { msg } } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefgh',
      domainName: 'abcdefgh.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'abcdefgh',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'curl/8.5.0' },
      requestId: `req-${Math.random()}`,
      routeKey: '$default',
      stage: '$default',
      time: '30/Nov/2026:07:00:00 +0000',
      timeEpoch: Date.now(),
    },
    ...(body !== undefined ? { body, isBase64Encoded: false } : { isBase64Encoded: false }),
  };
}

describe('the deployed ping, check and notify functions', () => {
  let s3rver: S3rverHandle;
  let gateway: AwsGateway;
  let site: RunningServer;
  let ops: RecordingServer;
  let broken: RecordingServer;
  let ping: RunningLambda;
  let check: RunningLambda;
  let notify: RunningLambda;
  let owner: S3Client;
  let stack: DeployedStack;

  beforeAll(async () => {
    stack = await deployedStack({ context: { regions: REGION }, bucket: BUCKET });
    ({ s3rver, gateway, owner } = stack);
    const functions = {
      ping: stack.functionNamed('HeartbeatsPingFunction'),
      check: stack.functionNamed('ChecksCheckFunction'),
      notify: stack.functionNamed('NotifyFunction'),
    };

    site = await startHttpServer((_request, response) => response.end('ok'));
    ops = await startRecordingServer();
    broken = await startRecordingServer();
    broken.answer(...Array.from({ length: 20 }, () => ({ status: 403, body: 'revoked' })));
    const gone = `127.0.0.1:${await closedPort()}`;
    stack.parameters.set(functions.check.environment.CHECKUP_CONFIG_PARAMETER as string, {
      tier: 'Standard',
      value: JSON.stringify({
        checkers: [
          { type: 'heartbeat', endpoint_name: 'Nightly', token: TOKEN, period: '1h', grace: '5m' },
          { type: 'tcp', endpoint_name: 'Database', endpoint_url: gone },
          { type: 'tcp', endpoint_name: 'API', endpoint_url: gone, depends_on: 'Database' },
          { type: 'http', endpoint_name: 'Site', endpoint_url: site.url },
        ],
        notifiers: [
          {
            type: 'webhook',
            id: 'ops',
            url: `${ops.url}/hook`,
            failure_threshold: 3,
            failure_rate: { failures: 2, runs: 3 },
          },
          { type: 'webhook', id: 'broken', url: `${broken.url}/hook` },
        ],
      }),
    });
    ping = await stack.start(functions.ping, 'AKIDPING', 'the ping function');
    check = await stack.start(functions.check, 'AKIDCHECK', 'the check function');
    notify = await stack.start(functions.notify, 'AKIDNOTIFY', 'the notify function');
  }, 300_000);

  afterAll(async () => {
    await stack?.close();
    await site?.close();
    await ops?.close();
    await broken?.close();
    await removeTempDirs();
  });

  async function keys(prefix: string): Promise<string[]> {
    const answer = await owner.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (answer.Contents ?? []).map((object) => object.Key ?? '').sort();
  }

  // Each scheduled run is its own tick, a minute after the one before, as the schedule fires them
  // (runs of one tick vote once: the second would not count).
  let ticks = 0;
  const firstTick = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;

  /** One scheduled run, then the notify function on the event the bucket emitted for it. */
  async function checkAndNotify(): Promise<Array<Record<string, unknown>>> {
    const at = new Date(firstTick + 60_000 * ticks++);
    const outcome = await check.invoke<{ run: string }>(scheduledEvent(at));
    const event = await s3rver.waitForEvent((e) => e.Records[0]?.s3.object.key === `checks/${outcome.run}`);
    const before = notify.logs().length;
    await notify.invoke(event satisfies S3Event).catch(() => undefined);
    expect(gateway.denied).toEqual([]);
    return notify.logs().slice(before);
  }

  const opsTexts = () => ops.requests.map((request) => (request.json as { text: string }).text);

  it('refuses unknown tokens, oversized bodies and other methods, writing nothing', async () => {
    const unknown = await ping.invoke<{ statusCode: number; body: string }>(
      urlEvent('GET', `/ping/${TOKEN.replace('0', '1')}`),
    );
    expect(unknown).toMatchObject({ statusCode: 404, body: 'no such heartbeat\n' });
    expect(await ping.invoke(urlEvent('POST', `/ping/${TOKEN}`, 'x'.repeat(5000)))).toMatchObject({
      statusCode: 413,
    });
    expect(await ping.invoke(urlEvent('DELETE', `/ping/${TOKEN}`))).toMatchObject({ statusCode: 405 });
    expect(await keys('heartbeats/')).toEqual([]);
    expect(gateway.denied).toEqual([]);
  });

  it('holds what depends on a down endpoint, alerts by failure rate, takes pings, and audits every delivery', async () => {
    // Run 1: no ping yet, Database and API down. `ops` waits (1 failure of 3 runs); `broken` fails.
    const first = await checkAndNotify();
    expect(opsTexts()).toEqual([]);
    expect(first).toContainEqual(
      expect.objectContaining({
        message: 'alert not sent',
        notifier: 'broken',
        reason: 'broken: HTTP 403: revoked',
      }),
    );

    const ok = await ping.invoke(urlEvent('POST', `/ping/${TOKEN}`, 'copied 12 files'));
    expect(ok).toMatchObject({ statusCode: 200, body: 'ok\n' });
    expect((await keys('heartbeats/')).map((key) => key.replace(/[0-9a-f]{64}/, '<sha256>'))).toEqual([
      'heartbeats/<sha256>.json',
    ]);

    // Run 2: Nightly is up; Database failed 2 of the last 2 runs, with API held behind it.
    await checkAndNotify();
    expect(opsTexts()).toEqual([
      'Database is down; 2 of the last 2 runs failed; 1 dependent endpoint affected',
    ]);

    expect(await ping.invoke(urlEvent('GET', `/ping/${TOKEN}/fail`, undefined, 'disk full'))).toMatchObject({
      statusCode: 200,
    });
    // Run 3: the job said it failed: Nightly failed 2 of the last 3 runs. `broken` failed 3 in a row.
    const third = await checkAndNotify();
    expect(opsTexts().at(-1)).toBe('Nightly is down; 2 of the last 3 runs failed');
    expect(ops.requests.at(-1)?.json).toMatchObject({ alert: { message: 'disk full' } });
    expect(third).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'notifier keeps failing',
        notifier: 'broken',
        failures: 3,
      }),
    );
    const failing = third.filter((line) => 'NotifierFailing' in line);
    expect(failing.map((line) => `${line.Notifier} ${line.NotifierFailing}`).sort()).toEqual([
      'broken 1',
      'ops 0',
    ]);

    const state = JSON.parse(
      (await (
        await owner.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'state/alert-state.json' }))
      ).Body?.transformToString()) ?? '',
    );
    expect(state.notifierHealth.broken).toMatchObject({
      failures: 3,
      lastError: 'broken: HTTP 403: revoked',
    });
    expect(
      state.deliveries.filter((entry: { notifierId: string }) => entry.notifierId === 'ops'),
    ).toHaveLength(2);

    // The token is in no log line of any function, nor in any key or object of the bucket.
    for (const fn of [ping, check, notify]) expect(JSON.stringify(fn.logs())).not.toContain(TOKEN);
    expect(ping.logs()).toContainEqual(
      expect.objectContaining({ message: 'ping recorded', heartbeat: 'Nightly' }),
    );
    for (const key of await keys('')) {
      expect(key).not.toContain(TOKEN);
      const body = await (
        await owner.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
      ).Body?.transformToString();
      if (key !== 'config/last-valid.json') expect(body).not.toContain(TOKEN);
    }
  });
});
