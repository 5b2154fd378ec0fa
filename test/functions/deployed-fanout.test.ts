// The fan-out as deployed: 500 loopback endpoints at a shard size of 100 go out as 5 SQS
// messages from the planner's bundle and are checked by 5 shard-function environments at once,
// each storing its own run file, behind a gateway that allows only what each role allows.
// (The 10,000-endpoint run is `npm run bench fanout`.)
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../core/result.js';
import { type FanoutHarness, startFanoutHarness } from '../helpers/fanout-harness.js';
import { loopbackCheckers } from '../helpers/loopback-checkers.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { removeTempDirs } from '../helpers/temp-dir.js';

const ENDPOINTS = 500;
const SHARD_SIZE = 100;

let site: RunningServer;
let harness: FanoutHarness;
/** The endpoints whose site answers 503. */
const failing = new Set(['/e/13']);

beforeAll(async () => {
  site = await startHttpServer((request, response) =>
    response.writeHead(failing.has(request.url ?? '') ? 503 : 200).end('ok'),
  );
  harness = await startFanoutHarness({
    shardSize: SHARD_SIZE,
    environments: 5,
    config: {
      checkers: loopbackCheckers(site.url, ENDPOINTS),
      // Always on (every minute, for two): the shards mark E13's results as the planner would.
      maintenance: [{ name: 'E13 work', endpoints: ['E13'], every: '* * * * *', duration: '2m' }],
    },
  });
}, 300_000);

afterAll(async () => {
  await harness?.close();
  await site?.close();
  await removeTempDirs();
});

describe('a tick above the shard size, through the deployed functions', () => {
  let first: Awaited<ReturnType<FanoutHarness['tick']>>;

  it('plans 5 shards of 100 and each shard stores its own run file, marked with the tick and the shard', {
    timeout: 180_000,
  }, async () => {
    first = await harness.tick();
    expect(harness.gateway.denied).toEqual([]);
    expect(first.planner).toMatchObject({ shards: 5, results: 0 });
    expect(first.messages).toHaveLength(5);
    const runs = await harness.keys('checks/');
    expect(runs).toHaveLength(5);
    const results = (await Promise.all(runs.map((key) => harness.readJson<Result[]>(key)))).flat();
    expect(results).toHaveLength(ENDPOINTS);
    expect(new Set(results.map((result) => result.title)).size).toBe(ENDPOINTS);
    expect(results.every((result) => result.tick === first.tick && result.shard?.count === 5)).toBe(true);
    expect(new Set(results.map((result) => result.shard?.index))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(results.filter((result) => result.down).map((result) => result.title)).toEqual(['E13']);
    expect(results.filter((result) => result.maintenance).map((result) => result.title)).toEqual(['E13']);
    expect(first.shards.map((outcome) => outcome.shards[0]?.results)).toEqual([100, 100, 100, 100, 100]);
  });

  it('lets the planner only send to the queue and the shard function only take from it and write runs', () => {
    const queue = 'arn:aws:sqs:eu-west-1:123456789012:';
    const queueArn = (harness.plannerFunction.environment.CHECKUP_SHARD_QUEUE_URL as string).replace(
      /^https:\/\/sqs\.eu-west-1\.amazonaws\.com\/123456789012\//,
      queue,
    );
    const allows = (fn: 'plannerFunction' | 'shardFunction', action: string, resource = queueArn) =>
      harness[fn].policy.allows({ action, resource });
    expect(allows('plannerFunction', 'sqs:SendMessage')).toBe(true);
    expect(allows('plannerFunction', 'sqs:ReceiveMessage')).toBe(false);
    expect(allows('shardFunction', 'sqs:ReceiveMessage')).toBe(true);
    expect(allows('shardFunction', 'sqs:DeleteMessage')).toBe(true);
    expect(allows('shardFunction', 'sqs:SendMessage')).toBe(false);
    const bucket = 'arn:aws:s3:::checkup-results-fanout';
    expect(allows('shardFunction', 's3:PutObject', `${bucket}/checks/1-check.json`)).toBe(true);
    expect(allows('shardFunction', 's3:PutObject', `${bucket}/summaries/summary.json`)).toBe(false);
    expect(allows('shardFunction', 's3:PutObject', `${bucket}/summaries/badges/E1.svg`)).toBe(false);
    expect(allows('shardFunction', 's3:GetObject', `${bucket}/checks/1-check.json`)).toBe(false);
    expect(
      allows(
        'shardFunction',
        'ssm:GetParameter',
        'arn:aws:ssm:eu-west-1:123456789012:parameter/checkup/config',
      ),
    ).toBe(false);
  });

  it('brings the summary up to date with every shard at the next tick, and finds that tick whole', {
    timeout: 180_000,
  }, async () => {
    const requestsBefore = harness.gateway.requests.length;
    const second = await harness.tick({ tick: first.tick + 1_000 });
    expect(harness.gateway.denied).toEqual([]);
    // The planner applies the first tick's 5 run files in one round and writes each segment's
    // state once, though this tick's shards store while it syncs (they are the next planner's).
    const stateWrites = harness.gateway.requests
      .slice(requestsBefore)
      .filter(
        (call) =>
          call.caller === 'the check function (planner)' &&
          call.operation === 'PutObject' &&
          call.resources.some((resource) => resource.includes('/summaries/state/')),
      );
    expect(stateWrites).toHaveLength(Math.ceil(ENDPOINTS / 500));
    const root = await harness.readJson<{ writer: { applied: string[] } }>('summaries/summary.json');
    // Every run of the first tick (and of this one those that landed before it listed).
    expect(root.writer.applied.map((name) => name.replace(/^.*\//, ''))).toEqual(
      expect.arrayContaining(
        (await harness.keys('checks/')).slice(0, 5).map((key) => key.replace(/^.*\//, '')),
      ),
    );
    // What the page reads: the overview, split above 200 endpoints into one part per segment of 500.
    const { overview, endpoints } = await harness.readOverview();
    expect(overview.parts).toHaveLength(Math.ceil(ENDPOINTS / 500));
    expect(endpoints).toHaveLength(ENDPOINTS);
    expect(endpoints.find((endpoint) => endpoint.title === 'E13')?.status).toBe('down');
    expect(
      harness.planner
        .logs()
        .filter((line) => line.message === 'tick missing shards: their endpoints were not checked'),
    ).toEqual([]);
    const metric = harness.planner.logs().filter((line) => 'ShardsMissing' in line);
    expect(metric.at(-1)).toMatchObject({ ShardsMissing: 0, EndpointsNotChecked: 0 });
    expect(second.shards).toHaveLength(5);
  });

  it('reports a tick missing a shard in the log and the metric, its endpoints not checked', {
    timeout: 180_000,
  }, async () => {
    const base = first.tick + 1_000;
    const lossy = await harness.tick({ tick: base + 1_000, drop: [3] });
    expect(lossy.shards).toHaveLength(4);
    await harness.tick({ tick: base + 2_000 });
    expect(harness.gateway.denied).toEqual([]);
    const warning = harness.planner
      .logs()
      .find((line) => line.message === 'tick missing shards: their endpoints were not checked');
    expect(warning).toMatchObject({
      level: 'warn',
      tick: base + 1_000,
      missingShards: [4],
      expectedShards: 5,
      counts: { healthy: 399, degraded: 0, down: 1, unknown: 100 },
    });
    expect((warning?.notChecked as Array<{ title: string; reason: string }> | undefined)?.[0]).toEqual({
      title: 'E300',
      reason: `not checked: shard 4 of 5 did not report for tick ${new Date(base + 1_000).toISOString()}`,
    });
    const metric = harness.planner.logs().filter((line) => 'ShardsMissing' in line);
    expect(metric.at(-1)).toMatchObject({ ShardsMissing: 1, EndpointsNotChecked: 100 });
  });

  it('writes from a fresh planner only the badge whose status changed', { timeout: 300_000 }, async () => {
    const base = first.tick + 4_000;
    // Every shard of the last tick in the summary, every badge written for it.
    await harness.tick({ tick: base });
    expect((await harness.keys('summaries/badges/')).filter((key) => key.endsWith('.svg'))).toHaveLength(
      ENDPOINTS,
    );
    // A new container (Lambda recycles them, and a deploy starts new ones), and E7 goes down.
    await harness.reconfigure(undefined);
    failing.add('/e/7');
    const requestsBefore = harness.gateway.requests.length;
    // The summary takes in E7's down run at the first of these ticks or the next.
    await harness.tick({ tick: base + 1_000 });
    await harness.tick({ tick: base + 2_000 });
    expect(harness.gateway.denied).toEqual([]);
    const badgeCalls = harness.gateway.requests
      .slice(requestsBefore)
      .filter(
        (call) =>
          call.caller === 'the check function (planner)' &&
          call.resources.some((resource) => resource.includes('/summaries/badges/')),
      )
      .map(
        (call) => `${call.operation} ${call.resources.map((key) => key.replace(/^.*?\/summaries\//, ''))}`,
      );
    // The statuses the badges show, read once; E7's badge and the statuses written once each.
    expect(badgeCalls).toEqual([
      'GetObject badges/shown.json',
      'PutObject badges/E7.svg',
      'PutObject badges/shown.json',
    ]);
    const badge = await harness.owner.send(
      new GetObjectCommand({ Bucket: 'checkup-results-fanout', Key: 'summaries/badges/E7.svg' }),
    );
    expect(await badge.Body?.transformToString()).toContain('E7: down');
    const shown = await harness.readJson<{ shown: Record<string, string> }>('summaries/badges/shown.json');
    expect(Object.keys(shown.shown)).toHaveLength(ENDPOINTS);
    expect(shown.shown).toMatchObject({ E7: 'down', E8: 'healthy' });
  });
});
