import type { EndpointStatus, OverviewEndpoint } from '../core/summary/page-document-types.js';
import type { DaySummary, RecentBucket } from '../core/summary/summary-types.js';

/** An endpoint as a card draws it: the overview's entry with the history fetched for it so far. */
export interface PageEndpoint extends OverviewEndpoint {
  /** Its block's closed days and the overview's newer ones, oldest first. */
  days: DaySummary[];
  /** Its five-minute buckets of the last 24 hours, once its block's recent hours are fetched. */
  recent: RecentBucket[];
  /** Whether its block's closed days have arrived (until then the bar shows the overview's days). */
  historyLoaded: boolean;
  /** Whether its block's recent hours have arrived. */
  recentLoaded: boolean;
}

/**
 * The overview's entry with its block's closed days and its 24 hours' buckets (closed and open
 * hours), each laid under the overview's newer ones: days, and the open buckets an overview
 * written by the previous version carries (a bucket in both is the overview's).
 */
export function pageEndpoint(
  endpoint: OverviewEndpoint,
  closedDays: readonly DaySummary[] | undefined,
  recent: readonly RecentBucket[] | undefined,
): PageEndpoint {
  const newer = new Set(endpoint.days.map((day) => day.day));
  const days = [...(closedDays ?? []).filter((day) => !newer.has(day.day)), ...endpoint.days].sort((a, b) =>
    a.day < b.day ? -1 : a.day > b.day ? 1 : 0,
  );
  return {
    ...endpoint,
    days,
    recent: layOver(recent ?? [], endpoint.recent ?? []),
    historyLoaded: closedDays !== undefined,
    recentLoaded: recent !== undefined,
  };
}

/** The fetched buckets with an older overview's open ones laid over them, oldest first. */
function layOver(closed: readonly RecentBucket[], open: readonly RecentBucket[]): RecentBucket[] {
  const newer = new Set(open.map((bucket) => bucket.t));
  return [...closed.filter((bucket) => !newer.has(bucket.t)), ...open].sort((a, b) => a.t - b.t);
}

const PROBLEM_RANK: Record<EndpointStatus, number> = { down: 0, degraded: 1, unknown: 2, healthy: 3 };

/** Down first, then degraded, then unknown, then healthy; the overview's order within each. */
export function problemsFirst<T extends Pick<OverviewEndpoint, 'status'>>(endpoints: readonly T[]): T[] {
  return endpoints
    .map((endpoint, index) => ({ endpoint, index }))
    .sort((a, b) => PROBLEM_RANK[a.endpoint.status] - PROBLEM_RANK[b.endpoint.status] || a.index - b.index)
    .map(({ endpoint }) => endpoint);
}
