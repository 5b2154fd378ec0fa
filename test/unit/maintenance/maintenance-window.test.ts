import { describe, expect, it } from 'vitest';
import { parseCron } from '../../../core/maintenance/cron-schedule.js';
import {
  activePeriods,
  type MaintenanceWindow,
  recurrenceProblem,
  windowPeriods,
} from '../../../core/maintenance/maintenance-window.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');
const at = (text: string) => Date.parse(text);
const HOUR = 3_600_000;

describe('windowPeriods', () => {
  it.each<[string, Partial<MaintenanceWindow>, string, string, string[]]>([
    [
      'a one-off window inside the range',
      { start: at('2026-06-01T02:00Z'), durationMs: HOUR },
      '2026-06-01T00:00Z',
      '2026-06-02T00:00Z',
      ['2026-06-01T02:00Z-2026-06-01T03:00Z'],
    ],
    [
      'a one-off window that started before the range and is still on',
      { start: at('2026-06-01T02:00Z'), durationMs: 3 * HOUR },
      '2026-06-01T04:00Z',
      '2026-06-01T05:00Z',
      ['2026-06-01T02:00Z-2026-06-01T05:00Z'],
    ],
    [
      'a one-off window that ended as the range begins',
      { start: at('2026-06-01T02:00Z'), durationMs: HOUR },
      '2026-06-01T03:00Z',
      '2026-06-02T00:00Z',
      [],
    ],
    [
      'a weekly window keeps its Berlin wall-clock time across spring forward',
      { start: at('2026-03-22T02:00+01:00'), durationMs: HOUR, every: 'week', timezone: 'Europe/Berlin' },
      '2026-03-20T00:00Z',
      '2026-04-06T00:00Z',
      // 02:00 on 29 March does not exist: moved to 03:00 CEST (01:00Z); then 02:00 CEST.
      [
        '2026-03-22T01:00Z-2026-03-22T02:00Z',
        '2026-03-29T01:00Z-2026-03-29T02:00Z',
        '2026-04-05T00:00Z-2026-04-05T01:00Z',
      ],
    ],
    [
      'a weekly window keeps its New York wall-clock time across fall back',
      { start: at('2026-10-25T01:30-04:00'), durationMs: HOUR, every: 'week', timezone: 'America/New_York' },
      '2026-10-24T00:00Z',
      '2026-11-09T00:00Z',
      // 01:30 on 1 November happens twice: the first (EDT) is taken.
      [
        '2026-10-25T05:30Z-2026-10-25T06:30Z',
        '2026-11-01T05:30Z-2026-11-01T06:30Z',
        '2026-11-08T06:30Z-2026-11-08T07:30Z',
      ],
    ],
    [
      'a daily window does not start before its first start',
      { start: at('2026-06-03T22:00Z'), durationMs: HOUR, every: 'day' },
      '2026-06-01T00:00Z',
      '2026-06-05T00:00Z',
      ['2026-06-03T22:00Z-2026-06-03T23:00Z', '2026-06-04T22:00Z-2026-06-04T23:00Z'],
    ],
    [
      'a daily window that straddles midnight is found from the next day',
      { start: at('2026-01-01T23:30Z'), durationMs: HOUR, every: 'day' },
      '2026-06-05T00:00Z',
      '2026-06-05T00:10Z',
      ['2026-06-04T23:30Z-2026-06-05T00:30Z'],
    ],
    [
      'a cron window on Sundays at 02:00 Berlin time',
      { durationMs: 2 * HOUR, every: '0 2 * * SUN', timezone: 'Europe/Berlin' },
      '2026-10-18T00:00Z',
      '2026-11-02T00:00Z',
      // 25 October (fall back): 02:00 CEST is the first 02:00.
      [
        '2026-10-18T00:00Z-2026-10-18T02:00Z',
        '2026-10-25T00:00Z-2026-10-25T02:00Z',
        '2026-11-01T01:00Z-2026-11-01T03:00Z',
      ],
    ],
    [
      'a cron window on weekdays at 12:00 and 18:30 UTC',
      { durationMs: 15 * 60_000, every: '0,30 12,18 * * 1-5' },
      '2026-06-05T11:00Z',
      '2026-06-08T12:20Z',
      [
        '2026-06-05T12:00Z-2026-06-05T12:15Z',
        '2026-06-05T12:30Z-2026-06-05T12:45Z',
        '2026-06-05T18:00Z-2026-06-05T18:15Z',
        '2026-06-05T18:30Z-2026-06-05T18:45Z',
        '2026-06-08T12:00Z-2026-06-08T12:15Z',
      ],
    ],
    [
      'a cron window with a start applies only from it',
      { start: at('2026-06-10T00:00Z'), durationMs: HOUR, every: '0 3 * * *' },
      '2026-06-08T00:00Z',
      '2026-06-12T00:00Z',
      ['2026-06-10T03:00Z-2026-06-10T04:00Z', '2026-06-11T03:00Z-2026-06-11T04:00Z'],
    ],
    [
      'cron day-of-month or day-of-week: the 1st, or any Monday',
      { durationMs: HOUR, every: '0 0 1 * MON' },
      '2026-05-31T00:00Z',
      '2026-06-10T00:00Z',
      ['2026-06-01T00:00Z-2026-06-01T01:00Z', '2026-06-08T00:00Z-2026-06-08T01:00Z'],
    ],
  ])('%s', (_, window, from, to, expected) => {
    const full: MaintenanceWindow = { name: 'w', timezone: 'UTC', durationMs: HOUR, ...window };
    expect(windowPeriods(full, at(from), at(to)).map((p) => `${iso(p.start)}-${iso(p.end)}`)).toEqual(
      expected,
    );
  });
});

describe('activePeriods', () => {
  const windows: MaintenanceWindow[] = [
    {
      name: 'DB upgrade',
      endpoints: ['db'],
      start: at('2026-06-01T02:00Z'),
      durationMs: HOUR,
      timezone: 'UTC',
    },
    { name: 'Everything', start: at('2026-06-01T10:00Z'), durationMs: HOUR, timezone: 'UTC' },
  ];

  it.each([
    ['db', '2026-06-01T02:30Z', ['DB upgrade']],
    ['api', '2026-06-01T02:30Z', []],
    ['db', '2026-06-01T03:00Z', []],
    ['api', '2026-06-01T10:00Z', ['Everything']],
    ['db', '2026-06-01T01:59Z', []],
  ])('%s at %s is in %j', (title, when, names) => {
    expect(activePeriods(windows, { title }, at(when)).map((p) => p.name)).toEqual(names);
  });

  it('covers an endpoint by its group, whichever endpoints the group has when it is checked', () => {
    const byGroup: MaintenanceWindow[] = [
      {
        name: 'Storage work',
        endpoints: ['Storage'],
        start: at('2026-06-01T02:00Z'),
        durationMs: HOUR,
        timezone: 'UTC',
      },
    ];
    const when = at('2026-06-01T02:30Z');
    expect(activePeriods(byGroup, { title: 'db', group: 'Storage' }, when).map((p) => p.name)).toEqual([
      'Storage work',
    ]);
    expect(activePeriods(byGroup, { title: 'db' }, when)).toEqual([]);
    expect(activePeriods(byGroup, { title: 'api', group: 'Web' }, when)).toEqual([]);
  });
});

describe('recurrence', () => {
  it.each([
    ['day', undefined],
    ['week', undefined],
    ['0 2 * * SUN', undefined],
    ['*/15 * * * *', undefined],
    ['0 2 * *', 'give 5 fields'],
    ['61 2 * * *', 'cron minute "61": out of range (0-59)'],
    ['0 2 * * FUNDAY', 'cron day of week "FUNDAY": not a number or a day or month name'],
    ['0 2 * */0 *', 'a step must be at least 1'],
    ['monthly', 'give 5 fields'],
  ])('%j: %s', (every, problem) => {
    const found = recurrenceProblem(every);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('reads 7 as Sunday', () => {
    const cron = parseCron('0 0 * * 7');
    expect(typeof cron !== 'string' && [...cron.weekdays]).toEqual([0]);
  });
});
