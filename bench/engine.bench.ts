// The engine against checkup's own yardstick: 1,000 HTTP endpoints on a loopback server that
// answers after 200 ms, 200 at a time, through the real `checkup --store` process (start-up
// included). Prints wall time as a ratio to the ideal, the median RTT error, and peak memory;
// the same workload through checkup's own Go engine when CHECKUP_GO_PEER names its binary;
// start-up against node's own; and 10,000 endpoints in one process against 1,000.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from '../core/stats.js';

const BIN = fileURLToPath(new URL('../bin/checkup.js', import.meta.url));
/** The least a single-threaded Node process can do with the same checkup.json: Node's floor. */
const BARE_CLIENT = fileURLToPath(new URL('./bare-http-client.mjs', import.meta.url));
const ENDPOINTS = 1000;
const CONCURRENCY = 200;
const HOLD_MS = 200;
/** Rounds per figure; the median is printed (these machines are noisy). */
const ROUNDS = 3;

interface Run {
  wallMs: number;
  peakRssKb: number;
  rttsNs: number[];
}

async function runCheckup(
  port: number,
  endpoints: number,
  attempts: number,
  concurrency = CONCURRENCY,
): Promise<Run> {
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
      JSON.stringify({ checkers, concurrent_checks: concurrency, storage: { type: 'fs', dir: 'out' } }),
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

interface HoldServer {
  port: number;
  kind: string;
  stop: () => void;
}

/**
 * The yardstick server, in processes of its own so it never shares a loop with the bench:
 * bench/hold-server.c, compiled here, or where there is no C compiler bench/hold-server.ts.
 * The C one answers to within a few microseconds of 200 ms and costs the machine's two cores
 * far less, which would otherwise be counted against the engine.
 */
async function startHoldServer(): Promise<HoldServer> {
  const source = fileURLToPath(new URL('./hold-server.c', import.meta.url));
  const buildDir = await mkdtemp(path.join(tmpdir(), 'checkup-hold-'));
  const binary = path.join(buildDir, 'hold-server');
  const compiled = spawnSync('cc', ['-O2', '-o', binary, source], { stdio: 'ignore' }).status === 0;
  const [command, args, kind] = compiled
    ? [binary, [String(HOLD_MS)], 'C, epoll + timerfd']
    : [
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./hold-server.ts', import.meta.url)), String(HOLD_MS)],
        'Node, one worker per core (no C compiler found)',
      ];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) =>
    child.stdout.once('data', (line) => resolve(Number(String(line)))),
  );
  return {
    port,
    kind,
    stop: () => {
      child.kill();
      rmSync(buildDir, { recursive: true, force: true });
    },
  };
}

interface Figures {
  ratio: number;
  errorMs: number;
  wallMs: number;
  oneMs: number;
  attempts: number;
  peakRssKb: number;
}

/** One round: the one-endpoint run (start-up and one hold) and the full run, back to back. */
async function measure(port: number, attempts: number): Promise<Figures> {
  const one = await runCheckup(port, 1, attempts);
  const all = await runCheckup(port, ENDPOINTS, attempts);
  const idealMs = (ENDPOINTS / CONCURRENCY) * attempts * HOLD_MS;
  return {
    ratio: (all.wallMs - one.wallMs) / idealMs,
    errorMs: median(all.rttsNs.map((rtt) => Math.abs(rtt / 1e6 - HOLD_MS))),
    wallMs: all.wallMs,
    oneMs: one.wallMs,
    attempts: all.rttsNs.length,
    peakRssKb: all.peakRssKb,
  };
}

export default async function engineBench(): Promise<void> {
  const server = await startHoldServer();
  console.log(`hold server: ${server.kind}`);
  try {
    await runCheckup(server.port, 1, 1); // warm the file cache
    for (const attempts of [1, 3]) {
      const rounds: Figures[] = [];
      for (let round = 0; round < ROUNDS; round++) rounds.push(await measure(server.port, attempts));
      const mid = (pick: (figures: Figures) => number) => median(rounds.map(pick));
      const idealMs = (ENDPOINTS / CONCURRENCY) * attempts * HOLD_MS;
      console.log(
        `${ENDPOINTS} endpoints x ${attempts} attempt(s), ${CONCURRENCY} at a time, server holds ${HOLD_MS} ms ` +
          `(median of ${ROUNDS} rounds):\n` +
          `  wall ${mid((f) => f.wallMs).toFixed(0)} ms, one-endpoint run ${mid((f) => f.oneMs).toFixed(0)} ms (process start-up), ideal ${idealMs} ms\n` +
          `  (wall - one-endpoint) / ideal = ${mid((f) => f.ratio).toFixed(3)}   [goal <= 1.3; Go checkup 1.06 incl. start-up]\n` +
          `  wall / (ideal + one-endpoint) = ${mid((f) => f.wallMs / (idealMs + f.oneMs)).toFixed(3)}\n` +
          `  median RTT error ${mid((f) => f.errorMs).toFixed(2)} ms over ${rounds[0]?.attempts} attempts ` +
          `(rounds: ${rounds.map((f) => f.errorMs.toFixed(2)).join(', ')})   [goal < 2 ms; Go 3.5-6 ms]\n` +
          `  peak RSS ${(mid((f) => f.peakRssKb) / 1024).toFixed(1)} MiB`,
      );
    }
    await raceGo(server.port);
    await startUp();
    await tenThousand(server.port);
  } finally {
    server.stop();
  }
}

/** Wall time of one process from spawn to exit, and what it printed. */
async function timeProcess(command: string, args: string[], env: Record<string, string> = {}) {
  const started = performance.now();
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0 && code !== 1) throw new Error(`${command} exited ${code}`);
  return { wallMs: performance.now() - started, stdout };
}

/** Rounds of the race against Go: each a run of both, alternately; the median is printed. */
const RACE_ROUNDS = 5;

/**
 * `checkup` against checkup's own Go engine (`Checkup.Check()` on the same checkup.json),
 * alternately, each process timed from spawn to exit. The Go runner is built apart from this
 * project by CHECKUP_GO_PEER's build script; without it the race is skipped. Where the machine
 * sets NODE_EXTRA_CA_CERTS (node parses that file before any script runs; Go never reads it for
 * plain HTTP), the race is run again without it, as on a machine that does not set it. Each
 * round also times bench/bare-http-client.mjs on the same file: Node's floor for this work, and
 * `checkup` without its caches (CHECKUP_CACHE_DIR empty): a first run, the config not yet
 * validated and the bundle not yet compiled. The raced `checkup` has its caches in a dir of its
 * own, written by a run before the rounds, as any run after a config's first leaves them.
 */
async function raceGo(port: number): Promise<void> {
  const peer = process.env.CHECKUP_GO_PEER;
  if (!peer) {
    console.log('checkup (Go): skipped (set CHECKUP_GO_PEER to the binary of the Go runner to race it)');
    return;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'checkup-race-'));
  try {
    const checkers = Array.from({ length: ENDPOINTS }, (_, i) => ({
      type: 'http',
      endpoint_name: `endpoint ${i}`,
      endpoint_url: `http://127.0.0.1:${port}/e${i}`,
      attempts: 3,
    }));
    const config = path.join(dir, 'checkup.json');
    await writeFile(config, JSON.stringify({ checkers, concurrent_checks: CONCURRENCY }));
    const idealMs = (ENDPOINTS / CONCURRENCY) * 3 * HOLD_MS;
    console.log(
      `${ENDPOINTS} endpoints x 3 attempts, ${CONCURRENCY} at a time, whole process (median of ${RACE_ROUNDS}, alternating):`,
    );
    const variants: Array<[string, Record<string, string>]> = [['', {}]];
    // Empty is unset to Node.
    if (process.env.NODE_EXTRA_CA_CERTS)
      variants.push([' without NODE_EXTRA_CA_CERTS', { NODE_EXTRA_CA_CERTS: '' }]);
    const caches = path.join(dir, 'cache');
    for (const [label, env] of variants) {
      const cached = { ...env, CHECKUP_CACHE_DIR: caches };
      await timeProcess(process.execPath, [BIN, '-c', config], cached); // writes the caches
      const ours: number[] = [];
      const first: number[] = [];
      const go: number[] = [];
      const goInside: number[] = [];
      const bare: number[] = [];
      for (let round = 0; round < RACE_ROUNDS; round++) {
        ours.push((await timeProcess(process.execPath, [BIN, '-c', config], cached)).wallMs);
        const peerRun = await timeProcess(peer, [config], env);
        go.push(peerRun.wallMs);
        goInside.push((JSON.parse(peerRun.stdout) as { wall_ms: number }).wall_ms);
        bare.push((await timeProcess(process.execPath, [BARE_CLIENT, config], env)).wallMs);
        first.push(
          (await timeProcess(process.execPath, [BIN, '-c', config], { ...env, CHECKUP_CACHE_DIR: '' }))
            .wallMs,
        );
      }
      console.log(
        `  checkup${label}      ${median(ours).toFixed(0)} ms = ${(median(ours) / idealMs).toFixed(3)}x ideal   [goal <= 1.06x]\n` +
          `  checkup (Go)${label} ${median(go).toFixed(0)} ms = ${(median(go) / idealMs).toFixed(3)}x ideal ` +
          `(its own clock around Check(): ${median(goInside).toFixed(0)} ms)\n` +
          `  checkup / checkup (Go)${label} = ${(median(ours) / median(go)).toFixed(3)}   [goal <= 1.0]\n` +
          `  Node's floor${label}: bench/bare-http-client.mjs ${median(bare).toFixed(0)} ms = ` +
          `${(median(bare) / idealMs).toFixed(3)}x ideal, ${(median(bare) / median(go)).toFixed(3)}x Go; ` +
          `checkup / floor = ${(median(ours) / median(bare)).toFixed(3)}\n` +
          `  checkup${label}, first run (no caches) ${median(first).toFixed(0)} ms = ` +
          `${(median(first) / idealMs).toFixed(3)}x ideal, ${(median(first) / median(go)).toFixed(3)}x Go`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Start-up: `checkup --version` with the code cache, without it (CHECKUP_CACHE_DIR empty), and
 * `node -e 0`, node's own floor, as the baseline; median of 15 alternating runs.
 */
async function startUp(): Promise<void> {
  const cache = await mkdtemp(path.join(tmpdir(), 'checkup-cache-'));
  try {
    await timeProcess(process.execPath, [BIN, '--version'], { CHECKUP_CACHE_DIR: cache }); // writes the cache
    const runs = { node: [] as number[], cached: [] as number[], uncached: [] as number[] };
    for (let round = 0; round < 15; round++) {
      runs.node.push((await timeProcess(process.execPath, ['-e', '0'])).wallMs);
      runs.cached.push(
        (await timeProcess(process.execPath, [BIN, '--version'], { CHECKUP_CACHE_DIR: cache })).wallMs,
      );
      runs.uncached.push(
        (await timeProcess(process.execPath, [BIN, '--version'], { CHECKUP_CACHE_DIR: '' })).wallMs,
      );
    }
    const floor = median(runs.node);
    console.log(
      `start-up (checkup --version, median of 15, alternating): node -e 0 ${floor.toFixed(0)} ms (baseline)\n` +
        `  with the code cache ${median(runs.cached).toFixed(0)} ms = ${(median(runs.cached) / floor).toFixed(2)}x node, ` +
        `without ${median(runs.uncached).toFixed(0)} ms = ${(median(runs.uncached) / floor).toFixed(2)}x node`,
    );
    await extraCertificatesCost();
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}

/**
 * What NODE_EXTRA_CA_CERTS costs every node process, when it is set: Node 20 reads and parses
 * the file before any script runs (Go reads certificates at the first TLS handshake), so it
 * sits in the start-up of `checkup` and of `node -e 0` alike.
 */
async function extraCertificatesCost(): Promise<void> {
  if (!process.env.NODE_EXTRA_CA_CERTS) return;
  const withFile: number[] = [];
  const withoutFile: number[] = [];
  for (let round = 0; round < 15; round++) {
    withFile.push((await timeProcess(process.execPath, ['-e', '0'])).wallMs);
    // Empty is unset to Node.
    withoutFile.push((await timeProcess(process.execPath, ['-e', '0'], { NODE_EXTRA_CA_CERTS: '' })).wallMs);
  }
  console.log(
    `  NODE_EXTRA_CA_CERTS is set: node -e 0 takes ${median(withFile).toFixed(0)} ms with it, ` +
      `${median(withoutFile).toFixed(0)} ms without (median of 15, alternating)`,
  );
}

/**
 * 10,000 endpoints in one `checkup --store` process, 1 attempt, 500 at a time, against the
 * same run of 1,000 endpoints: wall time against the ideal, and peak memory against 1,000's.
 */
async function tenThousand(port: number): Promise<void> {
  const concurrency = 500;
  const figures = [];
  for (const endpoints of [1000, 10_000]) {
    const run = await runCheckup(port, endpoints, 1, concurrency);
    const idealMs = (endpoints / concurrency) * HOLD_MS;
    figures.push({ endpoints, ...run, idealMs });
  }
  const [small, large] = figures as [(typeof figures)[0], (typeof figures)[0]];
  console.log(
    `one process, 1 attempt, ${concurrency} at a time (run file and summary stored):\n` +
      figures
        .map(
          (f) =>
            `  ${f.endpoints} endpoints: wall ${f.wallMs.toFixed(0)} ms = ${(f.wallMs / f.idealMs).toFixed(3)}x ideal ${f.idealMs} ms, ` +
            `peak RSS ${(f.peakRssKb / 1024).toFixed(1)} MiB`,
        )
        .join('\n') +
      `\n  10,000 / 1,000: peak RSS ${(large.peakRssKb / small.peakRssKb).toFixed(2)}x for 10x the endpoints`,
  );
}
