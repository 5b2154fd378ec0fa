/**
 * The longest delay setTimeout honours (2^31-1 ms, about 24.8 days). Node fires a longer one
 * after 1 ms instead, so a `timeout` of 25 days would time out at once and `every 4w` would run
 * without pause.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A pending long timer, cancelled with clear(). */
export interface LongTimer {
  clear(): void;
}

/**
 * setTimeout for any delay: a delay past MAX_TIMER_MS is waited out as a chain of shorter
 * timers. Every delay that comes from config (timeouts, attempt spacing, `every`) goes through
 * here.
 */
export function setLongTimeout(callback: () => void, ms: number): LongTimer {
  let remaining = Math.max(0, ms);
  let timer: NodeJS.Timeout;
  const arm = () => {
    const step = Math.min(remaining, MAX_TIMER_MS);
    remaining -= step;
    timer = setTimeout(() => (remaining > 0 ? arm() : callback()), step);
  };
  arm();
  return {
    clear: () => clearTimeout(timer),
  };
}

/** Resolves after `ms` (any length), or as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setLongTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      timer.clear();
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
