import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamodbStorage } from '../../adapters/storage/dynamodb-storage.js';
import { runFileName } from '../../core/storage.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { type RunningDynalite, startDynalite } from '../helpers/dynalite.js';
import { startFlakyProxy } from '../helpers/flaky-proxy.js';
import { ns, result } from '../helpers/make-runs.js';
import { runCli } from '../helpers/run-cli.js';
import { startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

const T0 = ns('2026-11-24T10:00:00Z');
const MINUTE = 60e9;
const DAY = 86_400e9;

let dynamo: RunningDynalite;
let tables = 0;

beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(() => dynamo?.close());
afterEach(removeTempDirs);

async function freshTable(): Promise<string> {
  tables += 1;
  return dynamo.createTable(`checkup-test-${tables}`);
}

function checksOf(summary: StatusSummary | undefined, title: string): number {
  const endpoint = summary?.endpoints.find((candidate) => candidate.title === title);
  return endpoint?.days.reduce((sum, day) => sum + day.checks, 0) ?? 0;
}

describe('dynamodb storage against dynalite', () => {
  it('stores a run and reads it back, and lists runs in a range', async () => {
    const table = await freshTable();
    const storage = new DynamodbStorage({ client: dynamo.client(), table });
    for (let i = 0; i < 5; i += 1) await storage.store([result('API', T0 + i * MINUTE, 'healthy', 10 + i)]);
    expect(await storage.read(runFileName(T0 + 2 * MINUTE))).toEqual([
      result('API', T0 + 2 * MINUTE, 'healthy', 12),
    ]);
    const range = await storage.list({ since: T0 + MINUTE, until: T0 + 3 * MINUTE });
    expect(range.map((run) => run.name)).toEqual([1, 2, 3].map((i) => runFileName(T0 + i * MINUTE)));
  });

  it('answers the history of one endpoint between two times with one Query on its partition', async () => {
    const table = await freshTable();
    const storage = new DynamodbStorage({ client: dynamo.client(), table, summaries: false });
    for (let i = 0; i < 6; i += 1)
      await storage.store([
        result('API', T0 + i * MINUTE, i === 3 ? 'down' : 'healthy'),
        result('Web', T0 + i * MINUTE),
      ]);
    const history = await storage.history('API', { since: T0 + 2 * MINUTE, until: T0 + 4 * MINUTE });
    expect(history.map((item) => [item.title, item.timestamp, item.down === true])).toEqual([
      ['API', T0 + 2 * MINUTE, false],
      ['API', T0 + 3 * MINUTE, true],
      ['API', T0 + 4 * MINUTE, false],
    ]);
  });

  it('keeps the newest result of every endpoint, even when an older run arrives later', async () => {
    const table = await freshTable();
    const storage = new DynamodbStorage({ client: dynamo.client(), table, summaries: false });
    await storage.store([result('API', T0 + MINUTE, 'down'), result('Web', T0 + MINUTE, 'healthy')]);
    await storage.store([result('API', T0, 'healthy'), result('DB', T0, 'degraded')]);
    const latest = await storage.latest();
    expect(latest.map((item) => [item.title, item.timestamp])).toEqual([
      ['API', T0 + MINUTE],
      ['DB', T0],
      ['Web', T0 + MINUTE],
    ]);
  });

  it('writes the TTL attribute check_expiry after each run and result, and skips expired items', async () => {
    const table = await freshTable();
    const client = dynamo.client();
    let now = T0;
    const storage = new DynamodbStorage({ client, table, checkExpiryNs: 7 * DAY, now: () => now });
    const run = await storage.store([result('API', T0)]);
    const expires = String(Math.floor((T0 + 7 * DAY) / 1e9));
    const runItem = await client.send(
      new GetItemCommand({
        TableName: table,
        Key: { pk: { S: 'RUN' }, sk: { S: run.name.split('-')[0] as string } },
      }),
    );
    expect(runItem.Item?.expires).toEqual({ N: expires });
    const resultItems = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'EP#API' } },
      }),
    );
    expect(resultItems.Items?.map((item) => item.expires)).toEqual([{ N: expires }]);
    const summaryItem = await client.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: 'SUMMARY' }, sk: { S: 'summary' } } }),
    );
    expect(summaryItem.Item?.expires).toBeUndefined();

    now = T0 + 8 * DAY;
    expect(await storage.list()).toEqual([]);
    expect(await storage.history('API')).toEqual([]);
  });

  it('loses no run from the summary when many writers keep storing at once', async () => {
    const table = await freshTable();
    const names: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        const storage = new DynamodbStorage({ client: dynamo.client(), table, now: () => T0 });
        for (let i = 0; i < 5; i += 1) {
          const at = T0 + (writer * 5 + i) * 1e6;
          names.push((await storage.store([result('API', at), result('Web', at)])).name);
        }
      }),
    );
    const summary = await new DynamodbStorage({ client: dynamo.client(), table }).readSummary();
    expect(summary?.writer?.applied.slice().sort()).toEqual(names.slice().sort());
    expect(checksOf(summary, 'API')).toBe(40);
    expect(checksOf(summary, 'Web')).toBe(40);
  }, 120_000);

  it('keeps a state over several items when it is larger than one, and deletes every chunk', async () => {
    const table = await freshTable();
    let clock = T0;
    // A segment of 500 endpoints gzips to ~0.9 MB after 7 days, over the 400 KB item limit: each
    // item holds 350 KB of it. Here 512 bytes, so a few stores make states of several chunks.
    const storage = new DynamodbStorage({
      client: dynamo.client(),
      table,
      now: () => clock,
      stateChunkBytes: 512,
    });
    const titles = Array.from({ length: 120 }, (_, i) => `endpoint ${i}`);
    // The third store is 20 minutes of runs later: the first generations are retired and deleted.
    for (const at of [T0, T0 + MINUTE, T0 + 20 * MINUTE]) {
      clock = at;
      await storage.store(
        titles.map((title, n) => result(title, at + n * 1e6, n === 7 ? 'down' : 'healthy')),
      );
    }
    const summary = await new DynamodbStorage({ client: dynamo.client(), table }).readSummary();
    expect(summary?.endpoints).toHaveLength(120);
    expect(checksOf(summary, 'endpoint 7')).toBe(3);
    expect(summary?.endpoints.find((endpoint) => endpoint.title === 'endpoint 7')?.status).toBe('down');
    const items =
      (
        await dynamo.client().send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: 'STATE' } },
            ProjectionExpression: 'sk, chunks',
          }),
        )
      ).Items ?? [];
    const nameOf = (item: (typeof items)[number]) => item.sk?.S?.replace(/#\d+$/, '') ?? '';
    const firsts = items.filter((item) => item.sk?.S === nameOf(item));
    expect(firsts.every((item) => Number(item.chunks?.N) > 1)).toBe(true);
    // Every state left is whole, and the replaced ones went with all their chunks.
    for (const first of firsts)
      expect(items.filter((item) => nameOf(item) === nameOf(first))).toHaveLength(Number(first.chunks?.N));
    expect(firsts.length).toBeLessThan(3);
  });

  it('rebuilds the summary from the runs to what storing them made', async () => {
    const table = await freshTable();
    const storage = new DynamodbStorage({ client: dynamo.client(), table, now: () => T0 });
    for (let i = 0; i < 4; i += 1)
      await storage.store([result('API', T0 + i * MINUTE, i === 2 ? 'down' : 'healthy')]);
    const stored = await storage.readSummary();
    const rebuilt = await storage.rebuildSummary();
    expect(rebuilt.endpoints).toEqual(stored?.endpoints);
    expect(rebuilt.timeline).toEqual(stored?.timeline);
  });

  it('retries a write that DynamoDB answers with 503', async () => {
    const table = await freshTable();
    const proxy = await startFlakyProxy(dynamo.endpoint, {
      failures: 1,
      when: (request) => request.method === 'POST',
    });
    try {
      const storage = new DynamodbStorage({
        client: dynamo.client({ endpoint: proxy.url }),
        table,
        summaries: false,
      });
      const run = await storage.store([result('API', T0)]);
      expect(proxy.log.slice(0, 2)).toEqual(['POST / -> 503', 'POST / -> 200']);
      expect(await storage.read(run.name)).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('serves checkup --store and checkup history from a dynamodb config', async () => {
    const table = await freshTable();
    const server = await startHttpServer((_request, response) => response.end('ok'));
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'dynalite';
    process.env.AWS_SECRET_ACCESS_KEY = 'dynalite';
    try {
      const project = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Local', endpoint_url: server.url }],
        storage: { type: 'dynamodb', table, region: 'us-east-1', endpoint: dynamo.endpoint },
      });
      const stores = await Promise.all([1, 2, 3].map(() => runCli(['--store'], project)));
      expect(stores.map((outcome) => (outcome.code === 0 ? 0 : outcome.stderr))).toEqual([0, 0, 0]);
      const history = await runCli(['history', 'Local', '--json'], project);
      expect((JSON.parse(history.stdout) as unknown[]).length).toBe(3);
      const summary = await new DynamodbStorage({ client: dynamo.client(), table }).readSummary();
      expect(checksOf(summary, 'Local')).toBe(3);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      await server.close();
    }
  }, 60_000);
});
