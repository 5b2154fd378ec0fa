// The check function, run as Lambda runs it: a scheduled event, real checkers against loopback
// servers, runs stored in s3rver, the config in SSM (mocked: no SSM emulator exists).
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../core/result.js';
import { type S3rverHandle, startS3rverWithEvents } from '../helpers/s3rver-with-events.js';
import { closedPort, type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { captureStdout, lambdaContext, scheduledEvent } from './lambda-context.js';

const BUCKET = 'checkup-results';
const PARAMETER = '/checkup/config';
const GRANTED_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:oncall';
const ssm = mockClient(SSMClient);

let s3rver: S3rverHandle;
let site: RunningServer;
let s3: S3Client;
let handler: typeof import('../../functions/check-handler.js').handler;
let stdout: ReturnType<typeof captureStdout>;

function setConfig(config: unknown, parts: unknown[] = []): void {
  ssm.reset();
  ssm
    .on(GetParameterCommand, { Name: PARAMETER })
    .resolves({ Parameter: { Name: PARAMETER, Value: JSON.stringify(config) } });
  ssm.on(GetParametersByPathCommand, { Path: `${PARAMETER}/checkers` }).resolves({
    Parameters: parts.map((part, index) => ({
      Name: `${PARAMETER}/checkers/${String(index).padStart(3, '0')}`,
      Value: JSON.stringify(part),
    })),
  });
}

async function readObject(key: string): Promise<string> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await answer.Body?.transformToString()) ?? '';
}

async function readRun(name: string): Promise<Result[]> {
  return JSON.parse(await readObject(`checks/${name}`)) as Result[];
}

beforeAll(async () => {
  s3rver = await startS3rverWithEvents(await makeTempDir(), [BUCKET]);
  site = await startHttpServer((_request, response) => response.end('ok'));
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    CHECKUP_BUCKET: BUCKET,
    CHECKUP_BUCKET_REGION: 'us-east-1',
    CHECKUP_S3_ENDPOINT: s3rver.endpoint,
    CHECKUP_RUN_PREFIX: 'checks/',
    CHECKUP_SUMMARY_KEY: 'summaries/summary.json',
    CHECKUP_PAGE_KEY: 'summaries/page.json',
    CHECKUP_BADGE_PREFIX: 'summaries/badges/',
    CHECKUP_INTERVAL_MS: '60000',
    CHECKUP_LAST_VALID_CONFIG_KEY: 'config/last-valid.json',
    CHECKUP_CONFIG_PARAMETER: PARAMETER,
    CHECKUP_CONFIG_REGION: 'eu-west-1',
    CHECKUP_ALERT_TOPIC_ARNS: JSON.stringify([GRANTED_TOPIC]),
    // Every invocation reads SSM again, as a run a minute later would.
    CHECKUP_CONFIG_CACHE_MS: '0',
  });
  s3 = new S3Client({ region: 'us-east-1', endpoint: s3rver.endpoint, forcePathStyle: true });
  ({ handler } = await import('../../functions/check-handler.js'));
}, 60_000);

afterAll(async () => {
  await site?.close();
  await s3rver?.stop();
  await removeTempDirs();
  ssm.restore();
});

beforeEach(() => {
  stdout = captureStdout();
});
afterEach(() => stdout.restore());

describe('check function', () => {
  it('checks every endpoint of the SSM config and stores one run file with the region in each result', async () => {
    const down = await closedPort();
    setConfig({
      checkers: [
        { type: 'http', endpoint_name: 'Site', endpoint_url: site.url },
        { type: 'tcp', endpoint_name: 'Closed', endpoint_url: `127.0.0.1:${down}`, timeout: '2s' },
      ],
    });
    const outcome = await handler(scheduledEvent(), lambdaContext('check'));
    expect(outcome).toMatchObject({ results: 2, down: 1, degraded: 0, config: 'current' });
    const results = await readRun(outcome.run);
    expect(
      results.map((result) => [result.title, result.healthy ?? false, result.down ?? false, result.region]),
    ).toEqual([
      ['Site', true, false, 'eu-west-1'],
      ['Closed', false, true, 'eu-west-1'],
    ]);
    const event = await s3rver.waitForEvent((e) => e.Records[0]?.s3.object.key === `checks/${outcome.run}`);
    expect(event.Records[0]?.eventName).toBe('ObjectCreated:Put');
  });

  it("publishes the config's status_page for the page, again when an edit changes it", async () => {
    const checkers = [{ type: 'http', endpoint_name: 'Site', endpoint_url: site.url }];
    setConfig({ checkers, status_page: { title: 'Acme status', banner_down: 'We are on it' } });
    await handler(scheduledEvent(), lambdaContext('check'));
    expect(JSON.parse(await readObject('summaries/page.json'))).toMatchObject({
      title: 'Acme status',
      banners: { down: 'We are on it' },
      // The schedule's minute: stale after two missed runs and a minute.
      staleAfterMs: 180_000,
    });
    setConfig({ checkers, status_page: { title: 'Acme, Inc. status', stale_after: '10m' } });
    await handler(scheduledEvent(), lambdaContext('check'));
    expect(JSON.parse(await readObject('summaries/page.json'))).toMatchObject({
      title: 'Acme, Inc. status',
      staleAfterMs: 600_000,
    });
  });

  it("writes each endpoint's status badge, and writes it again when the status changes", async () => {
    setConfig({ checkers: [{ type: 'http', endpoint_name: 'Badge <API>', endpoint_url: site.url }] });
    await handler(scheduledEvent(), lambdaContext('check'));
    const key = 'summaries/badges/Badge <API>.svg';
    const first = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(first.ContentType).toBe('image/svg+xml');
    const svg = (await first.Body?.transformToString()) ?? '';
    expect(svg).toContain('Badge &#60;API&#62;: up');
    expect(svg).not.toContain('<API>');
    const down = await closedPort();
    setConfig({
      checkers: [
        { type: 'tcp', endpoint_name: 'Badge <API>', endpoint_url: `127.0.0.1:${down}`, timeout: '2s' },
      ],
    });
    // The next scheduled tick (a region's second run of one tick does not vote again).
    const next = { ...scheduledEvent(), time: new Date(Date.now() + 60_000).toISOString() };
    await handler(next, lambdaContext('check'));
    expect(await readObject(key)).toContain('Badge &#60;API&#62;: down');
  });

  it('keeps the summary the status page reads up to date with every run', async () => {
    setConfig({ checkers: [{ type: 'http', endpoint_name: 'Summarised', endpoint_url: site.url }] });
    const outcome = await handler(scheduledEvent(), lambdaContext('check'));
    // The root keeps the runs applied; the page reads each endpoint from the overview.
    const summary = JSON.parse(await readObject('summaries/summary.json'));
    expect(summary.recentRuns[0]).toBe(outcome.run);
    const overview = JSON.parse(await readObject('summaries/overview.json'));
    expect(overview.endpoints).toContainEqual(
      expect.objectContaining({
        title: 'Summarised',
        status: 'healthy',
        regions: [expect.objectContaining({ name: 'eu-west-1', status: 'healthy' })],
      }),
    );
  });

  it('writes a JSON log line for the run and EMF metrics per endpoint', async () => {
    setConfig({ checkers: [{ type: 'http', endpoint_name: 'Site', endpoint_url: site.url }] });
    const context = lambdaContext('check');
    const outcome = await handler(scheduledEvent(), context);
    const lines = stdout.lines();
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        message: 'run stored',
        run: outcome.run,
        requestId: context.awsRequestId,
      }),
    );
    const emf = lines.find((line) => line._aws !== undefined && line.Endpoint === 'Site');
    expect(emf).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Checkup',
            Dimensions: [['Endpoint']],
            Metrics: [
              { Name: 'Up', Unit: 'None' },
              { Name: 'Latency', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      Up: 1,
    });
    expect(emf?.Latency).toBeGreaterThan(0);
  });

  it('merges a config split over a parameter path, one parameter per checker', async () => {
    setConfig({ checkers: [] }, [
      { type: 'http', endpoint_name: 'One', endpoint_url: site.url },
      { type: 'http', endpoint_name: 'Two', endpoint_url: `${site.url}/two` },
    ]);
    const outcome = await handler(scheduledEvent(), lambdaContext('check'));
    expect((await readRun(outcome.run)).map((result) => result.title)).toEqual(['One', 'Two']);
  });

  it('keeps checking with the last valid config when an edit is invalid, and says where the error is', async () => {
    setConfig({ checkers: [{ type: 'http', endpoint_name: 'Good', endpoint_url: site.url }] });
    await handler(scheduledEvent(), lambdaContext('check'));
    expect(JSON.parse(await readObject('config/last-valid.json')).checkers[0].endpoint_name).toBe('Good');

    setConfig({ checkers: [{ type: 'http', endpoint_name: 'Broken', endpoint_ulr: site.url }] });
    const outcome = await handler(scheduledEvent(), lambdaContext('check'));
    expect(outcome.config).toBe('last-valid');
    expect((await readRun(outcome.run)).map((result) => result.title)).toEqual(['Good']);
    const lines = stdout.lines();
    const error = lines.find((line) => line.level === 'error');
    expect(error).toMatchObject({
      source: `ssm:${PARAMETER}`,
      message: expect.stringContaining('last valid'),
    });
    expect(error?.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'checkers[0].endpoint_ulr',
          message: expect.stringContaining('endpoint_url'),
        }),
      ]),
    );
    expect(lines).toContainEqual(expect.objectContaining({ ConfigInvalid: 1 }));
  });

  it('refuses exec checkers (a Lambda runs no local commands) and keeps the last valid config', async () => {
    setConfig({ checkers: [{ type: 'http', endpoint_name: 'Good', endpoint_url: site.url }] });
    await handler(scheduledEvent(), lambdaContext('check'));
    setConfig({
      checkers: [
        { type: 'http', endpoint_name: 'Good', endpoint_url: site.url },
        { type: 'exec', name: 'Script', command: 'true' },
      ],
    });
    const outcome = await handler(scheduledEvent(), lambdaContext('check'));
    expect(outcome.config).toBe('last-valid');
    const error = stdout.lines().find((line) => line.level === 'error');
    expect(error?.issues).toEqual([
      expect.objectContaining({ path: 'checkers[1]', message: expect.stringMatching(/refused/) }),
    ]);
  });

  it('refuses an sns notifier whose topic the stack did not grant, naming it, and keeps the last valid config', async () => {
    const checkers = [{ type: 'http', endpoint_name: 'Good', endpoint_url: site.url }];
    setConfig({ checkers, notifiers: [{ type: 'sns', topic_arn: GRANTED_TOPIC }] });
    expect((await handler(scheduledEvent(), lambdaContext('check'))).config).toBe('current');
    const other = 'arn:aws:sns:eu-west-1:123456789012:elsewhere';
    setConfig({
      checkers,
      notifiers: [
        { type: 'webhook', url: site.url },
        { type: 'sns', topic_arn: other },
      ],
    });
    const outcome = await handler(scheduledEvent(), lambdaContext('check'));
    expect(outcome.config).toBe('last-valid');
    const error = stdout.lines().find((line) => line.level === 'error');
    expect(error?.issues).toEqual([
      {
        path: 'notifiers[1].topic_arn',
        message: expect.stringContaining(`${other} is not a topic the deployment may publish to`),
      },
    ]);
    expect(JSON.stringify(error?.issues)).toContain(`-c alertTopicArns=${GRANTED_TOPIC},${other}`);
  });

  it('stores each run under its own name, never over another', async () => {
    setConfig({ checkers: [{ type: 'http', endpoint_name: 'Site', endpoint_url: site.url }] });
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => handler(scheduledEvent(), lambdaContext('check'))),
    );
    expect(new Set(outcomes.map((outcome) => outcome.run)).size).toBe(3);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'checks/' }));
    const keys = (listed.Contents ?? []).map((object) => object.Key);
    for (const outcome of outcomes) expect(keys).toContain(`checks/${outcome.run}`);
  });
});
