import type { Incident } from '../incidents/incident.js';
import { type MaintenanceWindow, periodsBetween } from '../maintenance/maintenance-window.js';

/** One message to the page's subscribers: plain text, with an ASCII subject (SNS's rule for e-mail). */
export interface SubscriberAnnouncement {
  /** Stable for one event: an incident update, a maintenance start or end. */
  key: string;
  /** Unix ms the event happened. */
  at: number;
  subject: string;
  text: string;
}

/** What the subscribers have been told, kept in the alert state: event key -> its unix ms. */
export type AnnouncedEvents = Record<string, number>;

/**
 * Events older than this are not announced: a late notify (or the first one after subscriptions
 * are turned on) tells nothing stale. It also bounds how long keys are remembered.
 */
export const DEFAULT_ANNOUNCE_HORIZON_MS = 3_600_000;

export interface SubscriberAnnouncementsInput {
  incidents: readonly Incident[];
  /** Every window, from the config and the stored ones. */
  windows: readonly MaintenanceWindow[];
  announced: AnnouncedEvents;
  nowMs: number;
  /** The status page, linked from every message. */
  pageUrl?: string;
  /** The page's title, at the start of every subject. */
  title: string;
  /** @default DEFAULT_ANNOUNCE_HORIZON_MS */
  horizonMs?: number;
}

/**
 * What to tell the page's subscribers now: each incident update (opened, updated, resolved) and
 * each maintenance start and end that happened within the horizon and is not in `announced`,
 * oldest first, and the announced record to keep once they are claimed (pruned to the horizon).
 * Pure: the caller saves the record before sending, so each event is sent once.
 */
export function subscriberAnnouncements(input: SubscriberAnnouncementsInput): {
  due: SubscriberAnnouncement[];
  announced: AnnouncedEvents;
} {
  const since = input.nowMs - (input.horizonMs ?? DEFAULT_ANNOUNCE_HORIZON_MS);
  const within = (at: number) => at >= since && at <= input.nowMs;
  const events: SubscriberAnnouncement[] = [];
  const link = input.pageUrl ? ['', `Status page: ${input.pageUrl}`] : [];
  for (const incident of input.incidents) {
    incident.updates.forEach((update, index) => {
      if (!within(update.at)) return;
      const what = index === 0 ? 'New incident' : update.status === 'resolved' ? 'Resolved' : 'Update';
      events.push({
        key: `incident:${incident.id}:${index}`,
        at: update.at,
        subject: subject(input.title, `${what}: ${incident.title}`),
        text: [
          `${what}: ${incident.title}`,
          `Status: ${update.status}`,
          `Affects: ${incident.endpoints.join(', ') || 'all services'}`,
          `At: ${utc(update.at)}`,
          '',
          update.message,
          ...link,
        ].join('\n'),
      });
    });
  }
  for (const period of periodsBetween(input.windows, since, input.nowMs + 1)) {
    const affects = `Affects: ${period.endpoints?.join(', ') || 'all services'}`;
    const until = `Planned: ${utc(period.start)} to ${utc(period.end)}`;
    if (within(period.start))
      events.push({
        key: `maintenance:${period.name}:${period.start}:start`,
        at: period.start,
        subject: subject(input.title, `Maintenance started: ${period.name}`),
        text: [`Maintenance started: ${period.name}`, affects, until, ...link].join('\n'),
      });
    if (within(period.end))
      events.push({
        key: `maintenance:${period.name}:${period.start}:end`,
        at: period.end,
        subject: subject(input.title, `Maintenance ended: ${period.name}`),
        text: [`Maintenance ended: ${period.name}`, affects, until, ...link].join('\n'),
      });
  }
  const due = events
    .filter((event) => input.announced[event.key] === undefined)
    .sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
  const announced: AnnouncedEvents = {};
  for (const [key, at] of Object.entries(input.announced)) if (at >= since) announced[key] = at;
  for (const event of due) announced[event.key] = event.at;
  return { due, announced };
}

/** `Title: what`, ASCII only and under 100 characters, as SNS requires of an e-mail subject. */
function subject(title: string, what: string): string {
  // Accents come off their letters (é -> e) before what is still not ASCII is dropped.
  const ascii = `${title}: ${what}`
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .trim();
  return (ascii || 'Status update').slice(0, 99);
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
