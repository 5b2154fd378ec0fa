import type { Result, Status } from '../../core/result.js';

/** A result as a checker would make it: `status` at `timestamp` (unix ns) for endpoint `title`. */
export function resultAt(
  timestamp: number,
  status: Status,
  title = 'Site',
  extra: Partial<Result> = {},
): Result {
  return {
    title,
    endpoint: `https://${title.toLowerCase().replaceAll(' ', '-')}.example`,
    timestamp,
    times: status === 'down' ? [{ rtt: 2e6, error: 'connection refused' }] : [{ rtt: 5e6 }],
    [status]: true,
    ...extra,
  };
}

/** Minutes as unix ns from a fixed start (2026-01-01T00:00Z), for readable run sequences. */
export function minute(n: number): number {
  return Date.UTC(2026, 0, 1) * 1e6 + n * 60e9;
}
