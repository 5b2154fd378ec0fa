import type { CheckerConfig } from '../config/checker-schemas.js';

/**
 * A checker's own `interval` in ms, when it has one. Heartbeat checkers have none: they read the
 * newest ping, which needs no more than one look a tick.
 */
export function checkerIntervalMs(checker: CheckerConfig): number | undefined {
  return checker.type !== 'heartbeat' && checker.interval ? checker.interval / 1e6 : undefined;
}

/** The longest a checker's attempts can take (ns) when every attempt hangs to its timeout. */
export function checkerWorstCaseNs(checker: CheckerConfig, defaultTimeoutNs: number): number {
  if (checker.type === 'heartbeat') return 0;
  return (checker.attempts ?? 1) * ((checker.timeout ?? defaultTimeoutNs) + (checker.attempt_spacing ?? 0));
}
