import { bucketDown, type DaySummary, type RecentBucket } from './summary-types.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The UTC day `YYYY-MM-DD` of a unix-ms time. */
export function utcDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Share of the results of the last 24 hours that were not down, from the five-minute buckets:
 * the same measure as `uptimeDays`, so the 24 h figure and the longer ones agree. Counted in
 * whole hours, those that started in the 24 hours up to `lastRun` (23 to 24 hours), as days are
 * whole days: a writer keeps closed hours as one figure each, not their buckets.
 */
export function uptime24h(recent: readonly RecentBucket[], lastRun?: number): number | undefined {
  const [checks, down] = bucketsSince(recent, lastRun === undefined ? 0 : lastRun - DAY_MS);
  return checks === 0 ? undefined : (checks - down) / checks;
}

/** Checks and down results of the buckets whose hour started at or after `since` (unix ms). */
export function bucketsSince(recent: readonly RecentBucket[], since: number): [number, number] {
  let checks = 0;
  let down = 0;
  for (const bucket of recent) {
    if (Math.floor(bucket.t / HOUR_MS) * HOUR_MS < since) continue;
    checks += bucket.checks;
    down += bucketDown(bucket);
  }
  return [checks, down];
}

/** Share of results that were not down over the `count` UTC days ending on `today`. */
export function uptimeDays(days: readonly DaySummary[], today: string, count: number): number | undefined {
  const [checks, down] = daysIn(days, today, count);
  return checks === 0 ? undefined : (checks - down) / checks;
}

/** Checks and down results of the `count` UTC days ending on `today`. */
export function daysIn(days: readonly DaySummary[], today: string, count: number): [number, number] {
  const first = utcDay(Date.parse(`${today}T00:00:00Z`) - (count - 1) * DAY_MS);
  let checks = 0;
  let down = 0;
  for (const day of days) {
    if (day.day < first || day.day > today) continue;
    checks += day.checks;
    down += day.down;
  }
  return [checks, down];
}
