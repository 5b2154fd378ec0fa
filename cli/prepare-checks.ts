import { createHeartbeatStore } from '../adapters/heartbeat/create-heartbeat-store.js';
import { checkConcurrency } from '../adapters/host/descriptor-budget.js';
import { CheckerSetupError } from '../core/checkers/checker-setup-error.js';
import { createChecker, createCheckers } from '../core/checkers/create-checker.js';
import { unixNs } from '../core/clock.js';
import { ConfigError } from '../core/config/config-error.js';
import type { Config } from '../core/config/parse-config.js';
import type { MaintenanceWindow } from '../core/maintenance/maintenance-window.js';
import { markMaintenance } from '../core/maintenance/mark-maintenance.js';
import { confirmProbe } from '../core/probe/confirm-probe.js';
import { quorumsOf } from '../core/regions/vote-stored-run.js';
import type { Result } from '../core/result.js';
import { runChecks } from '../core/run-checks.js';
import { Progress } from './progress.js';

/** Checks every endpoint once; may be called again for every run. */
export type CheckRun = (signal?: AbortSignal) => Promise<Result[]>;

/** How the runs of a command are labelled. */
export interface CheckRunOptions {
  /** `--region NAME`: every result carries it, and its run's tick, so regions' runs are voted. */
  region?: string;
  /** The `every` interval (ms): a run's tick is its start floored to it (default: to the minute). */
  intervalMs?: number;
  /** The maintenance windows to mark results with (default: the config's own). */
  windows?: () => Promise<readonly MaintenanceWindow[]>;
}

/** One minute: the tick of a run started by cron (`checkup --store --region NAME`). */
const DEFAULT_TICK_MS = 60_000;

/**
 * Builds every checker in the config now, so a problem that only shows when a checker is built
 * (an unreadable CA file) is a ConfigError naming its place before any check runs. How many run
 * at once is bounded by the open-file limit too, and the user told once when that lowers it.
 */
export function prepareChecks(config: Config, options: CheckRunOptions = {}): CheckRun {
  const heartbeats = createHeartbeatStore(config.storage);
  const checkers = createCheckers(config.checkers, {
    allowExec: true,
    ...(heartbeats ? { heartbeats } : {}),
  });
  const canary = config.canary ? createCanary(config) : undefined;
  const quorumFor = quorumsOf(config);
  const { concurrency, lowered } = checkConcurrency(config.concurrent_checks);
  if (lowered) process.stderr.write(`checkup: ${lowered}\n`);
  return async (signal) => {
    const progress = new Progress(process.stderr, checkers.length);
    try {
      const timestamp = config.timestamp ?? unixNs();
      const tickMs = options.intervalMs ?? DEFAULT_TICK_MS;
      const tick = Math.floor(timestamp / 1e6 / tickMs) * tickMs;
      const results = await runChecks(checkers, {
        concurrency,
        timestamp,
        signal,
        onResult: (_, done) => progress.update(done),
      });
      const checked = await confirmProbe(results, { canary, timestamp, signal });
      const { region } = options;
      const marked = markMaintenance(checked, await (options.windows ?? (async () => config.maintenance))());
      if (region === undefined) return marked;
      return marked.map((result) => {
        const quorum = quorumFor(result.title);
        return { ...result, region, tick, ...(quorum !== undefined ? { quorum } : {}) };
      });
    } finally {
      progress.clear();
    }
  };
}

/** The canary's checker; a problem building it names `canary` (as a checker's names `checkers[n]`). */
function createCanary(config: Config) {
  try {
    return createChecker(config.canary as NonNullable<Config['canary']>, { allowExec: true });
  } catch (error) {
    if (error instanceof CheckerSetupError)
      throw new ConfigError([{ path: `canary${error.key ? `.${error.key}` : ''}`, message: error.message }]);
    throw error;
  }
}
