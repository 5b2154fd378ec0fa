import type { WarnOption } from './sync-summary.js';

/**
 * What every storage hands the summary writer (syncStoredRun, syncSummary, rebuildStoredSummary):
 * its clock, read now and turned from the unix ns the storages keep into the unix ms the summary
 * records as `updated`, and how it warns.
 */
export function summaryOptions(
  now: () => number,
  warn: (message: string) => void,
): { nowMs: number } & Required<WarnOption> {
  return { nowMs: Math.floor(now() / 1e6), warn };
}
