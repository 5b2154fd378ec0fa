import * as z from 'zod';
import type { MaintenanceWindow } from '../maintenance/maintenance-window.js';
import { MAX_WINDOW_MS, recurrenceProblem } from '../maintenance/maintenance-window.js';
import { isTimeZone, unixMsOfLocal } from '../maintenance/zoned-time.js';
import type { ConfigIssue } from './config-error.js';
import { durationSchema } from './duration-schema.js';
import { lazySchema } from './lazy-schema.js';
import { suggest } from './suggest.js';

const timeText = lazySchema(() =>
  z.string().meta({
    description:
      'RFC 3339 ("2026-12-06T02:00:00Z"), or a wall-clock time "2026-12-06T02:00" in the window\'s timezone',
  }),
);

/** One item of the config's `maintenance` list, as written. */
export const maintenanceItemSchema = lazySchema(() =>
  z
    .strictObject({
      name: z.string().min(1).max(200).meta({ description: 'What is being done, as the page shows it' }),
      endpoints: z
        .array(z.string().min(1))
        .min(1)
        .optional()
        .meta({ description: 'The endpoint names or checker groups it covers (default: every endpoint)' }),
      start: timeText()
        .optional()
        .meta({ description: 'When it (first) starts; optional with a cron `every`' }),
      end: timeText().optional().meta({ description: 'When it ends (or give `duration`)' }),
      duration: durationSchema()
        .optional()
        .meta({ description: 'How long it lasts, e.g. "30m" (or give `end`)' }),
      every: z.string().optional().meta({
        description: 'Repeat: "day", "week", or a cron expression of start times ("0 2 * * SUN")',
      }),
      timezone: z
        .string()
        .optional()
        .meta({ description: 'IANA time zone of wall-clock times and recurrence (default "UTC")' }),
    })
    .meta({ description: 'A planned maintenance: alerts held, uptime not counted, shown on the page' }),
);

export type MaintenanceItem = z.output<ReturnType<typeof maintenanceItemSchema>>;

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/;

/**
 * A time as unix ms: RFC 3339 with a zone is that instant; `YYYY-MM-DDTHH:MM` is a wall-clock
 * time in `timezone`. Undefined when it is neither.
 */
export function parseWindowTime(text: string, timezone: string): number | undefined {
  const wall = WALL_CLOCK.exec(text);
  if (wall) {
    const [year, month, day, hour, minute] = wall.slice(1).map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
    return unixMsOfLocal({ year, month, day, hour, minute }, timezone);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Turns a schema-valid `maintenance` item into a window, pushing each problem with its place
 * (`maintenance[1].end: before start`). `names` are the checkers' endpoint names and groups.
 */
export function toMaintenanceWindow(
  item: MaintenanceItem,
  path: string,
  names: readonly string[],
  issues: ConfigIssue[],
): MaintenanceWindow | undefined {
  const before = issues.length;
  const timezone = item.timezone ?? 'UTC';
  if (!isTimeZone(timezone))
    issues.push({
      path: `${path}.timezone`,
      message: `unknown time zone ${JSON.stringify(timezone)} (use an IANA name such as "Europe/Berlin")`,
    });
  const zone = isTimeZone(timezone) ? timezone : 'UTC';
  const time = (key: 'start' | 'end'): number | undefined => {
    const text = item[key];
    if (text === undefined) return undefined;
    const ms = parseWindowTime(text, zone);
    if (ms === undefined)
      issues.push({
        path: `${path}.${key}`,
        message: `not a time: ${JSON.stringify(text)} (use "2026-12-06T02:00" or RFC 3339)`,
      });
    return ms;
  };
  const start = time('start');
  const end = time('end');
  const cron = item.every !== undefined && item.every !== 'day' && item.every !== 'week';
  if (item.every !== undefined) {
    const problem = recurrenceProblem(item.every);
    if (problem) issues.push({ path: `${path}.every`, message: problem });
  }
  if (item.start === undefined && !cron)
    issues.push({ path: `${path}.start`, message: 'required (only a cron `every` may leave it out)' });
  if ((item.end === undefined) === (item.duration === undefined))
    issues.push({ path, message: 'give either `end` or `duration`' });
  if (item.end !== undefined && item.start === undefined)
    issues.push({ path: `${path}.end`, message: 'needs `start` (or give `duration`)' });
  let durationMs = item.duration === undefined ? 0 : Math.round(item.duration / 1e6);
  if (start !== undefined && end !== undefined) {
    durationMs = end - start;
    if (durationMs <= 0) issues.push({ path: `${path}.end`, message: `not after start (${item.start})` });
  } else if (item.duration !== undefined && durationMs <= 0)
    issues.push({ path: `${path}.duration`, message: 'must be longer than 0' });
  if (durationMs > MAX_WINDOW_MS)
    issues.push({
      path: `${path}.${start !== undefined && end !== undefined ? 'end' : 'duration'}`,
      message: 'a window lasts at most 366 days',
    });
  for (const [index, name] of (item.endpoints ?? []).entries()) {
    if (names.includes(name)) continue;
    const hint = suggest(name, names);
    issues.push({
      path: `${path}.endpoints[${index}]`,
      message: `${JSON.stringify(name)} is neither a checker name nor a group${hint ? `; did you mean "${hint}"?` : ''}`,
    });
  }
  if (issues.length > before) return undefined;
  return {
    name: item.name,
    ...(item.endpoints ? { endpoints: item.endpoints } : {}),
    ...(start !== undefined ? { start } : {}),
    durationMs,
    ...(item.every !== undefined ? { every: item.every } : {}),
    timezone,
  };
}
