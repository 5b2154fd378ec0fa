import { createHeartbeatStore } from '../adapters/heartbeat/create-heartbeat-store.js';
import { checkConcurrency } from '../adapters/host/descriptor-budget.js';
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
 * (an unreadable CA file) is a ConfigError naming its place before any check runs. How many run
 * at once is bounded by the open-file limit too, and the user told once when that lowers it.
 */
export function prepareChecks(config: Config): CheckRun {
  const heartbeats = createHeartbeatStore(config.storage);
  const checkers = createCheckers(config.checkers, {
    allowExec: true,
    ...(heartbeats ? { heartbeats } : {}),
  });
  const { concurrency, lowered } = checkConcurrency(config.concurrent_checks);
  if (lowered) process.stderr.write(`checkup: ${lowered}\n`);
  return async (signal) => {
    const progress = new Progress(process.stderr, checkers.length);
    try {
      return await runChecks(checkers, {
        concurrency,
        timestamp: config.timestamp ?? unixNs(),
        signal,
        onResult: (_, done) => progress.update(done),
      });
    } finally {
      progress.clear();
    }
  };
}
