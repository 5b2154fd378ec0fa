// Storage figures: what a status-page reader downloads for 50 endpoints x 90 days of one-minute
// checks (the summary versus checkup's one file per run), and what one store costs with summaries
// on, as ratios against a store without them measured in the same run, against s3rver.
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { S3Storage } from '../adapters/storage/s3-storage.js';
import { createChecker } from '../core/checkers/create-checker.js';
import { validateConfig } from '../core/config/parse-config.js';
import type { Result } from '../core/result.js';
import { parseResults, stringifyResults } from '../core/result-json.js';
import { runChecks } from '../core/run-checks.js';
import { runFileName } from '../core/storage.js';
import { applyRunToSummaryInPlace, emptySummary } from '../core/summary/apply-run-to-summary.js';
import { addValue, type Histogram, percentile } from '../core/summary/histogram.js';
import type { StatusSummary } from '../core/summary/summary-types.js';
import { startFlakyProxy } from '../test/helpers/flaky-proxy.js';
import { startS3rver } from '../test/helpers/s3rver.js';
import { startHttpServer } from '../test/helpers/servers.js';

const ENDPOINTS = 50;
const DAYS = 90;
const RUNS_PER_DAY = 1440;
const MINUTE_NS = 60e9;
const STORES = 15;

export default async function storageBench(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const run = await realRun();
  const runBytes = Buffer.byteLength(JSON.stringify(run));
  const summary = ninetyDaySummary(run);
  const summaryJson = JSON.stringify(summary);
  const summaryGzip = gzipSync(summaryJson, { level: 9 }).length;
  const runs = DAYS * RUNS_PER_DAY;
  const rawBytes = runs * runBytes;
  const rawGzip = runs * gzipSync(JSON.stringify(run)).length;

  console.log(
    `reader of ${ENDPOINTS} endpoints x ${DAYS} days at one-minute checks (${runs.toLocaleString('en')} runs)`,
  );
  console.log(`  one real run file: ${kb(runBytes)} (${kb(gzipSync(JSON.stringify(run)).length)} gzipped)`);
  console.log(
    `  checkup (one file per run): ${runs.toLocaleString('en')} requests, ${mb(rawBytes)} (${mb(rawGzip)} gzipped)`,
  );
  console.log(
    `  summary.json:               1 request, ${kb(summaryJson.length)} (${kb(summaryGzip)} gzipped; goal < 150 KB)`,
  );
  console.log(
    `  ratio: ${(runs / 1).toLocaleString('en')}x fewer requests, ${Math.round(rawGzip / summaryGzip).toLocaleString('en')}x fewer gzipped bytes`,
  );

  codecCost(run);
  await storeCost(run, summary);
}

/**
 * The exact JSON of run files (core/result-json.ts) against plain JSON.parse/JSON.stringify on
 * the same text, for the real run and for one of 1,000 results: the price of keeping int64s
 * digit-exact. Best of several rounds, alternating, so the two share the machine's load.
 */
function codecCost(run: Result[]): void {
  console.log('run file JSON, exact int64 (core/result-json.ts) vs plain JSON (best of 15 rounds)');
  for (const results of [run, Array.from({ length: 1000 }, (_, i) => run[i % run.length] as Result)]) {
    const text = stringifyResults(results);
    const parsed = parseResults(text);
    const cases: Record<string, () => unknown> = {
      'JSON.parse': () => JSON.parse(text),
      parseResults: () => parseResults(text),
      'JSON.stringify': () => JSON.stringify(parsed),
      stringifyResults: () => stringifyResults(parsed),
    };
    const best: Record<string, number> = {};
    const repeat = Math.max(5, Math.round(20_000 / results.length));
    for (let round = 0; round < 15; round += 1)
      for (const [name, task] of Object.entries(cases)) {
        const started = performance.now();
        for (let i = 0; i < repeat; i += 1) task();
        best[name] = Math.min(best[name] ?? Infinity, (performance.now() - started) / repeat);
      }
    const ms = (name: string) => (best[name] ?? 0).toFixed(3);
    const ratio = (a: string, b: string) => ((best[a] ?? 0) / (best[b] ?? 1)).toFixed(2);
    console.log(
      `  ${results.length} results (${kb(text.length)}): read ${ms('parseResults')} ms vs ${ms('JSON.parse')} (${ratio('parseResults', 'JSON.parse')}x), ` +
        `write ${ms('stringifyResults')} ms vs ${ms('JSON.stringify')} (${ratio('stringifyResults', 'JSON.stringify')}x)`,
    );
  }
}

/** One run as the real http checker makes it: 50 endpoints on a loopback server. */
async function realRun(): Promise<Result[]> {
  const server = await startHttpServer((_request, response) => response.end('ok'));
  try {
    const config = validateConfig({
      checkers: Array.from({ length: ENDPOINTS }, (_, i) => ({
        type: 'http',
        endpoint_name: `Service ${String(i + 1).padStart(2, '0')}`,
        endpoint_url: `${server.url}/health/service-${i + 1}`,
        threshold_rtt: '500ms',
        attempts: 3,
      })),
    });
    return await runChecks(
      config.checkers.map((checker) => createChecker(checker, { allowExec: false })),
      {
        concurrency: 10,
        timestamp: Date.now() * 1e6,
      },
    );
  } finally {
    await server.close();
  }
}

/**
 * The summary after 90 days. The last day is applied run by run from the real run (latencies and
 * outages drawn from a seeded generator), so the recent buckets, timeline and writer state are what
 * a writer keeps; the 89 days before it are filled with day entries of the same shape and value
 * ranges (applying all 6.5 million results would take too long for a bench).
 */
function ninetyDaySummary(template: Result[]): StatusSummary {
  const random = seeded(42);
  const latency = () => Math.round(20 + random() * 80 + (random() < 0.02 ? random() * 2000 : 0)) * 1e5;
  const end = Date.UTC(2026, 10, 24) * 1e6;
  const summary = emptySummary();
  for (let minute = 0; minute < RUNS_PER_DAY; minute += 1) {
    const at = end - (RUNS_PER_DAY - minute) * MINUTE_NS;
    const results = template.map((result, i) => {
      const down = random() < 0.001 || (i === 7 && minute > 600 && minute < 640);
      return {
        ...result,
        timestamp: at,
        times: result.times.map(() =>
          down ? { rtt: 5e6, error: 'connection refused' } : { rtt: latency() },
        ),
        healthy: !down,
        ...(down ? { down: true } : {}),
      };
    });
    applyRunToSummaryInPlace(summary, { name: runFileName(at), results });
  }
  for (const endpoint of summary.endpoints) {
    const earlier = Array.from({ length: DAYS - 1 }, (_, d) => {
      let histogram: Histogram = {};
      for (let i = 0; i < 200; i += 1) histogram = addValue(histogram, latency() / 1e6);
      const down = random() < 0.1 ? Math.floor(random() * 30) : 0;
      const degraded = random() < 0.2 ? Math.floor(random() * 20) : 0;
      return {
        day: new Date(end / 1e6 - (DAYS - d) * 86_400_000).toISOString().slice(0, 10),
        checks: RUNS_PER_DAY,
        healthy: RUNS_PER_DAY - down - degraded,
        degraded,
        down,
        p50: percentile(histogram, 0.5),
        p95: percentile(histogram, 0.95),
        p99: percentile(histogram, 0.99),
      };
    });
    endpoint.days = [...earlier, ...endpoint.days];
  }
  return summary;
}

/** Requests and ms of one store into s3rver, summaries on (with the 90-day summary in place) and off. */
async function storeCost(run: Result[], summary: StatusSummary): Promise<void> {
  const s3 = await startS3rver([]);
  const proxy = await startFlakyProxy(s3.endpoint, { failures: 0 });
  try {
    const client = s3.client({ endpoint: proxy.url });
    await client.send(new CreateBucketCommand({ Bucket: 'bench' }));
    await client.send(
      new PutObjectCommand({ Bucket: 'bench', Key: 'summaries/summary.json', Body: JSON.stringify(summary) }),
    );
    const measure = async (summaries: boolean) => {
      const storage = new S3Storage({
        client,
        bucket: 'bench',
        prefix: summaries ? 'on/' : 'off/',
        summaries,
      });
      const times: number[] = [];
      const before = proxy.log.length;
      for (let i = 0; i < STORES; i += 1) {
        const at = Date.now() * 1e6;
        const started = performance.now();
        await storage.store(run.map((result) => ({ ...result, timestamp: at })));
        times.push(performance.now() - started);
      }
      return { requests: (proxy.log.length - before) / STORES, ms: median(times) };
    };
    await measure(false); // warm up the connection and s3rver
    const off = await measure(false);
    const on = await measure(true);
    console.log(
      `one store of a ${ENDPOINTS}-result run into s3rver (median of ${STORES}; summary of 90 days in place)`,
    );
    console.log(`  without summaries: ${off.requests.toFixed(1)} requests, ${off.ms.toFixed(1)} ms`);
    console.log(`  with summaries:    ${on.requests.toFixed(1)} requests, ${on.ms.toFixed(1)} ms`);
    console.log(
      `  ratio: ${(on.requests / off.requests).toFixed(1)}x requests, ${(on.ms / off.ms).toFixed(1)}x time`,
    );
  } finally {
    await proxy.close();
    await s3.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) =>
  `${(bytes / 1024 / 1024).toLocaleString('en', { maximumFractionDigits: 0 })} MB`;
