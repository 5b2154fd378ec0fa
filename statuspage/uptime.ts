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

// Unknown ranks above healthy: an endpoint nobody could check never makes the page say all is up.
const RANK: Record<EndpointStatus, number> = { healthy: 0, unknown: 1, degraded: 2, down: 3 };

/** The worst status among the endpoints (healthy when there are none; unknown over healthy). */
export function overallStatus(endpoints: readonly { status: EndpointStatus }[]): EndpointStatus {
  let worst: EndpointStatus = 'healthy';
  for (const endpoint of endpoints) if (RANK[endpoint.status] > RANK[worst]) worst = endpoint.status;
  return worst;
}
