// The engine against checkup's own yardstick: 1,000 HTTP endpoints on a loopback server that
// answers after 200 ms, 200 at a time, through the real `checkup --store` process (start-up
// included). Prints wall time as a ratio to the ideal, the median RTT error, and peak memory.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../core/stats.js';

const BIN = fileURLToPath(new URL('../bin/checkup.js', import.meta.url));
const ENDPOINTS = 1000;
const CONCURRENCY = 200;
const HOLD_MS = 200;

interface Run {
  wallMs: number;
  peakRssKb: number;
  rttsNs: number[];
}

async function runCheckup(port: number, endpoints: number, attempts: number): Promise<Run> {
  const dir = await mkdtemp(path.join(tmpdir(), 'checkup-bench-'));
  try {
    const checkers = Array.from({ length: endpoints }, (_, i) => ({
      type: 'http',
      endpoint_name: `endpoint ${i}`,
      endpoint_url: `http://127.0.0.1:${port}/e${i}`,
      attempts,
    }));
    await writeFile(
      path.join(dir, 'checkup.json'),
      JSON.stringify({ checkers, concurrent_checks: CONCURRENCY, storage: { type: 'fs', dir: 'out' } }),
    );
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, '--store'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    let peakRssKb = 0;
    const poll = setInterval(async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const hwm = /VmHWM:\s+(\d+)/.exec(status);
      if (hwm) peakRssKb = Math.max(peakRssKb, Number(hwm[1]));
    }, 20);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const wallMs = performance.now() - started;
    clearInterval(poll);
    if (code !== 0) throw new Error(`checkup exited ${code}`);
    const [run] = (await readdir(path.join(dir, 'out'))).filter((name) => name.endsWith('-check.json'));
    const results = JSON.parse(await readFile(path.join(dir, 'out', run as string), 'utf8')) as Array<{
      times: Array<{ rtt: number }>;
    }>;
    return { wallMs, peakRssKb, rttsNs: results.flatMap((result) => result.times.map((t) => t.rtt)) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The server that holds every request 200 ms, in a process of its own so it never shares a loop with the bench. */
async function startHoldServer(): Promise<{ port: number; stop: () => void }> {
  const code = `
    const http = require('node:http');
    const server = http.createServer((_, res) => setTimeout(() => res.end('ok'), ${HOLD_MS}));
    server.listen(0, '127.0.0.1', 4096, () => process.stdout.write(String(server.address().port) + '\\n'));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (line) => resolve(Number(String(line)))),
  );
  return { port, stop: () => child.kill() };
}

export default async function engineBench(): Promise<void> {
  const server = await startHoldServer();
  try {
    await runCheckup(server.port, 1, 1); // warm the file cache
    for (const attempts of [1, 3]) {
      const one = await runCheckup(server.port, 1, attempts);
      const all = await runCheckup(server.port, ENDPOINTS, attempts);
      const idealMs = (ENDPOINTS / CONCURRENCY) * attempts * HOLD_MS;
      const ratio = (all.wallMs - one.wallMs) / idealMs;
      const errorMs = median(all.rttsNs.map((rtt) => Math.abs(rtt / 1e6 - HOLD_MS)));
      console.log(
        `${ENDPOINTS} endpoints x ${attempts} attempt(s), ${CONCURRENCY} at a time, server holds ${HOLD_MS} ms:\n` +
          `  wall ${all.wallMs.toFixed(0)} ms, one-endpoint run ${one.wallMs.toFixed(0)} ms (process start-up), ideal ${idealMs} ms\n` +
          `  (wall - one-endpoint) / ideal = ${ratio.toFixed(3)}   [goal <= 1.3; Go checkup 1.06 incl. start-up]\n` +
          `  wall / (ideal + one-endpoint) = ${(all.wallMs / (idealMs + one.wallMs)).toFixed(3)}\n` +
          `  median RTT error ${errorMs.toFixed(2)} ms over ${all.rttsNs.length} attempts   [goal < 2 ms; Go 3.5-6 ms]\n` +
          `  peak RSS ${(all.peakRssKb / 1024).toFixed(1)} MiB (one-endpoint run ${(one.peakRssKb / 1024).toFixed(1)} MiB)`,
      );
    }
  } finally {
    server.stop();
  }
}
