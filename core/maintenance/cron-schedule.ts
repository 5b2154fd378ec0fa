import { type LocalTime, weekdayOf } from './zoned-time.js';

/** A parsed 5-field cron expression: the allowed values of each field. */
export interface CronSchedule {
  minutes: number[];
  hours: number[];
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Cron's rule: when both day fields are restricted, a day matching either one matches. */
  dayOr: boolean;
}

const NAMES: Record<string, number> = {
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/**
 * Parses `minute hour day-of-month month day-of-week` (`*`, lists, ranges, steps, names such as
 * `SUN` or `JAN`; 7 is Sunday too). Returns the schedule, or a sentence saying what is wrong.
 */
export function parseCron(text: string): CronSchedule | string {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5)
    return `not a cron expression: ${JSON.stringify(text)} (give 5 fields: minute hour day month weekday, e.g. "0 2 * * SUN")`;
  const sets: number[][] = [];
  for (const [index, field] of fields.entries()) {
    const spec = FIELDS[index] as (typeof FIELDS)[number];
    const values = parseField(field as string, spec.min, spec.max);
    if (typeof values === 'string') return `cron ${spec.name} ${JSON.stringify(field)}: ${values}`;
    sets.push(values);
  }
  const [minutes, hours, days, months, weekdays] = sets as [number[], number[], number[], number[], number[]];
  return {
    minutes,
    hours,
    days: new Set(days),
    months: new Set(months),
    weekdays: new Set(weekdays.map((day) => day % 7)),
    dayOr: !fields[2]?.startsWith('*') && !fields[4]?.startsWith('*'),
  };
}

/** Whether the schedule fires on a local date. */
export function cronMatchesDay(cron: CronSchedule, date: Pick<LocalTime, 'year' | 'month' | 'day'>): boolean {
  if (!cron.months.has(date.month)) return false;
  const byDay = cron.days.has(date.day);
  const byWeekday = cron.weekdays.has(weekdayOf(date));
  return cron.dayOr ? byDay || byWeekday : byDay && byWeekday;
}

function parseField(field: string, min: number, max: number): number[] | string {
  const values = new Set<number>();
  for (const part of field.toLowerCase().split(',')) {
    const match = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) return 'not a cron field';
    const step = match[2] === undefined ? 1 : Number(match[2]);
    if (step < 1) return 'a step must be at least 1';
    let from = min;
    let to = max;
    if (match[1] !== '*') {
      const [first, last] = (match[1] as string).split('-');
      const a = cronValue(first as string);
      const b = last === undefined ? (match[2] === undefined ? a : max) : cronValue(last);
      if (a === undefined || b === undefined) return 'not a number or a day or month name';
      if (a < min || b > max || a > b) return `out of range (${min}-${max})`;
      from = a;
      to = b;
    }
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

function cronValue(token: string): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  return NAMES[token];
}
