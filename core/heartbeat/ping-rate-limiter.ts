/** How many pings a heartbeat may send in a window before the rest are refused (429). */
export interface PingRateLimit {
  pings: number;
  windowMs: number;
}

/** Ten pings a minute per heartbeat: far more than any schedule needs, far fewer than a flood. */
export const DEFAULT_PING_RATE_LIMIT: PingRateLimit = { pings: 10, windowMs: 60_000 };

/** Heartbeats remembered at once; the least recently seen is forgotten first. */
const MAX_TRACKED = 10_000;

/**
 * Counts pings per heartbeat key in fixed windows and says whether one more may be recorded. Held
 * in memory by the host: `checkup serve`, or one warm Lambda environment.
 */
export class PingRateLimiter {
  readonly #limit: PingRateLimit;
  readonly #windows = new Map<string, { start: number; count: number }>();

  constructor(limit: PingRateLimit = DEFAULT_PING_RATE_LIMIT) {
    this.#limit = limit;
  }

  /** Whether a ping under `key` at `nowMs` is admitted (and counted). */
  admit(key: string, nowMs: number): boolean {
    const window = this.#windows.get(key);
    this.#windows.delete(key);
    const current =
      window && nowMs - window.start < this.#limit.windowMs ? window : { start: nowMs, count: 0 };
    current.count += 1;
    this.#windows.set(key, current);
    if (this.#windows.size > MAX_TRACKED) this.#windows.delete(this.#windows.keys().next().value as string);
    return current.count <= this.#limit.pings;
  }

  /** How long until `key` may be admitted again (0: now), for a 429's Retry-After. */
  retryAfterMs(key: string, nowMs: number): number {
    const window = this.#windows.get(key);
    if (!window || window.count < this.#limit.pings) return 0;
    return Math.max(0, window.start + this.#limit.windowMs - nowMs);
  }
}
