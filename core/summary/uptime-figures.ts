import { bucketDown, type DaySummary, type RecentBucket } from './summary-types.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Days already written, by day number since the epoch: a store asks for the same few days once
 * per endpoint or result (thousands of times), and formatting a Date costs a microsecond each.
 */
const dayNames = new Map<number, string>();
/** Day starts (unix ms) already parsed, by `YYYY-MM-DD`. */
const dayStarts = new Map<string, number>();
/** Entries kept in each cache before it starts afresh (a few years of days). */
const CACHED_DAYS = 2048;

/** The UTC day `YYYY-MM-DD` of a unix-ms time. */
export function utcDay(t: number): string {
  const number = Math.floor(t / DAY_MS);
  let day = dayNames.get(number);
  if (day === undefined) {
    // Throws as the Date does for a time it cannot hold (NaN, out of range): nothing is cached then.
    day = new Date(t).toISOString().slice(0, 10);
    if (dayNames.size >= CACHED_DAYS) dayNames.clear();
    dayNames.set(number, day);
  }
  return day;
}

/** The start (unix ms) of the UTC day `YYYY-MM-DD`, as `Date.parse` gives it (NaN for no day). */
export function dayStart(day: string): number {
  let start = dayStarts.get(day);
  if (start === undefined) {
    start = Date.parse(`${day}T00:00:00Z`);
    if (dayStarts.size >= CACHED_DAYS) dayStarts.clear();
    dayStarts.set(day, start);
  }
  return start;
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
  // Indexed loops here and below: a store runs this code once per endpoint, cold, where an
  // array iterator costs an allocation per step.
  for (let i = 0; i < recent.length; i += 1) {
    const bucket = recent[i] as RecentBucket;
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
  const first = utcDay(dayStart(today) - (count - 1) * DAY_MS);
  let checks = 0;
  let down = 0;
  for (let i = 0; i < days.length; i += 1) {
    const day = days[i] as DaySummary;
    if (day.day < first || day.day > today) continue;
    checks += day.checks;
    down += day.down;
  }
  return [checks, down];
}
