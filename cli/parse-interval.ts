import { parseDuration } from '../core/duration.js';
import { UsageError } from './usage-error.js';

const WORDS: Record<string, string> = { second: '1s', minute: '1m', hour: '1h', day: '24h', week: '168h' };

/** The shortest interval `every` takes: shorter would check endpoints faster than they answer. */
export const MIN_INTERVAL_MS = 1000;

/**
 * Parses `every`'s interval (`3s`, `1h30m`, or checkup's words second, minute, hour, day, week)
 * to ms. Throws a UsageError naming `where` (`every`, `serve --every`) when it is not one.
 */
export function parseInterval(text: string, where: string): number {
  const word = text.toLowerCase();
  const ns = parseDuration(WORDS[word] ?? word);
  if (ns === undefined) throw new UsageError(`${where}: not an interval: "${text}" (try 30s, 1m, hour)`);
  const ms = ns / 1e6;
  if (ms < MIN_INTERVAL_MS)
    throw new UsageError(
      `${where}: "${text}" is too short; the shortest interval is ${MIN_INTERVAL_MS / 1000}s`,
    );
  return ms;
}
