// The status page's first render for 50 endpoints x 90 days, against the same history read the
// checkup way (one request per run file). Both are measured in Debian's Chromium against the real
// `checkup serve` on loopback: the page cold (fresh browser context each time), and a sample of
// run-file fetches (6 at a time, as a browser does per host) extrapolated to 90 days of runs.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Result } from '../core/result.js';
import { runFileName } from '../core/storage.js';
import type { StatusSummary } from '../core/summary/summary-types.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { generateSummary } from '../test/helpers/generate-summary.js';
import { startServe } from '../test/helpers/start-serve.js';
import { makeTempDir, removeTempDirs } from '../test/helpers/temp-dir.js';

const ENDPOINTS = 50;
const DAYS = 90;
const INTERVAL_MS = 60_000;
const RUNS_IN_HISTORY = (DAYS * 86_400_000) / INTERVAL_MS;
const SAMPLE_RUNS = 300;
const PAGE_LOADS = 5;
const BUDGET_BYTES = 30 * 1024;

/** One run file as checkup writes it: every endpoint's result at one time. */
function runOf(summary: StatusSummary, timestampNs: number): Result[] {
  return summary.endpoints.map((endpoint, i) => ({
    title: endpoint.title,
    endpoint: endpoint.endpoint,
    timestamp: timestampNs + i * 1_234_567,
    times: [{ rtt: Math.round((endpoint.recent.at(-1)?.p50 ?? 100) * 1e6 + i * 7919) }],
    ...(endpoint.thresholdMs !== undefined ? { threshold: endpoint.thresholdMs * 1e6 } : {}),
    [endpoint.status]: true,
  }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export default async function bench(): Promise<void> {
  const summary = generateSummary({
    endpoints: ENDPOINTS,
    days: DAYS,
    now: Date.now(),
    intervalMs: INTERVAL_MS,
  });
  const serve = await startServe(await makeTempDir());
  const browser = await launchChromium();
  try {
    const summaryText = JSON.stringify(summary);
    await writeFile(path.join(serve.dataDir, 'summary.json'), summaryText);
    const names: string[] = [];
    let runBytes = 0;
    for (let i = 0; i < SAMPLE_RUNS; i += 1) {
      const timestampNs = (summary.lastRun - i * INTERVAL_MS) * 1e6;
      const name = runFileName(timestampNs);
      const body = JSON.stringify(runOf(summary, timestampNs));
      runBytes += body.length;
      names.push(name);
      await writeFile(path.join(serve.dataDir, name), body);
    }
    const runFileBytes = runBytes / SAMPLE_RUNS;

    // The page, cold, several times.
    const renders: number[] = [];
    let transferred = 0;
    let dataRequests = 0;
    for (let load = 0; load < PAGE_LOADS; load += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      let bytes = 0;
      let data = 0;
      page.on('requestfinished', async (request) => {
        const sizes = await request.sizes();
        bytes += sizes.responseBodySize + sizes.responseHeadersSize;
        if (new URL(request.url()).pathname.startsWith('/data/')) data += 1;
      });
      await page.goto(serve.url);
      await page.waitForSelector('html[data-state="ready"]', { timeout: 60_000 });
      renders.push(
        await page.evaluate(
          () => performance.getEntriesByName('checkup-rendered')[0]?.startTime ?? Number.NaN,
        ),
      );
      await page.waitForLoadState('networkidle');
      transferred = bytes;
      dataRequests = data;
      await context.close();
    }

    // The checkup way: one fetch per run file, 6 at a time, timed on a sample in the same browser.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${serve.url}/data/page.json`);
    const sampleMs = await page.evaluate(async (runNames: string[]) => {
      const started = performance.now();
      const queue = [...runNames];
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          for (let name = queue.shift(); name; name = queue.shift())
            await (await fetch(`/data/runs/${name}`, { cache: 'no-store' })).json();
        }),
      );
      return performance.now() - started;
    }, names);
    await context.close();

    const renderMs = median(renders);
    const checkupMs = (sampleMs / SAMPLE_RUNS) * RUNS_IN_HISTORY;
    const checkupBytes = runFileBytes * RUNS_IN_HISTORY;
    const checkupGzipBytes =
      gzipSync(readFileSync(path.join(serve.dataDir, names[0] as string))).length * RUNS_IN_HISTORY;
    const assets = ['app.js', 'app-style.css', 'index.html'].map(
      (file) => gzipSync(readFileSync(new URL(`../dist/statuspage/${file}`, import.meta.url))).length,
    );
    const assetBytes = assets.reduce((a, b) => a + b, 0);

    console.log(
      `history: ${ENDPOINTS} endpoints x ${DAYS} days, checked every ${INTERVAL_MS / 1000} s = ${RUNS_IN_HISTORY} runs`,
    );
    console.log(`machine load average: ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`);
    console.log(`page assets (gzip): ${kb(assetBytes)} of a ${kb(BUDGET_BYTES)} budget`);
    console.log(
      `status page first render: ${renderMs.toFixed(0)} ms (median of ${PAGE_LOADS} cold loads), ${dataRequests} data requests, ${kb(transferred)} transferred (summary.json ${mb(summaryText.length)} raw, ${kb(gzipSync(summaryText).length)} gzip)`,
    );
    console.log(
      `checkup way: ${RUNS_IN_HISTORY} requests of ${kb(runFileBytes)} each = ${mb(checkupBytes)} (${mb(checkupGzipBytes)} even if gzipped); ${SAMPLE_RUNS} fetched in ${sampleMs.toFixed(0)} ms -> ${(checkupMs / 1000).toFixed(0)} s for all`,
    );
    console.log(
      `ratios (checkup way / status page): requests ${(RUNS_IN_HISTORY / Math.max(1, dataRequests)).toFixed(0)}x, bytes ${(checkupBytes / transferred).toFixed(0)}x, time ${(checkupMs / renderMs).toFixed(0)}x`,
    );
    if (assetBytes >= BUDGET_BYTES)
      throw new Error(`page assets ${assetBytes} B exceed the ${BUDGET_BYTES} B budget`);
  } finally {
    await browser.close();
    await serve.stop();
    await removeTempDirs();
  }
}
