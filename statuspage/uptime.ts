import type { Status } from '../core/result.js';
import type { EndpointStatus } from '../core/summary/page-document-types.js';
import type { DaySummary } from '../core/summary/summary-types.js';
import { utcDay } from '../core/summary/uptime-figures.js';

const DAY_MS = 86_400_000;

export { uptime24h, uptimeDays, utcDay } from '../core/summary/uptime-figures.js';

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

const RANK: Record<EndpointStatus, number> = { unknown: -1, healthy: 0, degraded: 1, down: 2 };

/** The worst verdict among the endpoints (healthy when there are none; `unknown` is no verdict). */
export function overallStatus(endpoints: readonly { status: EndpointStatus }[]): Status {
  let worst: Status = 'healthy';
  for (const endpoint of endpoints)
    if (endpoint.status !== 'unknown' && RANK[endpoint.status] > RANK[worst]) worst = endpoint.status;
  return worst;
}
