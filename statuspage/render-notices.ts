/// <reference lib="dom" />
import type { Incident } from '../core/incidents/incident.js';
import type { PublicNotices } from '../core/incidents/public-notices.js';
import { el } from './dom.js';
import { formatTime } from './format.js';
import { renderText } from './render-text.js';

/**
 * Maintenance under way and within 7 days, then open incidents with their updates (newest
 * first), then past incidents (90 days) folded away. Text only: nothing is parsed as HTML.
 */
export function renderNotices(notices: PublicNotices, now: number): HTMLElement[] {
  const parts: HTMLElement[] = [];
  if (notices.maintenance.length > 0)
    parts.push(
      el(
        'section',
        { class: 'maintenance', 'aria-labelledby': 'maintenance-heading' },
        el('h2', { id: 'maintenance-heading' }, 'Maintenance'),
        el(
          'ul',
          null,
          ...notices.maintenance.map((period) =>
            el(
              'li',
              { class: period.start <= now ? 'maintenance--now' : 'maintenance--next' },
              el('strong', null, period.start <= now ? 'Under way: ' : 'Scheduled: '),
              period.name,
              ` (${period.endpoints?.join(', ') ?? 'all endpoints'}), `,
              `${formatTime(period.start)} to ${formatTime(period.end)}`,
            ),
          ),
        ),
      ),
    );
  const open = notices.incidents.filter((incident) => incident.status !== 'resolved');
  const past = notices.incidents.filter((incident) => incident.status === 'resolved');
  if (open.length > 0 || past.length > 0)
    parts.push(
      el(
        'section',
        { class: 'incidents', 'aria-labelledby': 'incidents-heading', id: 'incidents' },
        el('h2', { id: 'incidents-heading' }, open.length > 0 ? 'Incidents' : 'No open incidents'),
        ...open.map(renderIncident),
        past.length > 0
          ? el(
              'details',
              { class: 'incidents--past', id: 'past-incidents' },
              el('summary', null, `Past incidents (${past.length}, last 90 days)`),
              ...past.map(renderIncident),
            )
          : null,
      ),
    );
  return parts;
}

function renderIncident(incident: Incident): HTMLElement {
  return el(
    'article',
    { class: `incident incident--${incident.status}`, id: `incident-${incident.id}` },
    el('h3', null, incident.title, el('span', { class: 'incident-status' }, ` ${incident.status}`)),
    incident.endpoints.length > 0
      ? el('p', { class: 'incident-affects' }, `Affects ${incident.endpoints.join(', ')}`)
      : null,
    el(
      'ol',
      { class: 'incident-updates', reversed: '' },
      ...[...incident.updates]
        .reverse()
        .map((update) =>
          el(
            'li',
            null,
            el('time', { datetime: new Date(update.at).toISOString() }, formatTime(update.at)),
            ' ',
            el('strong', null, update.status),
            ': ',
            ...renderText(update.message),
          ),
        ),
    ),
  );
}
