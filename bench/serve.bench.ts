// checkup serve under a burst: 500 concurrent GET /data/summary.json (gzip accepted, as browsers
// do) against the built bin/checkup.js, as requests per second and the server's peak RSS. Set
// SERVE_BASELINE_BIN to another build's bin/checkup.js (such as main's, copied to a temp folder)
// to measure it in the same run and print the ratios.
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateSummary } from '../test/helpers/generate-summary.js';

const REQUESTS = 500;
const BIN = fileURLToPath(new URL('../bin/checkup.js', import.meta.url));
/** A build that reads a summary per request can need tens of GB at 53 MB x 500: cap it. */
const BASELINE_ADDRESS_SPACE = 6 * 1024 ** 3;

interface Outcome {
  rps: number;
  wallMs: number;
  peakMiB: number;
  ok: number;
  note?: string;
}

export default async function serveBench(): Promise<void> {
  const baseline = process.env.SERVE_BASELINE_BIN;
  const cases = [
    // The size the issue measured (1.9 MB): about 70 endpoints x 90 days.
    { label: '70 endpoints x 90 days', summary: generateSummary({ endpoints: 70 }), rounds: 3 },
    { label: '3,000 endpoints x 1 day', summary: generateSummary({ endpoints: 3000, days: 1 }), rounds: 1 },
  ];
  for (const { label, summary, rounds } of cases) {
    const dir = path.join(tmpdir(), `checkup-serve-bench-${process.pid}-${rounds}`);
    await mkdir(path.join(dir, 'checks'), { recursive: true });
    await writeFile(
      path.join(dir, 'checkup.json'),
      JSON.stringify({ checkers: [], storage: { type: 'fs', dir: 'checks' } }),
    );
    const body = JSON.stringify(summary);
    await writeFile(path.join(dir, 'checks', 'summary.json'), body);
    console.log(
      `summary of ${label}: ${(body.length / 1024 ** 2).toFixed(1)} MB; ${REQUESTS} concurrent requests`,
    );
    const after = await median(rounds, () => measure(BIN, dir));
    print('this build', after);
    if (!baseline) {
      await rm(dir, { recursive: true, force: true });
      continue;
    }
    const before = await median(rounds, () => measure(baseline, dir, BASELINE_ADDRESS_SPACE));
    print('baseline', before);
    if (before.ok === REQUESTS)
      console.log(
        `  ratios (this / baseline): requests per second ${(after.rps / before.rps).toFixed(1)}x, peak RSS ${(after.peakMiB / before.peakMiB).toFixed(2)}x`,
      );
    await rm(dir, { recursive: true, force: true });
  }
}

function print(name: string, outcome: Outcome): void {
  console.log(
    `  ${name.padEnd(10)}: ${outcome.ok}/${REQUESTS} answered in ${Math.round(outcome.wallMs)} ms = ${outcome.rps.toFixed(0)} requests/s, peak RSS ${outcome.peakMiB.toFixed(0)} MiB${outcome.note ? ` (${outcome.note})` : ''}`,
  );
}

async function median(rounds: number, measureOnce: () => Promise<Outcome>): Promise<Outcome> {
  const outcomes: Outcome[] = [];
  for (let round = 0; round < rounds; round += 1) outcomes.push(await measureOnce());
  outcomes.sort((a, b) => a.rps - b.rps);
  return outcomes[Math.floor(outcomes.length / 2)] as Outcome;
}

/** Starts a fresh server, asks once (warm), then REQUESTS at once; peak RSS is the process's VmHWM. */
async function measure(bin: string, dir: string, addressSpace?: number): Promise<Outcome> {
  const args = [bin, 'serve', '--listen', '127.0.0.1:0'];
  const child = addressSpace
    ? spawn('prlimit', [`--as=${addressSpace}`, process.execPath, ...args], { cwd: dir })
    : spawn(process.execPath, args, { cwd: dir });
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(stderr);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', () => reject(new Error(`serve exited: ${stderr}`)));
  });
  const agent = new http.Agent({ maxSockets: Infinity });
  const get = () =>
    new Promise<boolean>((resolve) => {
      const request = http.get(
        {
          host: '127.0.0.1',
          port,
          path: '/data/summary.json',
          agent,
          headers: { 'accept-encoding': 'gzip' },
        },
        (response) => {
          response.on('data', () => {});
          response.on('end', () => resolve(response.statusCode === 200));
          response.on('error', () => resolve(false));
        },
      );
      request.on('error', () => resolve(false));
    });
  await get();
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: REQUESTS }, get));
  const wallMs = performance.now() - started;
  const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  const exited = child.exitCode !== null || child.signalCode !== null;
  child.kill('SIGTERM');
  agent.destroy();
  const ok = answers.filter(Boolean).length;
  return {
    rps: (ok / wallMs) * 1000,
    wallMs,
    peakMiB: peakKb / 1024,
    ok,
    ...(exited ? { note: `the server died: ${stderr.split('\n').filter(Boolean).at(-1) ?? ''}` } : {}),
  };
}
