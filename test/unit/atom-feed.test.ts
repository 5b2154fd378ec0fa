import { describe, expect, it } from 'vitest';
import { buildAtomFeed } from '../../core/incidents/atom-feed.js';
import type { Incident } from '../../core/incidents/incident.js';
import { publicNotices } from '../../core/incidents/public-notices.js';
import { atomEntries, atomProblems } from '../helpers/atom-rfc4287.js';

const NOW = Date.parse('2026-06-10T12:00:00Z');
const HOUR = 3_600_000;
const HOSTILE = '<script>alert("x")</script> & ]]> \u0000\u001b[2J \'quoted\' \uD800';

const incident = (id: string, title: string, opened: number, resolved?: number): Incident => ({
  id,
  title,
  endpoints: ['db'],
  status: resolved ? 'resolved' : 'identified',
  source: 'manual',
  opened,
  ...(resolved ? { resolved } : {}),
  updates: [
    { at: opened, status: 'investigating', message: 'Looking.' },
    ...(resolved ? [{ at: resolved, status: 'resolved' as const, message: 'Fixed.' }] : []),
  ],
});

describe('buildAtomFeed', () => {
  it('writes a valid Atom feed of incidents, maintenance and status changes, newest first', () => {
    const notices = publicNotices(
      [{ name: 'DB upgrade', endpoints: ['db'], start: NOW + 2 * HOUR, durationMs: HOUR, timezone: 'UTC' }],
      [incident('a', 'Old outage', NOW - 48 * HOUR, NOW - 47 * HOUR), incident('b', 'Slow API', NOW - HOUR)],
      NOW,
    );
    const xml = buildAtomFeed({
      title: 'Shop status',
      notices,
      timeline: [
        { t: NOW - 30 * 60_000, title: 'API', kind: 'status', status: 'down', previous: 'healthy' },
        { t: NOW - 20 * 60_000, title: 'API', kind: 'message', text: 'not an entry' },
      ],
      nowMs: NOW,
    });
    expect(atomProblems(xml)).toEqual([]);
    expect(atomEntries(xml).map((entry) => `${entry.updated} ${entry.title}`)).toEqual([
      '2026-06-10T14:00:00Z Maintenance: DB upgrade',
      '2026-06-10T11:30:00Z API is down',
      '2026-06-10T11:00:00Z Incident (identified): Slow API',
      '2026-06-08T13:00:00Z Incident (resolved): Old outage',
    ]);
    expect(atomEntries(xml)[3]?.content).toBe(
      '2026-06-08T13:00:00Z resolved: Fixed.\n2026-06-08T12:00:00Z investigating: Looking.',
    );
  });

  it('keeps hostile titles, names and messages as text, and stays valid', () => {
    const notices = publicNotices(
      [{ name: HOSTILE, start: NOW - HOUR, durationMs: 2 * HOUR, timezone: 'UTC' }],
      [{ ...incident('x', HOSTILE, NOW - HOUR), endpoints: [HOSTILE] }],
      NOW,
    );
    const xml = buildAtomFeed({
      title: HOSTILE,
      notices,
      timeline: [{ t: NOW, title: HOSTILE, kind: 'status', status: 'down', previous: 'healthy' }],
      nowMs: NOW,
    });
    expect(atomProblems(xml)).toEqual([]);
    expect(xml).not.toContain('<script>');
    const shown = '<script>alert("x")</script> & ]]> [2J \'quoted\' ';
    expect(atomEntries(xml).map((entry) => entry.title)).toEqual([
      `${shown} is down`,
      `Incident (identified): ${shown}`,
      `Maintenance: ${shown}`,
    ]);
  });

  it('is valid with nothing to tell', () => {
    const xml = buildAtomFeed({
      title: 'Status',
      notices: publicNotices([], [], NOW),
      timeline: [],
      nowMs: NOW,
    });
    expect(atomProblems(xml)).toEqual([]);
    expect(atomEntries(xml)).toEqual([]);
  });

  it('is found invalid by the checker when a required element is missing', () => {
    const xml = buildAtomFeed({
      title: 'Status',
      notices: publicNotices([], [], NOW),
      timeline: [],
      nowMs: NOW,
    });
    expect(atomProblems(xml.replace(/ {2}<updated>.*<\/updated>\n/, ''))).toEqual([
      'atom:feed: 0 atom:updated elements (exactly one is required)',
      'atom:feed: atom:updated "" is not an RFC 3339 date',
    ]);
    expect(atomProblems(xml.replace('<title type="text">Status</title>', '<title>A & B</title>'))[0]).toMatch(
      /^not well-formed XML/,
    );
  });
});

describe('publicNotices', () => {
  it('lists maintenance under way and within 7 days, open incidents first', () => {
    const notices = publicNotices(
      [
        { name: 'now', start: NOW - HOUR, durationMs: 2 * HOUR, timezone: 'UTC' },
        { name: 'in 6 days', start: NOW + 6 * 24 * HOUR, durationMs: HOUR, timezone: 'UTC' },
        { name: 'in 8 days', start: NOW + 8 * 24 * HOUR, durationMs: HOUR, timezone: 'UTC' },
        { name: 'over', start: NOW - 3 * HOUR, durationMs: HOUR, timezone: 'UTC' },
      ],
      [
        incident('resolved-new', 'r', NOW - 2 * HOUR, NOW - HOUR),
        incident('open-old', 'o', NOW - 5 * HOUR),
        incident('resolved-long-ago', 'l', NOW - 100 * 24 * HOUR, NOW - 95 * 24 * HOUR),
      ],
      NOW,
    );
    expect(notices.maintenance.map((period) => period.name)).toEqual(['now', 'in 6 days']);
    expect(notices.incidents.map((item) => item.id)).toEqual(['open-old', 'resolved-new']);
  });
});
