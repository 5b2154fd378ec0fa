// `checkup serve` over S3, counted at the gateway in front of s3rver: a store that keeps its page
// documents has them passed through as stored, so rendering the page reads those documents and
// the small root, never the whole summary (states, every block's history and recent hours).
import http from 'node:http';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Storage } from '../../adapters/storage/s3-storage.js';
import type { Result } from '../../core/result.js';
import {
  historyName,
  openHoursName,
  overviewPartName,
  RECENT_SLOTS,
  recentName,
  type StatusOverview,
} from '../../core/summary/page-document-types.js';
import { pageDocument } from '../../core/summary/page-documents.js';
import { renderBadge } from '../../core/summary/render-badge.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { atomEntries } from '../helpers/atom-rfc4287.js';
import { type AwsGateway, startAwsGateway } from '../helpers/aws-gateway.js';
import { generateSummary } from '../helpers/generate-summary.js';
import { IamPolicy } from '../helpers/iam-policy.js';
import { type RunningS3rver, startS3rver } from '../helpers/s3rver.js';
import { type RunningServe, startServe } from '../helpers/start-serve.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

const BUCKET = 'serve-documents';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
// 6 blocks of 50: a split overview, each block's history and recent hours its own documents.
const ENDPOINTS = 300;
const BLOCKS = 6;
const NOW = Date.parse('2026-11-24T12:00:00Z');
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const BUCKET_MS = 300_000;

let s3rver: RunningS3rver;
let gateway: AwsGateway;
let writer: S3Client;
let serve: RunningServe;
let whole: StatusSummary;

/** A client of the gateway signed as `keyId`. */
function clientAs(keyId: string): S3Client {
  return new S3Client({
    endpoint: gateway.endpoint,
    forcePathStyle: true,
    region: 'eu-west-1',
    credentials: { accessKeyId: keyId, secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
  });
}

/** A run of every endpoint at `t` (unix ms). */
function runOf(titles: readonly string[], t: number): Result[] {
  return titles.map((title, i) => ({
    title,
    endpoint: `https://e${i}.example.com/health`,
    timestamp: (t + i) * 1e6,
    times: [{ rtt: (20 + (i % 50)) * 1e6 }],
    ...(i % 97 === 0 ? { down: true } : { healthy: true }),
  }));
}

function get(url: string, headers: http.OutgoingHttpHeaders = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      http
        .get(url, { headers }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
          );
        })
        .on('error', reject);
    },
  );
}

beforeAll(async () => {
  s3rver = await startS3rver([BUCKET]);
  gateway = await startAwsGateway({ s3: s3rver.endpoint, region: 'eu-west-1', account: '123456789012' });
  const list = { Effect: 'Allow' as const, Action: 's3:ListBucket', Resource: BUCKET_ARN };
  gateway.addPrincipal(
    'WRITER',
    'the writer',
    new IamPolicy([
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: `${BUCKET_ARN}/*`,
      },
      list,
    ]),
  );
  gateway.addPrincipal(
    'SERVE',
    'checkup serve',
    new IamPolicy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET_ARN}/*` }, list]),
  );
  writer = clientAs('WRITER');
  // Three days of history, then runs every 15 minutes for two and a half hours: closed days in
  // the history documents, closed hours in the recent ones, the rest open in the states.
  const seed = generateSummary({ endpoints: ENDPOINTS, days: 3, now: NOW });
  seed.writer = { appliedSince: String(BigInt(seed.lastRun) * 1_000_000n), applied: [], open: {} };
  await writer.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: 'summaries/summary.json', Body: JSON.stringify(seed) }),
  );
  const titles = seed.endpoints.map((endpoint) => endpoint.title);
  let clock = NOW;
  const storage = new S3Storage({ client: writer, bucket: BUCKET, now: () => clock * 1e6 });
  for (let t = NOW + 60_000; t < NOW + 2.5 * HOUR_MS; t += 15 * 60_000) {
    clock = t;
    await storage.store(runOf(titles, t));
  }
  // What serve answered before it passed the stored documents through: each drawn from this.
  whole = (await storage.readSummary()) as StatusSummary;
  serve = await startServe(await makeTempDir(), {
    storage: {
      type: 's3',
      bucket: BUCKET,
      region: 'eu-west-1',
      endpoint: gateway.endpoint,
      force_path_style: true,
      access_key_id: 'SERVE',
      secret_access_key: 'not-a-secret',
    },
  });
}, 120_000);

afterAll(async () => {
  await serve?.stop();
  writer?.destroy();
  await gateway?.close();
  await s3rver?.close();
  await removeTempDirs();
});

/** The objects serve read (GetObject) while `action` ran, by key. */
async function readsDuring(action: () => Promise<void>): Promise<string[]> {
  const from = gateway.requests.length;
  await action();
  return gateway.requests
    .slice(from)
    .filter((call) => call.caller === 'checkup serve' && call.operation === 'GetObject')
    .map((call) => (call.resources[0] ?? '').replace(`${BUCKET_ARN}/`, ''));
}

describe('checkup serve over a store that keeps its page documents', () => {
  const served = new Map<string, { status: number; body: string }>();
  const fetchDocument = async (name: string) => {
    const answer = await get(`${serve.url}/data/${name}`);
    served.set(name, answer);
    return answer;
  };

  it('renders the page from the stored documents and the root, never the whole summary', {
    timeout: 60_000,
  }, async () => {
    let overview: StatusOverview | undefined;
    const firstRender = await readsDuring(async () => {
      overview = JSON.parse((await fetchDocument('overview.json')).body) as StatusOverview;
      for (const segment of overview.parts ?? []) await fetchDocument(overviewPartName(segment));
    });
    expect(overview?.parts).toEqual([0]);
    // The root (is the store's documents current?), the overview and its part.
    expect(firstRender.sort()).toEqual([
      'summaries/overview.json',
      'summaries/overview/0.json',
      'summaries/summary.json',
    ]);
    // The 24-hour chart and the 90 days of every block, as the page fetches them when shown.
    const newest = Math.floor((overview?.lastRun ?? 0) / HOUR_MS);
    const shown = [
      openHoursName(0),
      ...Array.from({ length: BLOCKS }, (_, block) => [
        historyName(block),
        ...Array.from({ length: RECENT_SLOTS }, (_, i) => recentName(block, (newest - i) * HOUR_MS)),
      ]).flat(),
    ];
    const charts = await readsDuring(async () => {
      for (const name of shown) await fetchDocument(name);
    });
    // Each document once, as stored: no state, and nothing read twice.
    expect(charts.filter((key) => key.startsWith('summaries/state/'))).toEqual([]);
    expect(charts).toHaveLength(shown.length);
    // Asked again with the summary unchanged: answered from what was read.
    expect(await readsDuring(async () => void (await fetchDocument(historyName(2))))).toEqual([]);
  });

  it('answers what it drew from the whole summary before, byte for byte, or what the page reads the same', () => {
    const overview = JSON.parse(served.get('overview.json')?.body ?? '{}') as StatusOverview;
    const openFrom = overview.openHoursFrom as number;
    type Buckets = { endpoints: Array<{ title: string; recent: Array<{ t: number }> }> };
    // The buckets of an hour the page draws: those of the 24-hour chart (ending at the newest run).
    const chartFrom = (Math.floor(overview.lastRun / BUCKET_MS) - (DAY_MS / BUCKET_MS - 1)) * BUCKET_MS;
    const charted = (document: Buckets, from = chartFrom) =>
      document.endpoints
        .map((entry) => ({ title: entry.title, recent: entry.recent.filter((bucket) => bucket.t >= from) }))
        .filter((entry) => entry.recent.length > 0);
    const open = JSON.parse(served.get(openHoursName(0))?.body ?? '{}') as Buckets;
    const openBuckets = new Set(
      charted(open).flatMap((e) => e.recent.map((b) => JSON.stringify([e.title, b]))),
    );
    let identical = 0;
    for (const [name, answer] of served) {
      const drawn = pageDocument(whole, name);
      const hour = name.startsWith('recent/') ? (drawn as { hour?: number } | undefined)?.hour : undefined;
      if (hour !== undefined && hour + HOUR_MS > openFrom) {
        // An hour still open: its stored slot is not written yet (or holds the hour of a day
        // ago, which the page skips); its buckets are in the open hours, which the page lays over.
        for (const entry of charted(drawn as Buckets, openFrom))
          for (const bucket of entry.recent)
            expect(openBuckets.has(JSON.stringify([entry.title, bucket])), `${name} ${entry.title}`).toBe(
              true,
            );
        if (answer.status === 200) expect(JSON.parse(answer.body).hour).not.toBe(hour);
        continue;
      }
      expect(answer.status, name).toBe(drawn ? 200 : 404);
      if (!drawn) continue;
      if (answer.body === JSON.stringify(drawn)) identical += 1;
      // A closed hour keeps the buckets the whole summary has let go of (older than 24 hours),
      // which the chart does not draw.
      else if (hour !== undefined)
        expect(charted(JSON.parse(answer.body)), name).toEqual(charted(drawn as Buckets));
      else expect(answer.body, name).toBe(JSON.stringify(drawn));
    }
    // The overview, its part, the open hours, every history and most closed hours, byte for byte.
    expect(identical).toBeGreaterThan(3 + BLOCKS + BLOCKS * 10);
  });

  it('draws the badges and the feed from the stored overview: the same statuses and timeline, no more reads', async () => {
    const down = whole.endpoints.find((endpoint) => endpoint.status === 'down');
    const healthy = whole.endpoints.findLast((endpoint) => endpoint.status === 'healthy');
    let badges: string[] = [];
    let feed = '';
    const reads = await readsDuring(async () => {
      badges = await Promise.all(
        [down, healthy].map(
          async (endpoint) =>
            (await get(`${serve.url}/data/badge/${encodeURIComponent(endpoint?.title ?? '')}.svg`)).body,
        ),
      );
      feed = (await get(`${serve.url}/data/feed.atom`)).body;
    });
    // The overview and its part were read for the page already, for this version of the summary
    // (the feed's notices come from the alert state).
    expect(reads.filter((key) => key.startsWith('summaries/'))).toEqual([]);
    expect(badges).toEqual([
      renderBadge(down?.title ?? '', 'down'),
      renderBadge(healthy?.title ?? '', 'healthy'),
    ]);
    const changes = whole.timeline.filter((event) => event.kind === 'status');
    expect(changes.length).toBeGreaterThan(0);
    expect(atomEntries(feed).map((entry) => entry.title)).toEqual(
      expect.arrayContaining(changes.slice(0, 20).map((event) => `${event.title} is ${event.status}`)),
    );
  });

  it('keeps its ETags and cache rules', async () => {
    const first = await get(`${serve.url}/data/overview.json`);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await get(`${serve.url}/data/overview.json`, {
      'if-none-match': String(first.headers.etag),
    });
    expect(again.status).toBe(304);
  });
});
