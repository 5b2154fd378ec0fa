import type { Status } from '../core/result.js';
import type { EndpointStatus } from '../core/summary/page-document-types.js';
import {
  bucketDown,
  type DaySummary,
  type EndpointSummary,
  type RecentBucket,
} from '../core/summary/summary-types.js';

const DAY_MS = 86_400_000;

/** The UTC day `YYYY-MM-DD` of a unix-ms time. */
export function utcDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Share of the results of the last 24 hours that were not down, from the five-minute buckets:
 * the same measure as `uptimeDays`, so the 24 h figure and the longer ones agree.
 */
export function uptime24h(recent: readonly RecentBucket[]): number | undefined {
  let checks = 0;
  let down = 0;
  for (const bucket of recent) {
    checks += bucket.checks;
    down += bucketDown(bucket);
  }
  return checks === 0 ? undefined : (checks - down) / checks;
}

/** Share of results that were not down over the `count` UTC days ending on `today`. */
export function uptimeDays(days: readonly DaySummary[], today: string, count: number): number | undefined {
  const first = utcDay(Date.parse(`${today}T00:00:00Z`) - (count - 1) * DAY_MS);
  let checks = 0;
  let down = 0;
  for (const day of days) {
    if (day.day < first || day.day > today) continue;
    checks += day.checks;
    down += day.down;
  }
  return checks === 0 ? undefined : (checks - down) / checks;
}

/** A day's status: down if anything was down, degraded if anything was slow, else healthy. */
export function dayStatus(day: DaySummary): Status {
  if (day.down > 0) return 'down';
  if (day.degraded > 0) return 'degraded';
  return 'healthy';
}

/** The `count` UTC days ending on `today`, oldest first, each with its summary when it had checks. */
export function dayWindow(
  days: readonly DaySummary[],
  today: string,
  count: number,
): Array<{ day: string; summary?: DaySummary }> {
  const byDay = new Map(days.map((day) => [day.day, day]));
  const end = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const day = utcDay(end - (count - 1 - i) * DAY_MS);
    const summary = byDay.get(day);
    return summary ? { day, summary } : { day };
  });
}

// Unknown ranks above healthy: an endpoint nobody could check never makes the page say all is up.
const RANK: Record<EndpointStatus, number> = { healthy: 0, unknown: 1, degraded: 2, down: 3 };

/** The worst status among the endpoints (healthy when there are none; unknown over healthy). */
export function overallStatus(endpoints: readonly Pick<EndpointSummary, 'status'>[]): EndpointStatus {
  let worst: EndpointStatus = 'healthy';
  for (const endpoint of endpoints) if (RANK[endpoint.status] > RANK[worst]) worst = endpoint.status;
  return worst;
}
