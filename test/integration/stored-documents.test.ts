import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsAlertStateStore } from '../../adapters/alerts/fs-alert-state-store.js';
import { FsStorage } from '../../adapters/storage/fs-storage.js';
import { formatResult } from '../../cli/format-result.js';
import { processRun } from '../../core/alerts/process-run.js';
import type { Result, Status } from '../../core/result.js';
import { ns } from '../helpers/make-runs.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

afterEach(removeTempDirs);

/**
 * What `checkup --store` writes and prints, byte for byte, over a day and a half of runs: the run
 * files, index.json, the summary root, the block states, every page document and the alert state
 * after each store, and the printed results. The digests were taken from the writer before its
 * work was made cheaper (test/fixtures/stored-documents.json): a change of speed must not change
 * one byte. A change of format updates them on purpose (CHECKUP_PRINT_DIGESTS=1 prints the new ones).
 */
const EXPECTED = JSON.parse(
  await readFile(new URL('../fixtures/stored-documents.json', import.meta.url), 'utf8'),
) as { stores: string[]; small: string[]; printed: string[] };

const MINUTE_MS = 60_000;
const START_MS = Date.parse('2026-11-28T21:10:00Z');

/** A small deterministic PRNG (mulberry32), so every run of the test makes the same results. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One run's results at `atMs`: endpoints `from` to `to` (exclusive) with a few down, degraded,
 * in maintenance, with messages, notices, groups, certificates and a region among them.
 */
function runAt(atMs: number, from: number, to: number, seed: number): Result[] {
  const random = prng(seed);
  const results: Result[] = [];
  for (let i = from; i < to; i += 1) {
    const roll = random();
    const status: Status =
      (i % 37 === 0 && roll < 0.6) || roll < 0.02
        ? 'down'
        : i % 53 === 0 || roll < 0.05
          ? 'degraded'
          : 'healthy';
    const attempts = 1 + (i % 3);
    const result: Result = {
      title: `endpoint ${i}`,
      endpoint: `https://e${i}.test/health`,
      timestamp: ns(new Date(atMs).toISOString()),
      times: Array.from({ length: attempts }, (_, attempt) => ({
        rtt: Math.round((20 + random() * 400 + (i % 7) * 30) * 1e6),
        ...(status === 'down' && attempt === attempts - 1 ? { error: `connect ECONNREFUSED e${i}` } : {}),
      })),
      [status]: true,
    };
    if (i % 4 === 0) result.threshold = 300e6;
    if (i % 11 === 0) result.group = `group ${i % 3}`;
    if (i % 41 === 0 && roll < 0.3) result.message = `message \u001b[31m${Math.floor(roll * 100)}`;
    if (status === 'degraded') result.notice = 'median RTT over threshold';
    if (i % 97 === 0 && roll < 0.5) result.maintenance = 'nightly';
    if (i % 29 === 0)
      result.cert = { expires: atMs + 30 * 86_400_000, issuer: 'Test CA', subject: `e${i}.test` };
    if (i === 7) result.region = 'eu-west-1';
    results.push(result);
  }
  return results;
}

/**
 * The stores: every 37 minutes for a day and a half (hours and days close between them, a block
 * at a time), a quarter hour of runs a minute apart, endpoints added (a second segment) and
 * dropped, a late run of one segment's endpoints stored after a newer run, and one run of only a
 * few endpoints.
 */
function schedule(): Array<{ atMs: number; results: Result[] }> {
  const runs: Array<{ atMs: number; results: Result[] }> = [];
  for (let n = 0; n < 60; n += 1) {
    const atMs = START_MS + n * 37 * MINUTE_MS;
    runs.push({ atMs, results: runAt(atMs, n > 30 ? 10 : 0, n < 20 ? 480 : 540, n) });
    if (n === 25)
      runs.push({ atMs: atMs - 5 * MINUTE_MS, results: runAt(atMs - 5 * MINUTE_MS, 500, 540, 1000) });
    if (n === 40)
      for (let m = 1; m <= 15; m += 1)
        runs.push({ atMs: atMs + m * MINUTE_MS, results: runAt(atMs + m * MINUTE_MS, 10, 540, 2000 + m) });
    if (n === 50) runs.push({ atMs: atMs + MINUTE_MS, results: runAt(atMs + MINUTE_MS, 100, 104, 3000) });
  }
  return runs;
}

/** Generation names are random: numbered in the order they first appear, so two stores compare. */
function generationNames(): (text: string) => string {
  const numbers = new Map<string, number>();
  return (text) =>
    text.replace(/(state\/\d+)-([0-9a-f]{16})\.json/g, (_, prefix: string, generation: string) => {
      if (!numbers.has(generation)) numbers.set(generation, numbers.size);
      return `${prefix}-g${numbers.get(generation)}.json`;
    });
}

/** Every file under `dir`, by path relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/** One digest of every file in `dir`, generation names numbered. */
async function digestOf(dir: string, normalize: (text: string) => string): Promise<string> {
  // The root names the generations in block order: numbered from it first.
  normalize(await readFile(path.join(dir, 'summary.json'), 'utf8'));
  const files = await Promise.all(
    (await filesUnder(dir)).map(async (name) => ({
      name: normalize(name),
      text: normalize(await readFile(path.join(dir, name), 'utf8')),
    })),
  );
  const hash = createHash('sha256');
  for (const file of files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)))
    hash.update(`${file.name}\n${file.text}\n`);
  return hash.digest('hex').slice(0, 16);
}

function digestText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

describe('what a store writes and prints', () => {
  /** Stores the schedule (its first `endpoints` endpoints) and returns the digest after each store. */
  async function storeSchedule(endpoints: number): Promise<string[]> {
    const dir = await makeTempDir();
    const normalize = generationNames();
    const stateStore = new FsAlertStateStore({ dir });
    const digests: string[] = [];
    for (const { atMs, results: all } of schedule()) {
      const results = all.filter((result) => Number(result.title.split(' ')[1]) < endpoints);
      if (results.length === 0) continue;
      const storage = new FsStorage({ dir, now: () => (atMs + 2_000) * 1e6 });
      await storage.store(results);
      await processRun(results, { stateStore, notifiers: [], now: () => atMs + 3_000 });
      digests.push(await digestOf(dir, normalize));
    }
    if (process.env.CHECKUP_PRINT_DIGESTS) console.log(JSON.stringify(digests));
    return digests;
  }

  /** The first store whose files differ from what they were (-1: none), rather than a wall of digests. */
  function firstDifference(digests: readonly string[], expected: readonly string[]) {
    return {
      first: digests.findIndex((digest, index) => digest !== expected[index]),
      stores: digests.length,
    };
  }

  it('stays byte for byte what it was, store after store, split into segments', async () => {
    const digests = await storeSchedule(540);
    expect(firstDifference(digests, EXPECTED.stores)).toEqual({ first: -1, stores: EXPECTED.stores.length });
  }, 120_000);

  it('stays byte for byte what it was, store after store, in one overview', async () => {
    const digests = await storeSchedule(150);
    expect(firstDifference(digests, EXPECTED.small)).toEqual({ first: -1, stores: EXPECTED.small.length });
  }, 120_000);

  it('prints results as it did, in colour and without', () => {
    const printed = [false, true].map((colour) =>
      digestText(
        [
          ...runAt(START_MS, 0, 540, 1),
          ...runAt(START_MS, 0, 60, 2),
          { title: 'no \u0007 attempts', endpoint: 'x\u202e', timestamp: 1, times: [], down: true },
          {
            title: 'slow',
            endpoint: 'y',
            timestamp: 1,
            times: [{ rtt: 61e9 }, { rtt: 5 }],
            threshold: 2e9,
            degraded: true,
          },
        ]
          .map((result) => `${formatResult(result, colour)}\n`)
          .join(''),
      ),
    );
    if (process.env.CHECKUP_PRINT_DIGESTS) console.log(JSON.stringify(printed));
    expect(printed).toEqual(EXPECTED.printed);
  });
});
