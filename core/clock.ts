/** Monotonic time in nanoseconds, for measuring round trips (never goes back with the wall clock). */
export function monotonicNs(): number {
  return Number(process.hrtime.bigint());
}

/**
 * Wall-clock time as unix nanoseconds. The sub-millisecond part comes from the monotonic clock,
 * so two runs started in the same millisecond by different processes rarely share a file name.
 */
export function unixNs(): number {
  return Date.now() * 1e6 + (Number(process.hrtime.bigint() % 1_000_000n) || 0);
}
