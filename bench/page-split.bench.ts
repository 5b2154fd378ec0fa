// What the page reads at first render, split (overview + one history block) against the whole
// summary.json it read before, at 50, 1,000 and 10,000 endpoints x 90 days; and what one store of
// a 10,000-endpoint run costs with the page documents against the same store writing its run file
// only. Bytes are gzip, as `checkup serve` and CloudFront send them; the e2e test
// (test/e2e/status-page.test.ts) checks that the page fetches exactly these documents.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { FsStorage } from '../adapters/storage/fs-storage.js';
import type { Result } from '../core/result.js';
import { historyBlockOf, openHoursOf, overviewOf, overviewPartOf } from '../core/summary/page-documents.js';
import { pageSettings } from '../core/summary/page-settings.js';
import { generateSummary } from '../test/helpers/generate-summary.js';
import { makeTempDir, removeTempDirs } from '../test/helpers/temp-dir.js';

const SIZES = [50, 1_000, 10_000];
const STORE_ENDPOINTS = 10_000;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const gz = (value: unknown) => gzipSync(JSON.stringify(value)).length;

function runOf(count: number, timestampNs: number): Result[] {
  return Array.from({ length: count }, (_, i) => ({
    title: `Endpoint ${i}`,
    endpoint: `https://e${i}.example.com/health`,
    timestamp: timestampNs + i * 1000,
    times: [{ rtt: (20 + (i % 50)) * 1e6 }],
    ...(i % 97 === 0 ? { down: true } : { healthy: true }),
  }));
}

/** Bytes of the files under `dir` changed at or after `since` (ms), and how many. */
async function changedSince(dir: string, since: number): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const info = await stat(path.join(entry.parentPath, entry.name));
    if (info.mtimeMs >= since) {
      files += 1;
      bytes += info.size;
    }
  }
  return { files, bytes };
}

export default async function bench(): Promise<void> {
  const settings = gz(pageSettings());
  for (const endpoints of SIZES) {
    const summary = generateSummary({ endpoints, days: 90, now: Date.now() });
    const { writer: _writer, ...whole } = summary;
    const before = settings + gz(whole);
    // Above 4 blocks the overview is an index and one part per block, all fetched at first render.
    const index = overviewOf(summary);
    const parts = index.parts ?? [];
    const overview =
      gz(index) + parts.reduce((sum, segment) => sum + gz(overviewPartOf(summary, segment)), 0);
    const after = settings + overview + gz(historyBlockOf(summary, 0));
    console.log(
      `page first render, ${endpoints} endpoints x 90 days: ${3 + parts.length} requests, ${kb(after)} (overview ${kb(overview)}${parts.length ? ` in ${parts.length} parts` : ''}) vs whole summary.json: 2 requests, ${kb(before)} -> ${(before / after).toFixed(1)}x fewer bytes; the 24-hour chart adds its segment's open hours, ${kb(gz(openHoursOf(summary, 0)))}`,
    );
  }

  // One store of a 10,000-endpoint run, the third in a row (so the page documents are updated, not
  // first written), with summaries and page documents against the run file alone.
  const timed = async (summaries: boolean) => {
    const dir = await makeTempDir();
    const t0 = Date.parse('2026-11-24T10:00:00Z') * 1e6;
    const storage = new FsStorage({ dir, summaries, now: () => t0 + 3 * 60e9 });
    for (let i = 0; i < 2; i += 1) await storage.store(runOf(STORE_ENDPOINTS, t0 + i * 60e9));
    const started = Date.now();
    const ms = performance.now();
    await storage.store(runOf(STORE_ENDPOINTS, t0 + 2 * 60e9));
    const elapsed = performance.now() - ms;
    const written = await changedSince(dir, started - 1);
    const summaryBytes = summaries ? (await stat(path.join(dir, 'summary.json'))).size : 0;
    return { elapsed, written, summaryBytes };
  };
  try {
    const bare = await timed(false);
    const full = await timed(true);
    const pageDocs = full.written.bytes - bare.written.bytes - full.summaryBytes;
    console.log(
      `store of a ${STORE_ENDPOINTS}-endpoint run: ${full.elapsed.toFixed(0)} ms with summary and page documents vs ${bare.elapsed.toFixed(0)} ms run file only (${(full.elapsed / bare.elapsed).toFixed(1)}x); block states and page documents written: ${full.written.files - bare.written.files - 1} files, ${kb(pageDocs)} (run file ${kb(bare.written.bytes)}, summary.json root ${kb(full.summaryBytes)} after 3 runs)`,
    );
  } finally {
    await removeTempDirs();
  }
  await storeIntoHistory();
}

/**
 * One store into a store already holding 10,000 endpoints' history (7 days: the recent buckets,
 * 288 a day per endpoint, are most of it), against the same store writing its run file only, in
 * the same run: a fan-out shard's run of 500 endpoints and a whole run of 10,000. Bytes written
 * are every file the store changed. Works on the code before the writer state was split too, for
 * the before figure (docs/scale.md).
 */
export async function storeIntoHistory(): Promise<void> {
  const now = Date.parse('2026-11-24T12:00:00Z');
  const summary = generateSummary({ endpoints: STORE_ENDPOINTS, days: 7, now });
  const titles = summary.endpoints.map((endpoint) => endpoint.title);
  // What a writer keeps beside it: every run up to the generated one applied.
  summary.writer = { appliedSince: String(BigInt(summary.lastRun) * 1_000_000n), applied: [], open: {} };
  const body = JSON.stringify(summary);
  const runOfTitles = (count: number, t: number): Result[] =>
    titles.slice(0, count).map((title, i) => ({
      title,
      endpoint: `https://e${i}.example.com/health`,
      timestamp: t * 1e6 + i * 1000,
      times: [{ rtt: (20 + (i % 50)) * 1e6 }],
      ...(i % 97 === 0 ? { down: true } : { healthy: true }),
    }));
  try {
    for (const count of [500, STORE_ENDPOINTS]) {
      const timed = async (summaries: boolean) => {
        const dir = await makeTempDir();
        const { writeFile } = await import('node:fs/promises');
        await writeFile(path.join(dir, 'summary.json'), body);
        const storage = new FsStorage({ dir, summaries, now: () => (now + 5 * 60_000) * 1e6 });
        // A first store (it migrates a summary written before the split), then the one measured.
        await storage.store(runOfTitles(STORE_ENDPOINTS, now));
        const started = Date.now();
        const ms = performance.now();
        await storage.store(runOfTitles(count, now + 60_000));
        const elapsed = performance.now() - ms;
        return { elapsed, written: await changedSince(dir, started - 1) };
      };
      const bare = await timed(false);
      const full = await timed(true);
      console.log(
        `store of a ${count}-endpoint run into ${STORE_ENDPOINTS} endpoints x 7 days of history: ${full.elapsed.toFixed(0)} ms vs ${bare.elapsed.toFixed(0)} ms run file only (${(full.elapsed / bare.elapsed).toFixed(1)}x); written: ${full.written.files} files, ${kb(full.written.bytes)} (run file only: ${kb(bare.written.bytes)})`,
      );
      await removeTempDirs();
    }
  } finally {
    await removeTempDirs();
  }
}
