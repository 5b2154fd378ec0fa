import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../core/config/config-error.js';
import { parseConfig } from '../../../core/config/parse-config.js';

const checkers = [
  { type: 'http', endpoint_name: 'db', endpoint_url: 'http://127.0.0.1:1/', group: 'Storage' },
  { type: 'http', endpoint_name: 'api', endpoint_url: 'http://127.0.0.1:2/' },
];
const parse = (maintenance: unknown[]) => parseConfig(JSON.stringify({ checkers, maintenance }));
const problems = (maintenance: unknown[]) => {
  try {
    parse(maintenance);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  return [];
};

describe('the config’s maintenance list', () => {
  it('reads a weekly window in a time zone, its wall-clock start in that zone', () => {
    const [window] = parse([
      {
        name: 'DB upgrade',
        endpoints: ['db'],
        start: '2026-12-06T02:00',
        duration: '1h',
        every: 'week',
        timezone: 'Europe/Berlin',
      },
    ]).maintenance;
    expect(window).toEqual({
      name: 'DB upgrade',
      endpoints: ['db'],
      start: Date.parse('2026-12-06T01:00:00Z'),
      durationMs: 3_600_000,
      every: 'week',
      timezone: 'Europe/Berlin',
    });
  });

  it('takes end as the length of each occurrence, and an RFC 3339 start as that instant', () => {
    const [window] = parse([
      { name: 'n', start: '2026-12-06T02:00:00+02:00', end: '2026-12-06T02:30:00+02:00' },
    ]).maintenance;
    expect(window).toMatchObject({
      start: Date.parse('2026-12-06T00:00:00Z'),
      durationMs: 1_800_000,
      timezone: 'UTC',
    });
  });

  it('takes group names in endpoints, kept as written (resolved when each result is marked)', () => {
    const [window] = parse([
      { name: 'n', endpoints: ['Storage', 'api'], start: '2026-12-06T02:00', duration: '1h' },
    ]).maintenance;
    expect(window?.endpoints).toEqual(['Storage', 'api']);
  });

  it('measures a one-off window across spring forward in real time (01:30 to 03:30 Berlin is one hour)', () => {
    const [window] = parse([
      { name: 'n', start: '2026-03-29T01:30', end: '2026-03-29T03:30', timezone: 'Europe/Berlin' },
    ]).maintenance;
    expect(window).toMatchObject({ start: Date.parse('2026-03-29T00:30:00Z'), durationMs: 3_600_000 });
  });

  it('lets a cron window leave out its start', () => {
    expect(parse([{ name: 'n', every: '0 2 * * SUN', duration: '2h' }]).maintenance[0]).not.toHaveProperty(
      'start',
    );
  });

  it.each<[string, unknown[], string[]]>([
    [
      'an unknown endpoint',
      [{ name: 'n', endpoints: ['dbb'], start: '2026-12-06T02:00', duration: '1h' }],
      ['maintenance[0].endpoints[0]: "dbb" is neither a checker name nor a group; did you mean "db"?'],
    ],
    [
      'an unknown entry in the second window',
      [
        { name: 'a', endpoints: ['Storage'], start: '2026-12-06T02:00', duration: '1h' },
        { name: 'b', endpoints: ['api', 'Storag'], start: '2026-12-06T02:00', duration: '1h' },
      ],
      [
        'maintenance[1].endpoints[1]: "Storag" is neither a checker name nor a group; did you mean "Storage"?',
      ],
    ],
    [
      'both end and duration',
      [{ name: 'n', start: '2026-12-06T02:00', end: '2026-12-06T03:00', duration: '1h' }],
      ['maintenance[0]: give either `end` or `duration`'],
    ],
    [
      'an end before the start',
      [{ name: 'n', start: '2026-12-06T02:00', end: '2026-12-06T01:00' }],
      ['maintenance[0].end: not after start (2026-12-06T02:00)'],
    ],
    [
      'no start and no cron',
      [{ name: 'n', duration: '1h', every: 'week' }],
      ['maintenance[0].start: required (only a cron `every` may leave it out)'],
    ],
    [
      'an unknown zone',
      [{ name: 'n', start: '2026-12-06T02:00', duration: '1h', timezone: 'Europe/Atlantis' }],
      [
        'maintenance[0].timezone: unknown time zone "Europe/Atlantis" (use an IANA name such as "Europe/Berlin")',
      ],
    ],
    [
      'a bad time',
      [{ name: 'n', start: 'next tuesday', duration: '1h' }],
      ['maintenance[0].start: not a time: "next tuesday" (use "2026-12-06T02:00" or RFC 3339)'],
    ],
    [
      'a bad cron',
      [{ name: 'n', every: '0 25 * * *', duration: '1h' }],
      ['maintenance[0].every: cron hour "25": out of range (0-23), or "day" or "week"'],
    ],
    [
      'a misspelt key',
      [{ name: 'n', start: '2026-12-06T02:00', duration: '1h', timezon: 'UTC' }],
      ['maintenance[0].timezon: unknown key; did you mean "timezone"?'],
    ],
    ['no name', [{ start: '2026-12-06T02:00', duration: '1h' }], ['maintenance[0].name: required']],
    [
      'a duration past any date',
      [{ name: 'n', start: '2026-12-06T02:00', duration: '99999999d' }],
      ['maintenance[0].duration: a window lasts at most 366 days'],
    ],
    [
      'an end years after the start',
      [{ name: 'n', start: '2026-12-06T02:00', end: '2036-12-06T02:00' }],
      ['maintenance[0].end: a window lasts at most 366 days'],
    ],
  ])('names the place of %s', (_, maintenance, expected) => {
    expect(problems(maintenance)).toEqual(expected);
  });
});
