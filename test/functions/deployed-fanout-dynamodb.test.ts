// The fan-out of a stack deployed with storage=dynamodb: 1,000 loopback endpoints at a shard size
// of 500 go out as 2 SQS messages from the planner's bundle; each shard function stores its run in
// the table (dynalite) and mirrors its run file into the bucket (s3rver), where the notify
// function is fired by it; the next tick's planner brings the table's summary up to date and
// writes the page documents to the bucket. Everything behind the gateway that allows only what
// each role allows, `dynamodb:LeadingKeys` included.
import { type AttributeValue, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../core/result.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { type FanoutHarness, startFanoutHarness } from '../helpers/fanout-harness.js';
import { loopbackCheckers } from '../helpers/loopback-checkers.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { removeTempDirs } from '../helpers/temp-dir.js';

const ENDPOINTS = 1_000;
const SHARD_SIZE = 500;
// The notify functions are told a 10 s interval, so ticks 10 s apart are whole periods to them.
const INTERVAL_MS = 10_000;
/** DynamoDB's largest item. */
const ITEM_LIMIT = 400 * 1024;

let site: RunningServer;
let hook: RecordingServer;
let harness: FanoutHarness;

beforeAll(async () => {
  site = await startHttpServer((request, response) =>
    response.writeHead(request.url?.endsWith('/13') ? 503 : 200).end('ok'),
  );
  hook = await startRecordingServer();
  harness = await startFanoutHarness({
    storage: 'dynamodb',
    shardSize: SHARD_SIZE,
    environments: 2,
    notify: { environments: 2, intervalMs: INTERVAL_MS },
    config: {
      // A 2 s timeout at 100 at once lets a shard take 500 (the safe size is 2,200).
      concurrent_checks: 100,
      checkers: loopbackCheckers(site.url, ENDPOINTS, { timeout: '2s' }),
      notifiers: [{ type: 'webhook', id: 'ops', url: `${hook.url}/hook` }],
    },
  });
}, 300_000);

afterAll(async () => {
  await harness?.close();
  await site?.close();
  await hook?.close();
  await removeTempDirs();
});

/** A tick an interval after the last, then every shard's run file handed to notify at once, as S3 does. */
const tick = (drop: number[] = []) => harness.pacedTick(INTERVAL_MS, drop);

const posted = () =>
  hook.requests.map((request) => {
    const body = request.json as { alert: { kind: string; title: string } };
    return `${body.alert.kind} ${body.alert.title}`;
  });

async function queryPartition(pk: string): Promise<Record<string, AttributeValue>[]> {
  const client = harness.dynalite?.client();
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client?.send(
      new QueryCommand({
        TableName: harness.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page?.Items ?? []));
    start = page?.LastEvaluatedKey;
  } while (start);
  return items;
}

/** An item's size as DynamoDB counts it: each attribute's name and value, in UTF-8 bytes. */
function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) =>
      sum + Buffer.byteLength(name) + Buffer.byteLength(value.S ?? value.N ?? '') + (value.B?.length ?? 0),
    0,
  );
}

const deniedNothing = () => expect(harness.gateway.denied).toEqual([]);
/** The planner's last metric of a tick's coverage (shards missing, endpoints not checked). */
const lastTickMetric = () =>
  harness.planner
    .logs()
    .filter((line) => 'ShardsMissing' in line)
    .at(-1);

describe('a tick above the shard size on a stack with storage=dynamodb', () => {
  let first: Awaited<ReturnType<typeof tick>>;

  it('stores each shard round as one run item in the table, mirrored into the bucket as its run file', {
    timeout: 180_000,
  }, async () => {
    first = await tick();
    deniedNothing();
    expect(first.report.planner).toMatchObject({ shards: 2, results: 0 });
    expect(first.report.messages).toHaveLength(2);
    const items = await queryPartition('RUN');
    expect(items).toHaveLength(2);
    // The bucket's run files are the table's runs, under the same names.
    expect(await harness.keys('checks/')).toEqual(items.map((item) => `checks/${item.name?.S}`).sort());
    const results = (await Promise.all(first.keys.map((key) => harness.readJson<Result[]>(key)))).flat();
    expect(results).toHaveLength(ENDPOINTS);
    expect(results.every((result) => result.tick === first.report.tick && result.shard?.count === 2)).toBe(
      true,
    );
    expect(results.filter((result) => result.down).map((result) => result.title)).toEqual(['E13']);
    for (const item of items) {
      const stored = JSON.parse(item.results?.S ?? '[]') as Result[];
      expect(stored).toHaveLength(SHARD_SIZE);
      // A 500-endpoint shard's run item, well under DynamoDB's 400 KB item limit.
      expect(itemBytes(item)).toBeLessThan(ITEM_LIMIT / 2);
      expect(Number(item.expires?.N)).toBeGreaterThan(Date.now() / 1000 + 80 * 24 * 3600);
    }
    // As a run stored in one invocation: each result in its endpoint's partition, and the latest.
    expect(await queryPartition('EP#E13')).toHaveLength(1);
    expect(await queryPartition('LATEST')).toHaveLength(ENDPOINTS);
  });

  it('alerts once for the tick, from the mirrored run files (the notify function claims it)', {
    timeout: 60_000,
  }, async () => {
    expect(posted()).toEqual(['down E13']);
    expect(first.outcomes.reduce((sum, outcome) => sum + outcome.alerts, 0)).toBe(1);
    expect(await harness.keys('state/ticks/')).toHaveLength(1);
    const state = await harness.dynalite
      ?.client()
      .send(
        new GetItemCommand({ TableName: harness.table, Key: { pk: { S: 'ALERTS' }, sk: { S: 'state' } } }),
      );
    expect(state?.Item).toBeDefined();
  });

  it('lets the shard function put run, result and latest items and run files, nothing more', () => {
    const table = `arn:aws:dynamodb:eu-west-1:123456789012:table/${harness.table}`;
    const bucket = 'arn:aws:s3:::checkup-results-fanout';
    const shard = harness.shardFunction.policy;
    const onItem = (action: string, keys: string | string[]) => ({
      action: `dynamodb:${action}`,
      resource: table,
      context: { 'dynamodb:LeadingKeys': keys },
    });
    expect(shard.allows(onItem('PutItem', 'RUN'))).toBe(true);
    expect(shard.allows(onItem('PutItem', 'LATEST'))).toBe(true);
    expect(shard.allows(onItem('BatchWriteItem', ['EP#E1', 'EP#E2']))).toBe(true);
    expect(shard.allows(onItem('BatchWriteItem', ['EP#E1', 'SUMMARY']))).toBe(false);
    for (const pk of ['SUMMARY', 'STATE', 'ALERTS', 'EP#E1'])
      expect(shard.allows(onItem('PutItem', pk)), `PutItem ${pk}`).toBe(false);
    for (const action of ['GetItem', 'Query', 'DeleteItem', 'UpdateItem'])
      expect(shard.allows(onItem(action, 'RUN')), action).toBe(false);
    expect(shard.allows({ action: 'dynamodb:Scan', resource: table })).toBe(false);
    expect(shard.allows({ action: 's3:PutObject', resource: `${bucket}/checks/1-check.json` })).toBe(true);
    for (const key of ['summaries/summary.json', 'summaries/overview.json', 'state/ticks/1-x.json'])
      expect(shard.allows({ action: 's3:PutObject', resource: `${bucket}/${key}` }), key).toBe(false);
    expect(shard.allows({ action: 's3:GetObject', resource: `${bucket}/checks/1-check.json` })).toBe(false);
  });

  it("brings the table's summary up to date with every shard at the next tick, and writes the page documents to the bucket", {
    timeout: 180_000,
  }, async () => {
    const second = await tick();
    deniedNothing();
    expect(second.report.shards).toHaveLength(2);
    const { overview, endpoints } = await harness.readOverview();
    // One overview part per segment of 500 endpoints.
    expect(overview.parts).toHaveLength(Math.ceil(ENDPOINTS / 500));
    expect(endpoints).toHaveLength(ENDPOINTS);
    expect(endpoints.find((endpoint) => endpoint.title === 'E13')?.status).toBe('down');
    expect(endpoints.filter((endpoint) => endpoint.status === 'healthy')).toHaveLength(ENDPOINTS - 1);
    // The summary item is the table's; the bucket has its head (the timeline notify's feed tells).
    const summaryItem = await queryPartition('SUMMARY');
    expect(summaryItem).toHaveLength(1);
    const head = await harness.readJson<StatusSummary>('summaries/summary.json');
    expect(head.endpoints).toEqual([]);
    expect(head.lastRun).toBeGreaterThanOrEqual(first.report.tick);
    expect(head.recentRuns).toEqual(expect.arrayContaining(first.keys.map((key) => key.slice(7))));
    expect(
      harness.planner
        .logs()
        .filter((line) => line.message === 'tick missing shards: their endpoints were not checked'),
    ).toEqual([]);
    expect(lastTickMetric()).toMatchObject({
      ShardsMissing: 0,
      EndpointsNotChecked: 0,
    });
    // E13 is still down: no second alert.
    expect(posted()).toEqual(['down E13']);
  });

  it('reports a tick missing a shard in the log and the metric, and alerts nothing on its endpoints', {
    timeout: 180_000,
  }, async () => {
    const lossy = await tick([0]);
    expect(lossy.keys).toHaveLength(1);
    expect(lossy.outcomes.every((outcome) => outcome.processed.length === 0)).toBe(true);
    await tick();
    deniedNothing();
    const warning = harness.planner
      .logs()
      .find((line) => line.message === 'tick missing shards: their endpoints were not checked');
    expect(warning).toMatchObject({
      level: 'warn',
      tick: lossy.report.tick,
      missingShards: [1],
      expectedShards: 2,
      counts: { healthy: 500, degraded: 0, down: 0, unknown: 500 },
    });
    expect(lastTickMetric()).toMatchObject({
      ShardsMissing: 1,
      EndpointsNotChecked: 500,
    });
    // E13's shard did not report: nothing is said of it (no recovery for a check that did not happen).
    expect(posted()).toEqual(['down E13']);
  });
});
