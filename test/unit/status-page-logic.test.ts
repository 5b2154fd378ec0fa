import { describe, expect, it } from 'vitest';
import type { OverviewEndpoint } from '../../core/summary/page-document-types.js';
import { overviewOf } from '../../core/summary/page-documents.js';
import { pageSettings } from '../../core/summary/page-settings.js';
import type { DaySummary, EndpointSummary, RecentBucket } from '../../core/summary/summary-types.js';
import { checkOverview, checkSettings, MalformedDataError } from '../../statuspage/check-summary.js';
import { formatPercent, formatRelative } from '../../statuspage/format.js';
import { latencyPaths } from '../../statuspage/latency-paths.js';
import { latencySeries } from '../../statuspage/latency-series.js';
import { linkify } from '../../statuspage/linkify.js';
import { pageEndpoint, problemsFirst } from '../../statuspage/page-endpoint.js';
import { asNotReporting, isStale, staleAfterMs } from '../../statuspage/stale.js';
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
  const bucket = (checks: number, down: number | undefined, worst: RecentBucket['worst']): RecentBucket => ({
    t: 0,
    checks,
    p50: 1,
    worst,
    ...(down === undefined ? {} : { down }),
  });
  it.each([
    { name: 'a 12 s outage among 13 checks in one bucket', buckets: [bucket(13, 4, 'down')], share: 9 / 13 },
    {
      name: 'degraded results, which are up',
      buckets: [bucket(5, undefined, 'degraded'), bucket(5, undefined, 'healthy')],
      share: 1,
    },
    {
      name: 'one down result in each of two of four buckets',
      buckets: [
        bucket(60, 1, 'down'),
        bucket(60, undefined, 'healthy'),
        bucket(60, 1, 'down'),
        bucket(60, undefined, 'healthy'),
      ],
      share: 238 / 240,
    },
    {
      name: 'an empty bucket, which does not count',
      buckets: [bucket(0, undefined, 'down'), bucket(5, undefined, 'healthy')],
      share: 1,
    },
    {
      name: 'a down bucket of a summary written before down results were counted: wholly down',
      buckets: [bucket(3, undefined, 'down'), bucket(1, undefined, 'healthy')],
      share: 1 / 4,
    },
    { name: 'no buckets', buckets: [], share: undefined },
  ])('gives the 24 h uptime as results up over results made: $name', ({ buckets, share }) => {
    expect(uptime24h(buckets)).toBe(share);
  });

  it('agrees with the 7, 30 and 90 day figures when every check was in the last 24 hours', () => {
    const recent = [bucket(13, 4, 'down')];
    const days = [day('2026-11-24', 13, 4)];
    const figures = [uptime24h(recent), ...[7, 30, 90].map((count) => uptimeDays(days, '2026-11-24', count))];
    expect(figures.map(formatPercent)).toEqual(['69.23%', '69.23%', '69.23%', '69.23%']);
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

  it.each([
    [['healthy', 'unknown'], 'unknown'],
    [['unknown', 'unknown'], 'unknown'],
    [['unknown', 'degraded'], 'degraded'],
    [['down', 'unknown'], 'down'],
  ] as const)('never calls %j all up: the banner is %s', (statuses, overall) => {
    expect(overallStatus(statuses.map((status) => ({ status })))).toBe(overall);
  });

  it('shows every endpoint unknown, with why, while monitoring is not reporting', () => {
    const summary = generateSummary({ endpoints: 3 });
    const shown = asNotReporting(summary);
    const clock = new Date(summary.lastRun).toISOString().slice(11, 16);
    expect(shown.endpoints.map((endpoint) => endpoint.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(shown.endpoints[0]?.reason).toBe(`monitoring is not reporting since ${clock} UTC`);
    expect(summary.endpoints[0]?.status).toBe('down');
  });

  it('accepts unknown statuses and region views, and names a malformed region', () => {
    const summary = generateSummary({ endpoints: 5 });
    const endpoint = summary.endpoints[4] as EndpointSummary;
    endpoint.status = 'unknown';
    endpoint.reason = 'probe offline';
    const overview = () => JSON.parse(JSON.stringify(overviewOf(summary)));
    expect(() => checkOverview(overview())).not.toThrow();
    endpoint.regions = [{ name: 'x', status: 'up' as 'down', lastCheck: 0 }];
    expect(() => checkOverview(overview())).toThrow('overview.endpoints[4].regions[0].status: not a status');
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
  const at = { today: '2026-11-24', lastRun: Date.parse('2026-11-24T12:02:00Z') };

  it('has a point for every five-minute bucket of 24 h and every day of longer ranges, with gaps', () => {
    const summary = generateSummary({ endpoints: 1, days: 5, now: at.lastRun });
    const endpoint = summary.endpoints[0];
    if (!endpoint) throw new Error('no endpoint');
    const day = latencySeries(endpoint, '24h', at);
    expect(day.points).toHaveLength(288);
    expect(day.end - day.start).toBe(86_400_000);
    expect(day.points.at(-1)?.ms).toBe(endpoint.recent.at(-1)?.p50);
    const week = latencySeries(endpoint, '7d', at);
    expect(week.points).toHaveLength(7);
    expect(week.points.slice(0, 2).map((point) => point.ms)).toEqual([null, null]);
    expect(week.points.at(-1)?.ms).toBe(endpoint.days.at(-1)?.p50);
    expect(week.end).toBe(Date.parse('2026-11-25T00:00:00Z'));
  });

  it('puts the buckets of a first hour of checks at their own times, not across the window', () => {
    const endpoint = {
      ...(generateSummary({ endpoints: 1, now: at.lastRun }).endpoints[0] as EndpointSummary),
      recent: [
        { t: Date.parse('2026-11-24T11:55:00Z'), checks: 30, p50: 12, worst: 'healthy' as const },
        { t: Date.parse('2026-11-24T12:00:00Z'), checks: 12, p50: 14, worst: 'healthy' as const },
      ],
    };
    const series = latencySeries(endpoint, '24h', at);
    const drawn = series.points.filter((point) => point.ms !== null);
    expect(drawn).toEqual([
      { t: Date.parse('2026-11-24T11:57:30Z'), ms: 12 },
      { t: Date.parse('2026-11-24T12:02:30Z'), ms: 14 },
    ]);
  });
});

describe('latency chart paths', () => {
  // Four slots of 100 ms each from t=0: x of slot i's middle is (i + 0.5) / 4 of 600.
  const series = (...values: Array<number | null>) => ({
    start: 0,
    end: 400,
    points: values.map((ms, i) => ({ t: i * 100 + 50, ms })),
  });
  it.each([
    { name: 'nothing checked', values: [null, null, null, null], line: '', dots: '' },
    {
      name: 'one point is a dot where it is',
      values: [null, null, null, 50],
      line: '',
      dots: 'M525.0 40.0h0',
    },
    {
      name: 'two neighbours are a line between them',
      values: [null, null, 50, 100],
      line: 'M375.0 40.0L525.0 0.0',
      dots: '',
    },
    {
      name: 'a gap breaks the line; a point alone is a dot',
      values: [100, null, 50, 50],
      line: 'M375.0 40.0L525.0 40.0',
      dots: 'M75.0 0.0h0',
    },
    {
      name: 'a full window spans it',
      values: [0, 0, 0, 0],
      line: 'M75.0 80.0L225.0 80.0L375.0 80.0L525.0 80.0',
      dots: '',
    },
  ])('$name', ({ values, line, dots }) => {
    const paths = latencyPaths(series(...values), 100);
    expect({ line: paths.line, dots: paths.dots }).toEqual({ line, dots });
  });
});

describe('checkOverview', () => {
  it('accepts the overview of a generated summary', () => {
    const overview = overviewOf(generateSummary({ endpoints: 2 }));
    expect(checkOverview(JSON.parse(JSON.stringify(overview)))).toEqual(overview);
  });

  it.each([
    [null, 'overview: expected an object'],
    [{ version: 1 }, 'overview.version: expected 2, got 1'],
    [
      { ...overviewOf(generateSummary({ endpoints: 1 })), endpoints: [{ title: 1 }] },
      'overview.endpoints[0].title: expected text',
    ],
    [
      {
        ...overviewOf(generateSummary({ endpoints: 1 })),
        endpoints: [{ ...overviewOf(generateSummary({ endpoints: 1 })).endpoints[0], status: 'meh' }],
      },
      'overview.endpoints[0].status: not a status',
    ],
    [
      { ...overviewOf(generateSummary({ endpoints: 1 })), timeline: 'no' },
      'overview.timeline: expected a list',
    ],
  ])('names the place of the problem in %j', (value, message) => {
    expect(() => checkOverview(value)).toThrow(new MalformedDataError(message));
  });
});

describe('problems first', () => {
  it('puts down, then degraded, then unknown before healthy, keeping the order within each', () => {
    const endpoints = [
      { title: 'a', status: 'healthy' },
      { title: 'b', status: 'unknown' },
      { title: 'c', status: 'down' },
      { title: 'd', status: 'degraded' },
      { title: 'e', status: 'down' },
    ] as const;
    expect(problemsFirst(endpoints).map((endpoint) => endpoint.title)).toEqual(['c', 'e', 'd', 'b', 'a']);
  });

  it('lays the overview’s newer days over the block’s closed ones', () => {
    const day = (date: string, checks: number) => ({
      day: date,
      checks,
      healthy: checks,
      degraded: 0,
      down: 0,
      p50: 1,
      p95: 1,
      p99: 1,
    });
    const entry = overviewOf(generateSummary({ endpoints: 1 })).endpoints[0] as OverviewEndpoint;
    const merged = pageEndpoint(
      { ...entry, days: [day('2026-11-24', 5)] },
      [day('2026-11-23', 3), day('2026-11-24', 1)],
      undefined,
    );
    expect(merged.days.map((d) => [d.day, d.checks])).toEqual([
      ['2026-11-23', 3],
      ['2026-11-24', 5],
    ]);
    expect(merged.historyLoaded).toBe(true);
    expect(pageEndpoint(entry, undefined, undefined).historyLoaded).toBe(false);
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
