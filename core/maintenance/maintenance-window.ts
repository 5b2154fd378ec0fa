import { type CronSchedule, cronMatchesDay, parseCron } from './cron-schedule.js';
import { addLocalDays, type LocalTime, localTimeAt, unixMsOfLocal } from './zoned-time.js';

/**
 * A planned maintenance, from the config's `maintenance` list or from `checkup maintenance
 * start` (stored beside the runs). During it the endpoints are still checked, their results are
 * marked with its name, alerts about them are held and uptime leaves them out.
 */
export interface MaintenanceWindow {
  name: string;
  /**
   * The endpoint names and checker groups it covers, as written; absent covers every endpoint.
   * A group covers the endpoints in it when each is checked (results carry their group).
   */
  endpoints?: string[];
  /** The first (or only) start, unix ms. Absent only with a cron `every`: it applies from always. */
  start?: number;
  durationMs: number;
  /** `day`, `week`, or a 5-field cron expression of local start times. Absent: it happens once. */
  every?: string;
  /** The IANA time zone the recurrence follows (its wall-clock times keep across DST). */
  timezone: string;
  /** Set on windows started from the command line, so `maintenance end` can name one. */
  id?: string;
}

/** One occurrence of a window: unix ms, end exclusive. */
export interface MaintenancePeriod {
  name: string;
  start: number;
  end: number;
  endpoints?: string[];
}

const DAY_MS = 86_400_000;

/**
 * The longest a window (each occurrence) may last. Longer is no maintenance but a removed
 * endpoint, and an end past any date would break every list, page and feed that shows it.
 */
export const MAX_WINDOW_MS = 366 * DAY_MS;

/** The occurrences of a window that overlap [fromMs, toMs), in order. Pure. */
export function windowPeriods(window: MaintenanceWindow, fromMs: number, toMs: number): MaintenancePeriod[] {
  const period = (start: number): MaintenancePeriod => ({
    name: window.name,
    start,
    end: start + window.durationMs,
    ...(window.endpoints ? { endpoints: window.endpoints } : {}),
  });
  const overlaps = (p: MaintenancePeriod) => p.end > fromMs && p.start < toMs && p.end > p.start;
  const starts = occurrenceStarts(window, fromMs - window.durationMs, toMs);
  return starts.map(period).filter(overlaps);
}

/** The periods in force at `atMs` of every window covering the endpoint, by its name or its group. */
export function activePeriods(
  windows: readonly MaintenanceWindow[],
  endpoint: { title: string; group?: string | undefined },
  atMs: number,
): MaintenancePeriod[] {
  const { title, group } = endpoint;
  const covers = (names: readonly string[]) =>
    names.includes(title) || (group !== undefined && names.includes(group));
  return windows
    .filter((window) => !window.endpoints || covers(window.endpoints))
    .flatMap((window) => windowPeriods(window, atMs, atMs + 1));
}

/** Every period of every window overlapping [fromMs, toMs), by start. */
export function periodsBetween(
  windows: readonly MaintenanceWindow[],
  fromMs: number,
  toMs: number,
): MaintenancePeriod[] {
  return windows
    .flatMap((window) => windowPeriods(window, fromMs, toMs))
    .sort((a, b) => a.start - b.start || a.name.localeCompare(b.name));
}

/** A sentence saying what is wrong with an `every`, or undefined when it is usable. */
export function recurrenceProblem(every: string): string | undefined {
  if (every === 'day' || every === 'week') return undefined;
  const cron = parseCron(every);
  return typeof cron === 'string' ? `${cron}, or "day" or "week"` : undefined;
}

/** Starts (unix ms) of the window's occurrences from a little before `fromMs` to before `toMs`. */
function occurrenceStarts(window: MaintenanceWindow, fromMs: number, toMs: number): number[] {
  const { every, start, timezone } = window;
  if (every === undefined) return start === undefined ? [] : [start];
  if (every === 'day' || every === 'week') {
    if (start === undefined) return [];
    const stepDays = every === 'day' ? 1 : 7;
    const first = localTimeAt(start, timezone);
    // Wall-clock steps never drift more than a day from fixed ones: start two steps early.
    const k0 = Math.max(0, Math.floor((fromMs - start) / (stepDays * DAY_MS)) - 2);
    const starts: number[] = [];
    for (let k = k0; ; k++) {
      const at = unixMsOfLocal(addLocalDays(first, k * stepDays), timezone);
      if (at >= toMs) return starts;
      if (at >= start) starts.push(at);
    }
  }
  const cron = parseCron(every);
  if (typeof cron === 'string') return [];
  return cronStarts(cron, timezone, Math.max(fromMs, start ?? fromMs), toMs);
}

function cronStarts(cron: CronSchedule, timezone: string, fromMs: number, toMs: number): number[] {
  const starts = new Set<number>();
  let day: LocalTime = { ...localTimeAt(fromMs - DAY_MS, timezone), hour: 0, minute: 0 };
  const last = localTimeAt(toMs + DAY_MS, timezone);
  for (let guard = 0; guard < 400 && !after(day, last); guard++, day = addLocalDays(day, 1)) {
    if (!cronMatchesDay(cron, day)) continue;
    for (const hour of cron.hours)
      for (const minute of cron.minutes) {
        const at = unixMsOfLocal({ ...day, hour, minute }, timezone);
        if (at >= fromMs && at < toMs) starts.add(at);
      }
  }
  return [...starts].sort((a, b) => a - b);
}

function after(a: LocalTime, b: LocalTime): boolean {
  return Date.UTC(a.year, a.month - 1, a.day) > Date.UTC(b.year, b.month - 1, b.day);
}
