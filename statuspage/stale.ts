import type { PageSettings } from '../core/summary/page-settings.js';
import type { StatusSummary } from '../core/summary/summary-types.js';

/** When neither the config nor the summary says how often checks run: 15 minutes. */
export const DEFAULT_STALE_MS = 15 * 60_000;

/**
 * How old the newest run may be before the page says the data is stale: the configured
 * `stale_after`, else two check intervals and a minute of slack, else 15 minutes.
 */
export function staleAfterMs(
  summary: Pick<StatusSummary, 'intervalMs'>,
  settings: Pick<PageSettings, 'staleAfterMs'>,
): number {
  if (settings.staleAfterMs !== undefined) return settings.staleAfterMs;
  if (summary.intervalMs !== undefined && summary.intervalMs > 0) return 2 * summary.intervalMs + 60_000;
  return DEFAULT_STALE_MS;
}

/** True when the newest run is older than expected. */
export function isStale(
  summary: Pick<StatusSummary, 'intervalMs' | 'lastRun'>,
  settings: Pick<PageSettings, 'staleAfterMs'>,
  now: number,
): boolean {
  return now - summary.lastRun > staleAfterMs(summary, settings);
}

/**
 * The summary as a page must show it while monitoring is not reporting: every endpoint unknown
 * (grey), with the reason, never the last status seen as if it were current.
 */
export function asNotReporting<T extends Pick<StatusSummary, 'lastRun'> & { endpoints: object[] }>(
  summary: T,
): T {
  const reason = `monitoring is not reporting since ${formatClock(summary.lastRun)}`;
  return {
    ...summary,
    endpoints: summary.endpoints.map((endpoint) => ({ ...endpoint, status: 'unknown', reason })),
  };
}

/** `HH:MM UTC` of a unix-ms time: what the notice says. */
export function formatClock(t: number): string {
  return `${new Date(t).toISOString().slice(11, 16)} UTC`;
}
