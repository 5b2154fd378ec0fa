// A stack deployed with storage=dynamodb, below the shard size: the check function runs every
// checker in one invocation, stores the run in the table (dynalite) and writes into the bucket
// (s3rver) the run file, the page documents and the summary's head. What it writes per run is
// counted at the gateway, which allows only what the function's role allows.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenHours, openHoursName } from '../../core/summary/page-document-types.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import type { CheckOutcome } from '../../functions/check-handler.js';
import { atomEntries } from '../helpers/atom-rfc4287.js';
import { type FanoutHarness, startFanoutHarness } from '../helpers/fanout-harness.js';
import { loopbackCheckers } from '../helpers/loopback-checkers.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { removeTempDirs } from '../helpers/temp-dir.js';

// CHECKUP_MIRROR_ENDPOINTS=1000 measures docs/storage.md's figures (printed as `bytes PUT per run`).
const ENDPOINTS = Number(process.env.CHECKUP_MIRROR_ENDPOINTS ?? 300);
const BUCKET = 'checkup-results-fanout';

let site: RunningServer;
let harness: FanoutHarness;
/** The paths the site answers 503 to: E13's from the second run on, a status change for the timeline. */
const failing = new Set<string>();

beforeAll(async () => {
  site = await startHttpServer((request, response) =>
    response.writeHead(failing.has(request.url ?? '') ? 503 : 200).end('ok'),
  );
  harness = await startFanoutHarness({
    storage: 'dynamodb',
    // Above the endpoints: one invocation checks them all, nothing is queued.
    shardSize: 1_000,
    environments: 0,
    notify: { environments: 1 },
    config: {
      concurrent_checks: 100,
      checkers: loopbackCheckers(site.url, ENDPOINTS, { timeout: '2s' }),
    },
  });
}, 300_000);

afterAll(async () => {
  await harness?.close();
  await site?.close();
  await removeTempDirs();
});

/** The planner's calls since `from`: what it PUT to the bucket (key -> bytes), and its reads of the summary item. */
function callsSince(from: number) {
  const calls = harness.gateway.requests.slice(from).filter((call) => call.caller.startsWith('the check'));
  const puts = new Map<string, number>();
  for (const call of calls)
    if (call.operation === 'PutObject')
      puts.set((call.resources[0] ?? '').replace(`arn:aws:s3:::${BUCKET}/`, ''), call.bytes);
  const summaryReads = calls.filter(
    (call) => call.operation === 'GetItem' && call.partitions?.includes('SUMMARY'),
  ).length;
  return { puts, summaryReads };
}

describe('one invocation on a stack with storage=dynamodb', () => {
  let first: CheckOutcome;
  let second: CheckOutcome;
  let written: ReturnType<typeof callsSince>;

  it('writes the run file, the page documents and the summary head, and reads the summary item once', {
    timeout: 180_000,
  }, async () => {
    first = (await harness.tick()).planner as unknown as CheckOutcome;
    expect(first).toMatchObject({ results: ENDPOINTS, down: 0 });
    failing.add('/e/13');
    const from = harness.gateway.requests.length;
    second = (await harness.tick({ tick: Date.now() + 1_000 })).planner as unknown as CheckOutcome;
    expect(harness.gateway.denied).toEqual([]);
    written = callsSince(from);
    const total = [...written.puts.values()].reduce((sum, bytes) => sum + bytes, 0);
    console.info(`bytes PUT per run at ${ENDPOINTS} endpoints: ${total}`, Object.fromEntries(written.puts));
    // The badges take the summary the store worked on: the summary item is read by the store only.
    expect(written.summaryReads).toBe(1);
    const run = written.puts.get(`checks/${second.run}`) ?? 0;
    const head = written.puts.get('summaries/summary.json') ?? 0;
    expect(run).toBeGreaterThan(ENDPOINTS * 50);
    // The head holds the timeline and the last runs, not every endpoint's history: a small part
    // of what the run file takes (the whole summary was several times the run file).
    expect(head).toBeGreaterThan(0);
    expect(head).toBeLessThan(run / 10);
  });

  it('mirrors the head where the notify function reads the timeline, and no endpoint or writer bookkeeping', async () => {
    const mirrored = await harness.readJson<StatusSummary>('summaries/summary.json');
    expect(mirrored.endpoints).toEqual([]);
    expect(mirrored).not.toHaveProperty('writer');
    expect(mirrored.recentRuns.slice(0, 2)).toEqual([second.run, first.run]);
    expect(mirrored.timeline).toContainEqual(
      expect.objectContaining({ kind: 'status', title: 'E13', status: 'down', previous: 'healthy' }),
    );
  });

  it('leaves the page what it read before: every endpoint in the overview and the 24-hour chart, E13 down', async () => {
    const { overview, endpoints } = await harness.readOverview();
    expect(endpoints).toHaveLength(ENDPOINTS);
    expect(endpoints.filter((endpoint) => endpoint.status === 'down').map((e) => e.title)).toEqual(['E13']);
    // The 24-hour chart's buckets, fetched when it is shown.
    const open = (
      await Promise.all(
        (overview.parts ?? []).map((segment) =>
          harness.readJson<OpenHours>(`summaries/${openHoursName(segment)}`),
        ),
      )
    ).flatMap((part) => part.endpoints);
    expect(open).toHaveLength(ENDPOINTS);
    expect(open.find((entry) => entry.title === 'E13')?.recent.at(-1)).toMatchObject({ down: 1 });
    const badge = await harness.owner.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'summaries/badges/E13.svg' }),
    );
    expect(await badge.Body?.transformToString()).toContain('E13: down');
  });

  it('lets the notify function tell the timeline in the feed from the head', {
    timeout: 60_000,
  }, async () => {
    const [outcome] = await harness.notify([`checks/${second.run}`]);
    expect(harness.gateway.denied).toEqual([]);
    expect(outcome?.processed).toEqual([second.run]);
    const feed = await harness.owner.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: 'summaries/feed.atom' }),
    );
    const titles = atomEntries((await feed.Body?.transformToString()) ?? '').map((entry) => entry.title);
    // The timeline's status change (beside the incident the alert opened).
    expect(titles).toContain('E13 is down');
  });
});
