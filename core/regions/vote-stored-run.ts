import type { Config } from '../config/parse-config.js';
import { UnreadableRunError } from '../parse-run.js';
import type { Result } from '../result.js';
import type { Storage } from '../storage.js';
import { needsVote, voteTicks } from './vote-ticks.js';

export interface VoteStoredRunOptions {
  /** The quorum of an endpoint (its checker's `quorum`, else the config's); undefined: a majority. */
  quorumFor?: (title: string) => number | undefined;
  /** The check interval (ms), when known: how far back the other regions' runs are read. Default 1 minute. */
  intervalMs?: number;
}

/**
 * The results to alert on for a run just stored: as they are when the run is not regional, else
 * the voted results of every tick the stored runs around it decide (see voteTicks). Reads the
 * runs stored from two intervals before the run's tick on: enough to know which regions to wait
 * for, and to decide the tick before it.
 */
export async function voteStoredRun(
  storage: Pick<Storage, 'list' | 'read'>,
  results: readonly Result[],
  options: VoteStoredRunOptions = {},
): Promise<Result[]> {
  if (!needsVote(results)) return [...results];
  const ticks = results.flatMap((result) => (typeof result.tick === 'number' ? [result.tick] : []));
  const lookbackMs = 2 * (options.intervalMs ?? 60_000) + 1000;
  const since = (Math.min(...ticks) - lookbackMs) * 1e6;
  const runs = await storage.list({ since });
  const window = await Promise.all(
    runs.map((run) =>
      storage.read(run.name).catch((error: unknown) => {
        // A run cut off mid-write does not vote; the storage reports it where it is read for the page.
        if (error instanceof UnreadableRunError) return [];
        throw error;
      }),
    ),
  );
  return voteTicks([...window.flat(), ...results], options.quorumFor);
}

/** Each endpoint's quorum by title: its checker's `quorum`, else the config's (undefined: a majority). */
export function quorumsOf(
  config: Pick<Config, 'checkers' | 'quorum'>,
): (title: string) => number | undefined {
  // A heartbeat has no quorum of its own: pings are not checked from regions.
  const byTitle = new Map(
    config.checkers.map((checker) => [
      checker.endpoint_name,
      'quorum' in checker ? checker.quorum : undefined,
    ]),
  );
  return (title) => byTitle.get(title) ?? config.quorum;
}
