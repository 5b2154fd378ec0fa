/** How the shared sender retries a failed delivery. Times in ms. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Each try's timeout. */
  timeoutMs: number;
  /** The first backoff; each later one doubles, up to maxDelayMs, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the delivery fails (and is retried later). */
  maxRetryAfterMs: number;
}

/** Four tries over about 3.5 s (plus what Retry-After asks, up to a minute). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  timeoutMs: 10_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * How long to wait before the next try after try number `attempt` (1-based) failed, or
 * undefined to give up. Retry-After wins over backoff; `random` in [0, 1) spreads backoffs
 * between half and all of their value so many senders do not retry in step. Pure.
 */
export function retryDelay(
  attempt: number,
  failure: { retryable: boolean; retryAfterMs?: number | undefined },
  policy: RetryPolicy,
  random: number,
): number | undefined {
  if (!failure.retryable || attempt >= policy.attempts) return undefined;
  if (failure.retryAfterMs !== undefined) {
    return failure.retryAfterMs <= policy.maxRetryAfterMs ? Math.max(0, failure.retryAfterMs) : undefined;
  }
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(backoff * (0.5 + random / 2));
}

/**
 * Reads a Retry-After header (seconds, or an HTTP date) as ms from `nowMs`; undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
