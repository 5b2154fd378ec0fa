import { createCheckers } from '../core/checkers/create-checker.js';
import { unixNs } from '../core/clock.js';
import type { Config } from '../core/config/parse-config.js';
import type { Result } from '../core/result.js';
import { runChecks } from '../core/run-checks.js';
import { Progress } from './progress.js';

/** Checks every endpoint once; may be called again for every run. */
export type CheckRun = (signal?: AbortSignal) => Promise<Result[]>;

/**
 * Builds every checker in the config now, so a problem that only shows when a checker is built
 * (an unreadable CA file) is a ConfigError naming its place before any check runs.
 */
export function prepareChecks(config: Config): CheckRun {
  const checkers = createCheckers(config.checkers, { allowExec: true });
  return async (signal) => {
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
  };
}
