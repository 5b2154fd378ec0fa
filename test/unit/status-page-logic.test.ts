import { describe, expect, it } from 'vitest';
import { pageSettings } from '../../core/summary/page-settings.js';
import type { DaySummary, RecentBucket } from '../../core/summary/summary-types.js';
import { checkSettings, checkSummary, MalformedDataError } from '../../statuspage/check-summary.js';
import { formatPercent, formatRelative } from '../../statuspage/format.js';
import { latencySeries } from '../../statuspage/latency-series.js';
import { linkify } from '../../statuspage/linkify.js';
import { isStale, staleAfterMs } from '../../statuspage/stale.js';
import { dayWindow, overallStatus, uptime24h, uptimeDays } from '../../statuspage/uptime.js';
import { generateSummary } from '../helpers/generate-summary.js';

const day = (date: string, checks: number, down: number, degraded = 0): DaySummary => ({
  day: date,
  checks,
  healthy: checks - down - degraded,
  degraded,
  down,
  p50: 100,
  p95: 150,
  p99: 200,
});

describe('linkify', () => {
  it.each([
    ['no links here', [{ text: 'no links here' }]],
    [
      'see https://example.com/x.',
      [{ text: 'see ' }, { text: 'https://example.com/x', href: 'https://example.com/x' }, { text: '.' }],
    ],
    ['javascript:alert(1) stays text', [{ text: 'javascript:alert(1) stays text' }]],
    ['data:text/html,<script>', [{ text: 'data:text/html,<script>' }]],
    [
      '<a href="http://evil.test">x</a>',
      [{ text: '<a href="' }, { text: 'http://evil.test', href: 'http://evil.test/' }, { text: '">x</a>' }],
    ],
    [
      '(http://a.test/b), https://c.test',
      [
        { text: '(' },
        { text: 'http://a.test/b', href: 'http://a.test/b' },
        { text: '), ' },
        { text: 'https://c.test', href: 'https://c.test/' },
      ],
    ],
  ])('splits %j into text and http(s) links only', (input, expected) => {
    expect(linkify(input)).toEqual(expected);
  });
});

describe('uptime', () => {
  it('counts a five-minute bucket with any down result as down and skips empty buckets', () => {
    const bucket = (worst: RecentBucket['worst'], checks = 5): RecentBucket => ({
      t: 0,
      checks,
      p50: 1,
      worst,
    });
    expect(uptime24h([bucket('healthy'), bucket('degraded'), bucket('down'), bucket('healthy')])).toBe(0.75);
    expect(uptime24h([bucket('down', 0), bucket('healthy')])).toBe(1);
    expect(uptime24h([])).toBeUndefined();
  });

  it('sums the results of the last N UTC days, ignoring older days', () => {
    const days = [
      day('2026-11-01', 1000, 1000),
      day('2026-11-23', 1000, 10),
      day('2026-11-24', 1000, 0, 500),
    ];
    expect(uptimeDays(days, '2026-11-24', 1)).toBe(1);
    expect(uptimeDays(days, '2026-11-24', 7)).toBe(0.995);
    expect(uptimeDays(days, '2026-11-24', 30)).toBeCloseTo(990 / 3000 + 1000 / 3000, 10);
    expect(uptimeDays([], '2026-11-24', 7)).toBeUndefined();
  });

  it('lays out the days window oldest first, with gaps where nothing was checked', () => {
    const window = dayWindow([day('2026-11-23', 10, 0)], '2026-11-24', 3);
    expect(window).toEqual([
      { day: '2026-11-22' },
      { day: '2026-11-23', summary: day('2026-11-23', 10, 0) },
      { day: '2026-11-24' },
    ]);
  });

  it('takes the worst status of all endpoints for the banner', () => {
    expect(overallStatus([])).toBe('healthy');
    expect(overallStatus([{ status: 'healthy' }, { status: 'degraded' }])).toBe('degraded');
    expect(overallStatus([{ status: 'down' }, { status: 'degraded' }])).toBe('down');
  });
});

describe('formatting', () => {
  it.each([
    [0.99999, '99.99%'],
    [1, '100%'],
    [0.5, '50.00%'],
    [undefined, '–'],
  ])('shows uptime %s as %s without rounding up to 100%', (share, shown) => {
    expect(formatPercent(share)).toBe(shown);
  });

  it('says how long ago, or how long until', () => {
    const now = Date.UTC(2026, 0, 10);
    expect(formatRelative(now - 30_000, now)).toBe('just now');
    expect(formatRelative(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatRelative(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatRelative(now + 12 * 86_400_000, now)).toBe('in 12 days');
  });
});

describe('stale notice', () => {
  it('waits two check intervals and a minute, or what the config says, or 15 minutes', () => {
    expect(staleAfterMs({ intervalMs: 60_000 }, {})).toBe(180_000);
    expect(staleAfterMs({ intervalMs: 60_000 }, { staleAfterMs: 3_600_000 })).toBe(3_600_000);
    expect(staleAfterMs({}, {})).toBe(900_000);
    expect(isStale({ intervalMs: 60_000, lastRun: 0 }, {}, 180_001)).toBe(true);
    expect(isStale({ intervalMs: 60_000, lastRun: 0 }, {}, 180_000)).toBe(false);
  });
});

describe('latency series', () => {
  it('draws five-minute buckets for 24 h and daily medians with gaps for longer ranges', () => {
    const summary = generateSummary({ endpoints: 1, days: 5 });
    const endpoint = summary.endpoints[0];
    if (!endpoint) throw new Error('no endpoint');
    expect(latencySeries(endpoint, '24h', '2026-11-24')).toHaveLength(288);
    const week = latencySeries(endpoint, '7d', '2026-11-24');
    expect(week).toHaveLength(7);
    expect(week.slice(0, 2).map((point) => point.ms)).toEqual([null, null]);
    expect(week.at(-1)?.ms).toBe(endpoint.days.at(-1)?.p50);
  });
});

describe('checkSummary', () => {
  it('accepts a generated summary', () => {
    const summary = generateSummary({ endpoints: 2 });
    expect(checkSummary(JSON.parse(JSON.stringify(summary)))).toEqual(summary);
  });

  it.each([
    [null, 'summary: expected an object'],
    [{ version: 2 }, 'summary.version: expected 1, got 2'],
    [
      { ...generateSummary({ endpoints: 1 }), endpoints: [{ title: 1 }] },
      'summary.endpoints[0].title: expected text',
    ],
    [{ ...generateSummary({ endpoints: 1 }), timeline: 'no' }, 'summary.timeline: expected a list'],
  ])('names the place of the problem in %j', (value, message) => {
    expect(() => checkSummary(value)).toThrow(new MalformedDataError(message));
  });
});

describe('page settings', () => {
  it('fills defaults from checkup and converts durations to ms', () => {
    expect(pageSettings()).toEqual({
      title: 'Status',
      banners: { healthy: 'Situation Normal', degraded: 'Degraded Service', down: 'Service Disruption' },
      refreshMs: 60_000,
    });
    expect(pageSettings({ banner_down: 'Down!', refresh_interval: 30e9, stale_after: 600e9 })).toMatchObject({
      banners: { down: 'Down!' },
      refreshMs: 30_000,
      staleAfterMs: 600_000,
    });
  });

  it('keeps a default for every field /data/page.json gets wrong', () => {
    const defaults = pageSettings();
    expect(checkSettings('nonsense', defaults)).toEqual(defaults);
    expect(checkSettings({ title: 5, banners: { down: 'Down!' }, refreshMs: -1 }, defaults)).toEqual({
      ...defaults,
      banners: { ...defaults.banners, down: 'Down!' },
    });
  });
});
