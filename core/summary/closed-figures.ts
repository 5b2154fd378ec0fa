import type { ClosedFigures, ClosedPart } from './summary-state-types.js';
import { bucketDown, type DaySummary, RECENT_BUCKET_MS, type RecentBucket } from './summary-types.js';
import { dayStart } from './uptime-figures.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The day windows of the uptime figures (Uptime.d7, d30, d90). */
export const UPTIME_WINDOWS = [7, 30, 90] as const;

function dayNumber(day: string): number {
  return dayStart(day) / DAY_MS;
}

/**
 * Whether closed days summed up to `through` can give the windows ending `today`: the figures
 * hold them for today one or two days after `through` (a block's history takes a closed day a
 * little after midnight, so `today` is never further on a writer that keeps up).
 */
export function closedDaysUsable(through: string, today: string): boolean {
  const ahead = dayNumber(today) - dayNumber(through);
  return ahead === 1 || ahead === 2;
}

/** An endpoint's `ClosedFigures.days`: its days up to `through` summed per window, for today one and two days later. */
export function closedDayFigures(days: readonly DaySummary[], through: string): number[] {
  const end = dayNumber(through);
  // Each day's number once, not once per window; indexed loops, as this runs cold once per endpoint.
  const numbers: number[] = [];
  for (let i = 0; i < days.length; i += 1) numbers.push(dayNumber((days[i] as DaySummary).day));
  const figures: number[] = [];
  for (let ahead = 1; ahead <= 2; ahead += 1)
    for (let w = 0; w < UPTIME_WINDOWS.length; w += 1) {
      const first = end + ahead - (UPTIME_WINDOWS[w] as number) + 1;
      let checks = 0;
      let down = 0;
      for (let i = 0; i < days.length; i += 1) {
        const n = numbers[i] as number;
        if (n < first || n > end) continue;
        const day = days[i] as DaySummary;
        checks += day.checks;
        down += day.down;
      }
      figures.push(checks, down);
    }
  return figures;
}

/** Checks and down results of the closed days in the `count`-day window ending `today` (closedDaysUsable). */
export function closedDaysIn(
  figures: ClosedFigures | undefined,
  through: string,
  today: string,
  count: (typeof UPTIME_WINDOWS)[number],
): [number, number] {
  const ahead = dayNumber(today) - dayNumber(through);
  const index = ((ahead - 1) * UPTIME_WINDOWS.length + UPTIME_WINDOWS.indexOf(count)) * 2;
  return [figures?.days?.[index] ?? 0, figures?.days?.[index + 1] ?? 0];
}

/** Checks and down results of an endpoint's closed hours that started at or after `since` (unix ms). */
export function closedHoursSince(
  part: ClosedPart,
  figures: ClosedFigures | undefined,
  since: number,
): [number, number] {
  let checks = 0;
  let down = 0;
  const hours = figures?.hours ?? [];
  for (let i = 0; i * 2 < hours.length; i += 1) {
    if ((part.hoursStart ?? 0) + i * HOUR_MS < since) continue;
    checks += hours[i * 2] ?? 0;
    down += hours[i * 2 + 1] ?? 0;
  }
  return [checks, down];
}

/**
 * A block's closed part after a store at `lastRun`: each endpoint's days up to `through` and
 * buckets before `hoursFrom` summed (taken from `previous` where it already holds them), and left
 * out of the endpoints, which keep what is open. Hours are kept from the one holding
 * `lastRun - 24 h` on, enough for the 24-hour figure.
 */
export function closeBlock(
  endpoints: ReadonlyArray<{ title: string; days: DaySummary[]; recent: RecentBucket[] }>,
  previous: ClosedPart | undefined,
  lastRun: number,
  through: string,
  hoursFrom: number,
): ClosedPart {
  const hoursStart = Math.min(hoursFrom, Math.floor((lastRun - DAY_MS) / HOUR_MS) * HOUR_MS);
  const part: ClosedPart = { through, hoursFrom, hoursStart, endpoints: {} };
  const hourCount = hoursFrom > hoursStart ? Math.ceil((hoursFrom - hoursStart) / HOUR_MS) : 0;
  // The hours closed before (their buckets are no longer here): their figures are kept.
  const keptHours =
    previous?.hoursFrom === undefined
      ? 0
      : Math.min(hourCount, Math.max(0, Math.ceil((previous.hoursFrom - hoursStart) / HOUR_MS)));
  // Where a kept hour is in the previous figures (as at 0 when they say no start).
  const keptAt = (i: number) =>
    previous?.hoursStart === undefined ? 0 : (hoursStart - previous.hoursStart) / HOUR_MS + i;
  for (let e = 0; e < endpoints.length; e += 1) {
    const endpoint = endpoints[e] as (typeof endpoints)[number];
    const before = previous?.endpoints[endpoint.title];
    const days =
      previous?.through === through && before?.days ? before.days : closedDayFigures(endpoint.days, through);
    // One pass over the buckets, each added to its hour (an hour is hoursStart + i hours).
    const hours = new Array<number>(hourCount * 2).fill(0);
    for (let i = 0; i < keptHours; i += 1) {
      const index = keptAt(i);
      hours[i * 2] = before?.hours?.[index * 2] ?? 0;
      hours[i * 2 + 1] = before?.hours?.[index * 2 + 1] ?? 0;
    }
    for (let b = 0; b < endpoint.recent.length; b += 1) {
      const bucket = endpoint.recent[b] as RecentBucket;
      const i = Math.floor((bucket.t - hoursStart) / HOUR_MS);
      if (!(i >= keptHours && i < hourCount)) continue;
      hours[i * 2] = (hours[i * 2] as number) + bucket.checks;
      hours[i * 2 + 1] = (hours[i * 2 + 1] as number) + bucketDown(bucket);
    }
    part.endpoints[endpoint.title] = { days, hours };
    // Filtered only when something is to go: most stores close nothing, and a new array per
    // endpoint per store is garbage to collect.
    if (hasDayThrough(endpoint.days, through))
      endpoint.days = endpoint.days.filter((day) => day.day > through);
    if (hasBucketBefore(endpoint.recent, hoursFrom))
      endpoint.recent = endpoint.recent.filter((bucket) => bucket.t >= hoursFrom);
  }
  return part;
}

function hasDayThrough(days: readonly DaySummary[], through: string): boolean {
  for (let i = 0; i < days.length; i += 1) if (!((days[i] as DaySummary).day > through)) return true;
  return false;
}

function hasBucketBefore(recent: readonly RecentBucket[], from: number): boolean {
  for (let i = 0; i < recent.length; i += 1) if (!((recent[i] as RecentBucket).t >= from)) return true;
  return false;
}

/** Lays a block's closed days (from its history document) back under its endpoints' open ones. */
export function joinDays(
  endpoints: ReadonlyArray<{ title: string; days: DaySummary[] }>,
  part: ClosedPart,
  closedDays: ReadonlyMap<string, readonly DaySummary[]>,
): void {
  for (const endpoint of endpoints) {
    const through = part.through ?? '';
    const closed = (closedDays.get(endpoint.title) ?? []).filter((day) => day.day <= through);
    endpoint.days = [...closed, ...endpoint.days.filter((day) => day.day > through)];
    delete part.endpoints[endpoint.title]?.days;
  }
  delete part.through;
}

/**
 * Lays a block's closed buckets (from its recent hour documents) back under its endpoints' open
 * ones, those of the last 24 hours as a whole summary keeps them.
 */
export function joinHours(
  endpoints: ReadonlyArray<{ title: string; recent: RecentBucket[] }>,
  part: ClosedPart,
  closedBuckets: ReadonlyMap<string, readonly RecentBucket[]>,
  lastRun: number,
): void {
  const from = part.hoursFrom ?? 0;
  for (const endpoint of endpoints) {
    const closed = (closedBuckets.get(endpoint.title) ?? []).filter(
      (bucket) => bucket.t < from && bucket.t + RECENT_BUCKET_MS > lastRun - DAY_MS,
    );
    endpoint.recent = [...closed, ...endpoint.recent.filter((bucket) => bucket.t >= from)].sort(
      (a, b) => a.t - b.t,
    );
    delete part.endpoints[endpoint.title]?.hours;
  }
  delete part.hoursFrom;
  delete part.hoursStart;
}
