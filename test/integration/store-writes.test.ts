// What one store writes to S3, counted at the gateway in front of s3rver (what AWS would bill):
// a store rewrites the segments its run touched (state, overview part and open hours, 500
// endpoints each),
// the small root and overview index, and, once an hour, each block's closed hour. Counts, not times.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Storage } from '../../adapters/storage/s3-storage.js';
import type { Result } from '../../core/result.js';
import { type AwsGateway, startAwsGateway } from '../helpers/aws-gateway.js';
import { generateSummary } from '../helpers/generate-summary.js';
import { IamPolicy } from '../helpers/iam-policy.js';
import { type RunningS3rver, startS3rver } from '../helpers/s3rver.js';

const BUCKET = 'store-writes';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
// 22 blocks of 50 in 3 segments of 10 blocks: enough for the formula, small enough for seconds.
const ENDPOINTS = 1_100;
const BLOCKS = 22;
const SEGMENTS = 3;
const NOW = Date.parse('2026-11-24T12:00:00Z');

let s3rver: RunningS3rver;
let gateway: AwsGateway;
let client: S3Client;
let buckets = 0;

beforeAll(async () => {
  s3rver = await startS3rver(Array.from({ length: 4 }, (_, i) => `${BUCKET}-${i + 1}`));
  gateway = await startAwsGateway({ s3: s3rver.endpoint, region: 'eu-west-1', account: '123456789012' });
  gateway.addPrincipal(
    'WRITER',
    'the check function',
    new IamPolicy([
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: `${BUCKET_ARN}-*/*`,
      },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: `${BUCKET_ARN}-*` },
    ]),
  );
  client = new S3Client({
    endpoint: gateway.endpoint,
    forcePathStyle: true,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'WRITER', secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client?.destroy();
  await gateway?.close();
  await s3rver?.close();
});

/** A run of the first `count` endpoints at `t` (unix ms), one result each. */
function runOf(titles: readonly string[], count: number, t: number): Result[] {
  return titles.slice(0, count).map((title, i) => ({
    title,
    endpoint: `https://e${i}.example.com/health`,
    timestamp: (t + i) * 1e6,
    times: [{ rtt: (20 + (i % 50)) * 1e6 }],
    ...(i % 97 === 0 ? { down: true } : { healthy: true }),
  }));
}

/** A bucket holding `days` of generated history for ENDPOINTS endpoints, migrated by a first store. */
async function storeWithHistory(days: number) {
  buckets += 1;
  const bucket = `${BUCKET}-${buckets}`;
  const summary = generateSummary({ endpoints: ENDPOINTS, days, now: NOW });
  summary.writer = { appliedSince: String(BigInt(summary.lastRun) * 1_000_000n), applied: [], open: {} };
  await client.send(
    new PutObjectCommand({ Bucket: bucket, Key: 'summaries/summary.json', Body: JSON.stringify(summary) }),
  );
  const titles = summary.endpoints.map((endpoint) => endpoint.title);
  let clock = NOW;
  const storage = new S3Storage({ client, bucket, now: () => clock * 1e6 });
  await storage.store(runOf(titles, ENDPOINTS, NOW));
  /** Stores a run of `count` endpoints at `t` (ms): its S3 writes by kind, and their bytes. */
  const store = async (count: number, t: number) => {
    clock = t;
    const from = gateway.requests.length;
    await storage.store(runOf(titles, count, t));
    const puts = gateway.requests.slice(from).filter((request) => request.operation === 'PutObject');
    const keys = puts.map((put) => (put.resources[0] ?? '').replace(`${BUCKET_ARN}-${buckets}/`, ''));
    const kinds = new Map<string, number>();
    for (const key of keys) {
      const kind = key.startsWith('checks/')
        ? 'run'
        : key
            .replace(/\/open-\d+\.json$/, '/open')
            .replace(/\/\d+[-.].*$/, '')
            .replace(/^summaries\//, '');
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    const bytesOf = (kind: string) =>
      puts
        .filter((put) => (put.resources[0] ?? '').includes(`/summaries/${kind}/`))
        .reduce((sum, put) => sum + put.bytes, 0);
    return {
      puts: puts.length,
      kinds: Object.fromEntries(kinds),
      bytes: puts.reduce((sum, put) => sum + put.bytes, 0),
      bytesOf,
    };
  };
  /** A stored page document, parsed. */
  const read = async (name: string) => {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `summaries/${name}` }));
    return JSON.parse(await (object.Body as { transformToString(): Promise<string> }).transformToString());
  };
  return { store, read };
}

describe('what one store writes to S3, counted at the gateway', () => {
  it('writes three objects per segment touched and three more; each block once when an hour closes', {
    timeout: 120_000,
  }, async () => {
    const { store, read } = await storeWithHistory(7);
    // Every endpoint: each segment's state, overview part and open hours, the overview index,
    // the root, the run.
    const whole = await store(ENDPOINTS, NOW + 60_000);
    expect(whole.kinds).toEqual({
      run: 1,
      'summary.json': 1,
      'overview.json': 1,
      overview: SEGMENTS,
      'recent/open': SEGMENTS,
      state: SEGMENTS,
    });
    expect(whole.puts).toBe(3 * SEGMENTS + 3);
    // The overview parts carry status and uptime, no buckets: those are in the open hours.
    const part = await read('overview/0.json');
    expect(part.endpoints).toHaveLength(500);
    expect(part.endpoints.filter((endpoint: { recent?: unknown }) => endpoint.recent !== undefined)).toEqual(
      [],
    );
    expect(whole.bytesOf('overview') / ENDPOINTS).toBeLessThan(450);
    const open = await read('recent/open-0.json');
    expect((await read('overview.json')).openHoursFrom).toBe(open.from);
    expect(open.endpoints).toHaveLength(500);
    expect(open.endpoints[0].recent.every((bucket: { t: number }) => bucket.t >= open.from)).toBe(true);

    // One fan-out shard's run (500 endpoints: segment 0): its segment only.
    const shard = await store(500, NOW + 2 * 60_000);
    expect(shard.kinds).toEqual({
      run: 1,
      'summary.json': 1,
      'overview.json': 1,
      overview: 1,
      'recent/open': 1,
      state: 1,
    });

    // 12:16: the 11:00 hour has closed (its end plus the 15-minute late window): each block's
    // recent hour is written, once.
    const closing = await store(ENDPOINTS, NOW + 16 * 60_000);
    expect(closing.puts).toBe(3 * SEGMENTS + 3 + BLOCKS);
    expect(closing.kinds.recent).toBe(BLOCKS);
    const after = await store(ENDPOINTS, NOW + 17 * 60_000);
    expect(after.puts).toBe(3 * SEGMENTS + 3);
  });

  it('writes no more bytes a store over 7 days of history than over 1: the state keeps what is open', {
    timeout: 120_000,
  }, async () => {
    const oneDay = await (await storeWithHistory(1)).store(ENDPOINTS, NOW + 60_000);
    const week = await (await storeWithHistory(7)).store(ENDPOINTS, NOW + 60_000);
    expect(week.puts).toBe(oneDay.puts);
    // The same objects; the week's closed-day sums take a digit or two more per endpoint.
    expect(week.bytes).toBeLessThan(oneDay.bytes * 1.05);
    // Per endpoint: its open hour's buckets, open day, closed figures and overview entry, not its history.
    expect(week.bytes / ENDPOINTS).toBeLessThan(3_000);
  });
});
