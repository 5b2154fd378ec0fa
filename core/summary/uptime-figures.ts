import { bucketDown, type DaySummary, type RecentBucket } from './summary-types.js';

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
