/** One attempt at an endpoint: its round-trip time in nanoseconds and the error, if any. */
export interface Attempt {
  rtt: number;
  error?: string;
  /** Per-phase timings in nanoseconds (an addition to checkup's format; absent where unknown). */
  phases?: Record<string, number>;
}

/** The three verdicts an endpoint can get. Exactly one is set on a result. */
export type Status = 'healthy' | 'degraded' | 'down';

/**
 * A check result in checkup's JSON format. New optional fields may be added (region, cert);
 * checkup's own fields keep their names and meaning.
 */
export interface Result {
  title: string;
  endpoint: string;
  /** Unix time in nanoseconds. */
  timestamp: number;
  times: Attempt[];
  /** Threshold RTT in nanoseconds, when one was set. */
  threshold?: number;
  healthy?: boolean;
  degraded?: boolean;
  down?: boolean;
  notice?: string;
  message?: string;
  region?: string;
  /** The TLS certificate seen, where the checker saw one. */
  cert?: { expires: number; issuer: string; subject: string };
}

/** The verdict a result carries. */
export function statusOf(result: Result): Status {
  if (result.down) return 'down';
  if (result.degraded) return 'degraded';
  return 'healthy';
}

/** Returns the result with exactly one of healthy/degraded/down set to `status`. */
export function withStatus(result: Result, status: Status): Result {
  const { healthy: _h, degraded: _d, down: _w, ...rest } = result;
  return { ...rest, [status]: true };
}
