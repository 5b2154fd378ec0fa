import { createCheckers } from '../core/checkers/create-checker.js';
import { unixNs } from '../core/clock.js';
import type { Config } from '../core/config/parse-config.js';
import type { Result } from '../core/result.js';
import { runChecks } from '../core/run-checks.js';
import { Progress } from './progress.js';

/** Runs every checker in the config once, showing progress on a terminal. */
export async function checkAll(config: Config, signal?: AbortSignal): Promise<Result[]> {
  const checkers = createCheckers(config.checkers, { allowExec: true });
  const progress = new Progress(process.stderr, checkers.length);
  try {
    return await runChecks(checkers, {
      concurrency: config.concurrent_checks,
      timestamp: config.timestamp ?? unixNs(),
      signal,
      onResult: (_, done) => progress.update(done),
    });
  } finally {
    progress.clear();
  }
}
