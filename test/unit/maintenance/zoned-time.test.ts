import { describe, expect, it } from 'vitest';
import { isTimeZone, localTimeAt, unixMsOfLocal } from '../../../core/maintenance/zoned-time.js';

const local = (text: string) => {
  const [date, time] = text.split('T') as [string, string];
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return { year, month, day, hour, minute };
};

describe('unixMsOfLocal', () => {
  it.each([
    // zone, wall-clock time, the instant it is
    ['UTC', '2026-06-01T12:00', '2026-06-01T12:00:00Z'],
    ['Europe/Berlin', '2026-01-15T02:00', '2026-01-15T01:00:00Z'],
    ['Europe/Berlin', '2026-07-15T02:00', '2026-07-15T00:00:00Z'],
    // Spring forward (02:00 -> 03:00 on 29 March): 02:30 never happens and moves to 03:30 CEST.
    ['Europe/Berlin', '2026-03-29T02:30', '2026-03-29T01:30:00Z'],
    ['Europe/Berlin', '2026-03-29T03:00', '2026-03-29T01:00:00Z'],
    // Fall back (03:00 -> 02:00 on 25 October): 02:30 happens twice; the first is taken.
    ['Europe/Berlin', '2026-10-25T02:30', '2026-10-25T00:30:00Z'],
    ['Europe/Berlin', '2026-10-25T03:30', '2026-10-25T02:30:00Z'],
    ['America/New_York', '2026-03-08T02:15', '2026-03-08T07:15:00Z'],
    ['America/New_York', '2026-11-01T01:30', '2026-11-01T05:30:00Z'],
    ['Asia/Kolkata', '2026-05-01T00:00', '2026-04-30T18:30:00Z'],
    // A half-hour gap (02:00 -> 02:30): 02:15 moves to 02:45 LHDT.
    ['Australia/Lord_Howe', '2026-10-04T02:15', '2026-10-03T15:45:00Z'],
  ])('in %s, %s is %s', (zone, wall, instant) => {
    expect(new Date(unixMsOfLocal(local(wall), zone)).toISOString()).toBe(new Date(instant).toISOString());
  });

  it('gives back the wall-clock time localTimeAt reads, outside transitions', () => {
    const at = Date.parse('2026-09-09T09:09:00Z');
    expect(unixMsOfLocal(localTimeAt(at, 'Pacific/Auckland'), 'Pacific/Auckland')).toBe(at);
  });
});

describe('isTimeZone', () => {
  it.each([
    ['Europe/Berlin', true],
    ['UTC', true],
    ['Mars/Olympus', false],
    ['', false],
  ])('%j is a time zone: %s', (zone, known) => {
    expect(isTimeZone(zone)).toBe(known);
  });
});
