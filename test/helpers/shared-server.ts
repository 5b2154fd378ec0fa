import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { inject } from 'vitest';

/** What the test files of one run share about a server one of them started. */
export interface SharedServerState {
  pid: number;
  port: number;
  /** Folders to remove once the server has stopped (its data). */
  dirs: string[];
  /** The signal that stops it cleanly (PostgreSQL: SIGINT, fast shutdown). */
  stopSignal: NodeJS.Signals;
  /** Anything else the kind of server needs to tell (a password). */
  extra: Record<string, string>;
}

/**
 * The server named `kind` for this test run: started by the first test file that asks (under a
 * lock, so two files never start two), found by the others, stopped by the run's global teardown
 * (database-global-setup.ts). `start` gets the run's folder and must start the server detached,
 * on 127.0.0.1, and resolve once it answers.
 */
export async function sharedServer(
  kind: string,
  start: () => Promise<SharedServerState>,
): Promise<SharedServerState> {
  const runDir = inject('databaseRunDir');
  const stateFile = path.join(runDir, `${kind}.json`);
  const lock = path.join(runDir, `${kind}.lock`);
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    const known = await readFile(stateFile, 'utf8').catch(() => undefined);
    if (known) return JSON.parse(known) as SharedServerState;
    const state = await start();
    await writeFile(stateFile, JSON.stringify(state));
    watchOver(state);
    return state;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/**
 * Stops the server when this test run's vitest is gone, should its teardown never run (a crash,
 * a kill): a detached shell that waits on vitest's pid.
 */
function watchOver(state: SharedServerState): void {
  const vitest = inject('vitestPid');
  const watcher = spawn(
    'sh',
    [
      '-c',
      `while kill -0 ${vitest} 2>/dev/null; do sleep 2; done; kill -${state.stopSignal.slice(3)} ${state.pid} 2>/dev/null`,
    ],
    { detached: true, stdio: 'ignore' },
  );
  watcher.unref();
}

/** Stops a shared server and removes its folders: its stop signal, then SIGKILL after 15 s. */
export async function stopSharedServer(state: SharedServerState): Promise<void> {
  const alive = () => {
    try {
      process.kill(state.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (alive()) process.kill(state.pid, state.stopSignal);
  for (let waited = 0; alive() && waited < 15_000; waited += 100)
    await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive()) process.kill(state.pid, 'SIGKILL');
  await Promise.all(state.dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A loopback port free right now (the servers here cannot listen on port 0 and report it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs a program to completion; rejects with its output when it fails. */
export function runProgram(
  command: string,
  args: readonly string[],
  options: { uid?: number; gid?: number; cwd?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

/** Polls `ready` every 100 ms until it resolves true; rejects with `describe()` after `timeoutMs`. */
export async function waitUntil(
  ready: () => Promise<boolean>,
  timeoutMs: number,
  describe: () => Promise<string>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(await describe());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
