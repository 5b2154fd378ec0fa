import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * The worker's source, inline so that every bundle (the command line, the Lambda functions)
 * carries it without an entry of its own. It answers each `{source, flags, text}` with whether
 * the expression matches.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ source, flags, text }) => {
  try {
    parentPort.postMessage({ matched: new RegExp(source, flags).test(text) });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  }
});
`;

/** Idle workers kept for the next test: starting one costs tens of milliseconds. */
const MAX_IDLE_WORKERS = 2;
/** Workers at once: each costs megabytes, and more than the cores gain nothing. */
const MAX_WORKERS = Math.max(2, availableParallelism());
const idle: Worker[] = [];
/** Tests waiting for a worker, in order. */
const waiting: Array<() => void> = [];
let busy = 0;

/** Raised when a match was stopped (its attempt timed out or was cancelled) before it ended. */
export class MatchStoppedError extends Error {
  override readonly name = 'MatchStoppedError';
}

/**
 * Whether `text` matches the regular expression `source`, tested on a worker thread. A pattern
 * that backtracks without end (`^(a+)+$` on a long run of `a`) would hold the one thread of the
 * process, and with it every other check, the page and the signal handlers; on a worker it is
 * stopped, and the worker terminated, as soon as `signal` aborts.
 */
export async function matchInWorker(
  source: string,
  flags: string,
  text: string,
  signal: AbortSignal,
): Promise<boolean> {
  await turnForWorker(signal);
  try {
    return await matchOn(
      idle.pop() ?? new Worker(WORKER_SOURCE, { eval: true }),
      source,
      flags,
      text,
      signal,
    );
  } finally {
    // The slot passes to the next test waiting, or is freed.
    const next = waiting.shift();
    if (next) next();
    else busy--;
  }
}

/** Takes a worker slot, waiting while MAX_WORKERS are busy; rejects if `signal` aborts first. */
function turnForWorker(signal: AbortSignal): Promise<void> {
  const stopped = () => new MatchStoppedError(String(signal.reason ?? 'stopped'));
  if (signal.aborted) return Promise.reject(stopped());
  if (busy < MAX_WORKERS && waiting.length === 0) {
    busy++;
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const go = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => {
      waiting.splice(waiting.indexOf(go), 1);
      reject(stopped());
    };
    waiting.push(go);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function matchOn(
  worker: Worker,
  source: string,
  flags: string,
  text: string,
  signal: AbortSignal,
): Promise<boolean> {
  worker.ref();
  return new Promise<boolean>((resolve, reject) => {
    const settle = () => {
      signal.removeEventListener('abort', onAbort);
      worker.removeListener('message', onMessage);
      worker.removeListener('error', onError);
    };
    const onAbort = () => {
      settle();
      void worker.terminate();
      reject(new MatchStoppedError(String(signal.reason ?? 'stopped')));
    };
    const onMessage = (answer: { matched?: boolean; error?: string }) => {
      settle();
      release(worker);
      if (answer.error !== undefined) reject(new Error(answer.error));
      else resolve(answer.matched === true);
    };
    const onError = (error: Error) => {
      settle();
      void worker.terminate();
      reject(error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.postMessage({ source, flags, text });
  });
}

function release(worker: Worker): void {
  if (idle.length >= MAX_IDLE_WORKERS) {
    void worker.terminate();
    return;
  }
  // An idle worker must not keep the process alive.
  worker.unref();
  idle.push(worker);
}
