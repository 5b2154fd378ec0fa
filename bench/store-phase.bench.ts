// What `checkup --store` costs after its checks are done: printing 1,000 results of 3 attempts,
// storing them into fs storage (run file, index, summary state, page documents) and alerting,
// each phase's CPU on the main thread, in a fresh process (cold code, as the command runs it).
// On a fresh storage (the engine bench's) and on one holding two days of runs (`checkup every`'s).
// Baseline in the same runs: the same store with summaries off (run file and index only), cold too.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FsStorage } from '../adapters/storage/fs-storage.js';
import { createRunAlerter } from '../cli/alert-on-run.js';
import { printResults } from '../cli/print-results.js';
import { validateConfig } from '../core/config/parse-config.js';
import type { Result } from '../core/result.js';
import { median } from '../core/stats.js';

const ENDPOINTS = 1000;
const ROUNDS = 7;
const MINUTE_MS = 60_000;
/** The measured run's time; the steady storage's history ends one minute before it. */
const AT_MS = Date.UTC(2026, 10, 30, 12, 7, 30);

interface Phases {
  print: number;
  store: number;
  alert: number;
  bare: number;
}

/** This thread's CPU time (ms), from the scheduler where Linux tells it: waiting for a core is not counted. */
function threadMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
}

function resultsAt(ms: number): Result[] {
  let seed = ms % 1000;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  return Array.from({ length: ENDPOINTS }, (_, i) => ({
    title: `endpoint ${i}`,
    endpoint: `http://127.0.0.1:40000/e${i}`,
    timestamp: ms * 1e6,
    times: [0, 1, 2].map(() => ({ rtt: Math.round(200e6 + random() * 3e6) })),
    healthy: true,
  }));
}

const config = validateConfig(
  { checkers: [{ type: 'http', endpoint_name: 'x', endpoint_url: 'http://127.0.0.1:1/' }] },
  { checks: true, stores: true, alerts: true },
);

/** Prints, stores and alerts one run at `ms` into `dir`; returns each phase's CPU (ms). */
async function storeRun(dir: string, ms: number): Promise<Omit<Phases, 'bare'>> {
  const results = resultsAt(ms);
  const storage = new FsStorage({ dir, now: () => (ms + 1000) * 1e6 });
  const started = threadMs();
  printResults(results);
  const printed = threadMs();
  await storage.store(results);
  const stored = threadMs();
  const alerter = await createRunAlerter({ ...config, storage: { type: 'fs', dir } }, storage);
  await alerter.alert(results);
  const alerted = threadMs();
  return { print: printed - started, store: stored - printed, alert: alerted - stored };
}

/**
 * In a child process: one measured run into `dir`, or with no `dir` a store with summaries off into
 * a fresh one, also cold; printed as JSON on stderr.
 */
async function child(dir: string | undefined): Promise<void> {
  if (dir) {
    process.stderr.write(`${JSON.stringify(await storeRun(dir, AT_MS))}\n`);
    return;
  }
  const bareDir = mkdtempSync(path.join(tmpdir(), 'checkup-bench-bare-'));
  try {
    const results = resultsAt(AT_MS);
    const started = threadMs();
    await new FsStorage({ dir: bareDir, summaries: false }).store(results);
    process.stderr.write(`${JSON.stringify({ bare: threadMs() - started })}\n`);
  } finally {
    rmSync(bareDir, { recursive: true, force: true });
  }
}

/** Runs a child (see `child`) and returns what it measured. */
function runChild(dir: string | undefined): Partial<Phases> {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', ...(dir ? [dir] : [])],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`store-phase child failed: ${run.stderr}`);
  return JSON.parse(run.stderr.trim().split('\n').at(-1) ?? '') as Partial<Phases>;
}

function measure(history: string | undefined): Phases[] {
  const rounds: Phases[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const root = mkdtempSync(path.join(tmpdir(), 'checkup-bench-store-'));
    const dir = path.join(root, 'out');
    try {
      if (history) cpSync(history, dir, { recursive: true });
      rounds.push({ ...runChild(dir), ...runChild(undefined) } as Phases);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return rounds;
}

function report(label: string, rounds: Phases[]): void {
  const of = (key: keyof Phases) => median(rounds.map((round) => round[key]));
  const total = of('print') + of('store') + of('alert');
  console.log(
    `  ${label}: print ${of('print').toFixed(1)} ms, store ${of('store').toFixed(1)} ms, alert ${of('alert').toFixed(1)} ms: ` +
      `${total.toFixed(1)} ms of main-thread CPU after the checks (median of ${ROUNDS}); ` +
      `store / a store with summaries off (${of('bare').toFixed(1)} ms): ${(of('store') / of('bare')).toFixed(2)}x`,
  );
}

export default async function storePhaseBench(): Promise<void> {
  console.log(`after the checks, ${ENDPOINTS.toLocaleString('en')} endpoints x 3 attempts, fs storage`);
  report('fresh storage', measure(undefined));
  // Two days of runs an hour apart, then the last hour's every five minutes.
  const history = path.join(mkdtempSync(path.join(tmpdir(), 'checkup-bench-history-')), 'out');
  try {
    const times: number[] = [];
    for (let t = AT_MS - 2 * 86_400_000; t < AT_MS - 60 * MINUTE_MS; t += 60 * MINUTE_MS) times.push(t);
    for (let t = AT_MS - 60 * MINUTE_MS; t < AT_MS; t += 5 * MINUTE_MS) times.push(t);
    const quiet = process.stdout.write.bind(process.stdout);
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      for (const t of times) await storeRun(history, t);
    } finally {
      process.stdout.write = quiet;
    }
    report(`storage holding ${times.length} runs over two days`, measure(history));
  } finally {
    rmSync(path.dirname(history), { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]);
