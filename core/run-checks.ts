import { setMaxListeners } from 'node:events';
import type { Checker } from './checker.js';
import type { Result } from './result.js';

export interface RunOptions {
  /** How many checkers run at once. */
  concurrency: number;
  /** The unix-ns timestamp every result of this run carries. */
  timestamp: number;
  signal?: AbortSignal;
  /** Called as each result arrives (for progress), with how many are done. */
  onResult?: (result: Result, done: number) => void;
}

/**
 * Runs every checker, at most `concurrency` at once, and returns the results in the checkers'
 * order. A checker that throws yields a down result carrying the error; the run never fails.
 */
export async function runChecks(checkers: readonly Checker[], options: RunOptions): Promise<Result[]> {
  const results = new Array<Result>(checkers.length);
  let next = 0;
  let done = 0;
  async function worker(): Promise<void> {
    while (next < checkers.length) {
      const index = next++;
      const checker = checkers[index] as Checker;
      results[index] = await checkOne(checker, options);
      options.onResult?.(results[index] as Result, ++done);
    }
  }
  const workers = Math.max(1, Math.min(options.concurrency, checkers.length));
  // Every check under way listens for the cancel signal: that is many listeners, not a leak.
  if (options.signal) setMaxListeners(workers * 2 + 10, options.signal);
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

async function checkOne(checker: Checker, options: RunOptions): Promise<Result> {
  try {
    return await checker.check({ timestamp: options.timestamp, signal: options.signal });
  } catch (error) {
    return {
      title: checker.title,
      endpoint: checker.endpoint,
      timestamp: options.timestamp,
      times: [{ rtt: 0, error: `checker failed: ${error instanceof Error ? error.message : String(error)}` }],
      down: true,
    };
  }
}
