import {
  CreateBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { S3Storage } from '../../adapters/storage/s3-storage.js';
import { runFileName } from '../../core/storage.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { startFlakyProxy } from '../helpers/flaky-proxy.js';
import { ns, result } from '../helpers/make-runs.js';
import { runCli } from '../helpers/run-cli.js';
import { type RunningS3rver, startS3rver } from '../helpers/s3rver.js';
import { startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

const T0 = ns('2026-11-24T10:00:00Z');
const MINUTE = 60e9;

let s3: RunningS3rver;
let client: S3Client;
let buckets = 0;

beforeAll(async () => {
  s3 = await startS3rver([]);
  client = s3.client();
});
afterAll(async () => {
  await s3?.close();
});
afterEach(removeTempDirs);

async function freshBucket(): Promise<string> {
  buckets += 1;
  const bucket = `checkup-test-${buckets}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/**
 * The page documents a first store writes beside the summary: no recent hour, since the hours of
 * the results stored here are still open (their buckets are in the overview).
 */
function pageKeys(): string[] {
  return [
    'summaries/history/0.json',
    'summaries/overview.json',
    'summaries/recent/open-0.json',
    'summaries/state/0-*.json',
  ];
}

async function keys(bucket: string): Promise<string[]> {
  const found: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    // A block state's generation is random: named by its block only.
    found.push(
      ...(page.Contents ?? []).map((object) =>
        (object.Key ?? '').replace(/^(summaries\/state\/\d+-)[0-9a-f]+\.json$/, '$1*.json'),
      ),
    );
    token = page.NextContinuationToken;
  } while (token);
  return found;
}

function checksOf(summary: StatusSummary | undefined, title: string): number {
  const endpoint = summary?.endpoints.find((candidate) => candidate.title === title);
  return endpoint?.days.reduce((sum, day) => sum + day.checks, 0) ?? 0;
}

describe('s3 storage against s3rver', () => {
  it('stores each run as one immutable JSON object under the prefix and reads it back', async () => {
    const bucket = await freshBucket();
    const storage = new S3Storage({ client, bucket });
    const run = await storage.store([result('API', T0, 'healthy', 42)]);
    expect(run.name).toBe(runFileName(T0));
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: `checks/${run.name}` }));
    expect(head.ContentType).toBe('application/json');
    expect(head.CacheControl).toBe('public, max-age=31536000, immutable');
    expect(await storage.read(run.name)).toEqual([result('API', T0, 'healthy', 42)]);
    expect(await storage.list()).toEqual([{ name: run.name, timestamp: T0 }]);
    expect((await keys(bucket)).sort()).toEqual(
      [`checks/${run.name}`, 'summaries/summary.json', ...pageKeys()].sort(),
    );
  });

  it('writes the summary cacheable for 30 s, as the status page is documented to be cached', async () => {
    const bucket = await freshBucket();
    const storage = new S3Storage({ client, bucket });
    await storage.store([result('API', T0, 'healthy', 42)]);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'summaries/summary.json' }));
    expect(head.ContentType).toBe('application/json');
    expect(head.CacheControl).toBe('public, max-age=30');
  });

  it('lists runs in a range across several listing pages', async () => {
    const bucket = await freshBucket();
    const storage = new S3Storage({ client, bucket, prefix: 'runs/', summaries: false });
    const names = Array.from({ length: 1100 }, (_, i) => runFileName(T0 + i * 1e9));
    for (let start = 0; start < names.length; start += 50)
      await Promise.all(
        names
          .slice(start, start + 50)
          .map((name) =>
            client.send(new PutObjectCommand({ Bucket: bucket, Key: `runs/${name}`, Body: '[]' })),
          ),
      );
    expect((await storage.list()).map((run) => run.name)).toEqual(names);
    const range = await storage.list({ since: T0 + 1050e9, until: T0 + 1060e9 });
    expect(range.map((run) => run.name)).toEqual(names.slice(1050, 1061));
  }, 120_000); // 1,100 PUTs: slow on a loaded machine

  it('expires old runs under the prefix only', async () => {
    const bucket = await freshBucket();
    const old = runFileName(T0 - 10 * MINUTE);
    for (const key of [`checks/${old}`, `other/${old}`, `${old}`, 'checks/notes.txt'])
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '[]' }));
    const storage = new S3Storage({ client, bucket, checkExpiryNs: 5 * MINUTE, now: () => T0 });
    const kept = await storage.store([result('API', T0 - 4 * MINUTE)]);
    expect((await keys(bucket)).sort()).toEqual(
      [
        `checks/${kept.name}`,
        'checks/notes.txt',
        old,
        `other/${old}`,
        'summaries/summary.json',
        ...pageKeys(),
      ].sort(),
    );
  });

  it('keeps the summary document at its key up to date on every store', async () => {
    const bucket = await freshBucket();
    const storage = new S3Storage({ client, bucket, summaryKey: 'data/summary.json' });
    await storage.store([result('API', T0, 'healthy')]);
    const second = await storage.store([result('API', T0 + MINUTE, 'down')]);
    const summary = await storage.readSummary();
    expect(summary?.recentRuns[0]).toBe(second.name);
    expect(summary?.endpoints[0]).toMatchObject({ status: 'down', since: (T0 + MINUTE) / 1e6 });
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'data/summary.json' }));
    expect(head.ContentType).toBe('application/json');
  });

  it('loses no run when many writers keep storing at once', async () => {
    const bucket = await freshBucket();
    const names: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        const storage = new S3Storage({ client: s3.client(), bucket, now: () => T0 });
        for (let i = 0; i < 5; i += 1) {
          const at = T0 + (writer * 5 + i) * 1e6;
          names.push((await storage.store([result('API', at), result('Web', at)])).name);
        }
      }),
    );
    const summary = await new S3Storage({ client, bucket }).readSummary();
    expect(summary?.writer?.applied.slice().sort()).toEqual(names.slice().sort());
    expect(checksOf(summary, 'API')).toBe(40);
    expect(checksOf(summary, 'Web')).toBe(40);
  }, 120_000);

  it('loses no run when several checkup processes store into one bucket at once', async () => {
    const bucket = await freshBucket();
    const server = await startHttpServer((_request, response) => response.end('ok'));
    try {
      const project = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Local', endpoint_url: server.url }],
        storage: {
          type: 's3',
          bucket,
          region: 'us-east-1',
          endpoint: s3.endpoint,
          force_path_style: true,
          access_key_id: 'S3RVER',
          secret_access_key: 'S3RVER',
        },
      });
      const outcomes = await Promise.all(Array.from({ length: 4 }, () => runCli(['--store'], project)));
      expect(outcomes.map((outcome) => (outcome.code === 0 ? 0 : outcome.stderr))).toEqual([0, 0, 0, 0]);
      // The SDK's Node 20 notice is not for the command's users: it is not printed.
      expect(outcomes.map((outcome) => outcome.stderr)).toEqual(['', '', '', '']);
      const summary = await new S3Storage({ client, bucket }).readSummary();
      expect(summary?.recentRuns).toHaveLength(4);
      expect(checksOf(summary, 'Local')).toBe(4);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('rebuilds the summary from the runs to what storing them made', async () => {
    const bucket = await freshBucket();
    const storage = new S3Storage({ client, bucket, now: () => T0 });
    for (let i = 0; i < 4; i += 1)
      await storage.store([result('API', T0 + i * MINUTE, i === 1 ? 'down' : 'healthy')]);
    const stored = await storage.readSummary();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'summaries/summary.json', Body: '{}' }));
    const rebuilt = await storage.rebuildSummary();
    expect(rebuilt.endpoints).toEqual(stored?.endpoints);
    expect(await storage.readSummary()).toEqual(rebuilt);
  });

  it('applies runs stored with summaries off when asked to update the summary, each once', async () => {
    const bucket = await freshBucket();
    const writer = new S3Storage({ client, bucket, summaries: false });
    for (let i = 0; i < 3; i += 1) await writer.store([result('API', T0 + i * MINUTE)]);
    expect(await writer.readSummary()).toBeUndefined();
    const updater = new S3Storage({ client, bucket, now: () => T0 + 3 * MINUTE });
    expect(checksOf(await updater.updateSummary(), 'API')).toBe(3);
    // Nothing new: nothing applied, no endpoint worked on.
    expect((await updater.updateSummary()).endpoints).toEqual([]);
    expect(checksOf(await updater.readSummary(), 'API')).toBe(3);
  });

  it('gives the history of one endpoint from the runs in range', async () => {
    const bucket = await freshBucket();
    const storage = new S3Storage({ client, bucket, summaries: false });
    for (let i = 0; i < 4; i += 1)
      await storage.store([result('API', T0 + i * MINUTE), result('Web', T0 + i * MINUTE)]);
    const history = await storage.history('Web', { since: T0 + 2 * MINUTE });
    expect(history.map((item) => [item.title, item.timestamp])).toEqual([
      ['Web', T0 + 2 * MINUTE],
      ['Web', T0 + 3 * MINUTE],
    ]);
  });

  it('retries a store that S3 answers with 503 Slow Down', async () => {
    const bucket = await freshBucket();
    const proxy = await startFlakyProxy(s3.endpoint, {
      failures: 2,
      when: (request) => request.method === 'PUT',
    });
    try {
      const storage = new S3Storage({ client: s3.client({ endpoint: proxy.url }), bucket, summaries: false });
      const run = await storage.store([result('API', T0)]);
      expect(proxy.log.filter((line) => line.startsWith('PUT'))).toEqual([
        `PUT /${bucket}/checks/${run.name}?x-id=PutObject -> 503`,
        `PUT /${bucket}/checks/${run.name}?x-id=PutObject -> 503`,
        `PUT /${bucket}/checks/${run.name}?x-id=PutObject -> 200`,
      ]);
      expect(await storage.read(run.name)).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('reads and writes runs at the top of the bucket, where checkup put them, with prefix ""', async () => {
    const bucket = await freshBucket();
    // A run as checkup's s3 storage wrote it: at the top of the bucket, no prefix.
    const checkupRun = `${T0}-check.json`;
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: checkupRun, Body: JSON.stringify([result('API', T0)]) }),
    );
    const storage = new S3Storage({ client, bucket, prefix: '', now: () => T0 + MINUTE });
    const ours = await storage.store([result('API', T0 + MINUTE, 'down')]);

    expect((await storage.list()).map((run) => run.name)).toEqual([checkupRun, ours.name]);
    expect(await keys(bucket)).toEqual(
      [checkupRun, ours.name, 'summaries/summary.json', ...pageKeys()].sort(),
    );
    expect(checksOf(await storage.readSummary(), 'API')).toBe(2);
    expect((await storage.history('API')).map((item) => item.timestamp)).toEqual([T0, T0 + MINUTE]);
  });
});
