import { parseDuration } from '../core/duration.js';

const WORDS: Record<string, string> = { second: '1s', minute: '1m', hour: '1h', day: '24h', week: '168h' };

/** Parses `every`'s interval (`3s`, `1h30m`, or checkup's words second, minute, hour, day, week) to ms. */
export function parseInterval(text: string): number | undefined {
  const word = text.toLowerCase();
  const ns = parseDuration(WORDS[word] ?? word);
  return ns === undefined || ns < 1e6 ? undefined : ns / 1e6;
}
