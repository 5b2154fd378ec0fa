import type { Result, Status } from '../../core/result.js';
import { runFileName } from '../../core/storage.js';
import type { NamedRun } from '../../core/summary/apply-run-to-summary.js';

/** unix ns of an ISO time, exact for whole milliseconds. */
export function ns(iso: string): number {
  return Date.parse(iso) * 1e6;
}

/** One result as a checker would make it, with one attempt of `rttMs`. */
export function result(
  title: string,
  timestamp: number,
  status: Status = 'healthy',
  rttMs = 100,
  extra: Partial<Result> = {},
): Result {
  return {
    title,
    endpoint: `https://${title.toLowerCase().replaceAll(' ', '-')}.test/`,
    timestamp,
    times: [status === 'down' ? { rtt: rttMs * 1e6, error: 'connection refused' } : { rtt: rttMs * 1e6 }],
    [status]: true,
    ...extra,
  };
}

/** A run named after its time, holding `results` (each stamped with that time unless set). */
export function run(
  timestamp: number,
  results: Array<Omit<Result, 'timestamp'> & { timestamp?: number }>,
): NamedRun {
  return {
    name: runFileName(timestamp),
    results: results.map((item) => ({ ...item, timestamp: item.timestamp ?? timestamp })),
  };
}
