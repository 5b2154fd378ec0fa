import type { TimelineEvent } from '../summary/summary-types.js';
import type { PublicNotices } from './public-notices.js';

export interface AtomFeedInput {
  /** The page's title: the feed's title and author. */
  title: string;
  notices: PublicNotices;
  /** The status timeline (its `status` events become entries). */
  timeline: readonly TimelineEvent[];
  /** Unix ms, the feed's `updated` when it has no entry. */
  nowMs: number;
}

interface Entry {
  id: string;
  title: string;
  updated: number;
  content: string;
}

/** Entries beyond this many (the newest kept) are left out, so the feed stays small. */
const MAX_ENTRIES = 100;

/**
 * The Atom feed (RFC 4287) of incidents, maintenance and status changes, newest first. Every
 * text is escaped and stripped of characters XML cannot carry, so a hostile endpoint name or
 * incident title stays text. Pure.
 */
export function buildAtomFeed(input: AtomFeedInput): string {
  const entries: Entry[] = [
    ...input.notices.incidents.map((incident) => {
      const last = incident.updates[incident.updates.length - 1];
      return {
        id: `urn:checkup:incident:${incident.id}`,
        title: `Incident (${incident.status}): ${incident.title}`,
        updated: last?.at ?? incident.opened,
        content: [...incident.updates]
          .reverse()
          .map((update) => `${iso(update.at)} ${update.status}: ${update.message}`)
          .join('\n'),
      };
    }),
    ...input.notices.maintenance.map((period) => ({
      id: `urn:checkup:maintenance:${period.start}:${encodeURIComponent(clean(period.name))}`,
      title: `Maintenance: ${period.name}`,
      updated: period.start,
      content: `${iso(period.start)} to ${iso(period.end)}; ${period.endpoints?.join(', ') ?? 'all endpoints'}`,
    })),
    ...input.timeline
      .filter((event) => event.kind === 'status' && event.status)
      .map((event) => ({
        id: `urn:checkup:status:${event.t}:${encodeURIComponent(clean(event.title))}`,
        title: `${event.title} is ${event.status}`,
        updated: event.t,
        content: `${event.title} is ${event.status}${event.previous ? ` (was ${event.previous})` : ''} since ${iso(event.t)}.`,
      })),
  ]
    .sort((a, b) => b.updated - a.updated || a.id.localeCompare(b.id))
    .slice(0, MAX_ENTRIES);
  const updated = Math.max(0, ...entries.map((entry) => entry.updated)) || input.nowMs;
  const title = text(input.title);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>urn:checkup:feed:${text(encodeURIComponent(clean(input.title)))}</id>`,
    `  <title type="text">${title}</title>`,
    `  <updated>${iso(updated)}</updated>`,
    `  <author><name>${title}</name></author>`,
    '  <generator>checkup</generator>',
    ...entries.map((entry) =>
      [
        '  <entry>',
        `    <id>${text(entry.id)}</id>`,
        `    <title type="text">${text(entry.title)}</title>`,
        `    <updated>${iso(entry.updated)}</updated>`,
        `    <content type="text">${text(entry.content)}</content>`,
        '  </entry>',
      ].join('\n'),
    ),
    '</feed>',
    '',
  ].join('\n');
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The text without the characters XML 1.0 cannot carry (controls, lone surrogates). */
function clean(value: string): string {
  return value.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
}

/** Text as XML character data or an attribute value: escaped, with what XML 1.0 forbids dropped. */
function text(value: string): string {
  return clean(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
