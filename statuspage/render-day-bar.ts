import type { EndpointSummary, TimelineEvent } from '../core/summary/summary-types.js';
import { el } from './dom.js';
import { formatMs, formatPercent } from './format.js';
import { dayStatus, dayWindow, utcDay } from './uptime.js';

const STATUS_WORDS = { healthy: 'up', degraded: 'degraded', down: 'down' } as const;
const DAYS = 90;

/** Hard colour stops, one per run of days with the same status; colours come from the CSS theme. */
export function gradient(statuses: readonly string[]): string {
  const stops: string[] = [];
  const at = (i: number) => `${((i * 100) / statuses.length).toFixed(3)}%`;
  let start = 0;
  statuses.forEach((status, i) => {
    if (statuses[i + 1] === status) return;
    stops.push(`var(--${status}-bar) ${at(start)} ${at(i + 1)}`);
    start = i + 1;
  });
  return `linear-gradient(to right, ${stops.join(', ') || 'transparent 0 100%'})`;
}

/**
 * The 90-day bar: one stretch per UTC day, coloured by its worst status. It is one element
 * painted with a gradient (runs of same-coloured days merged), not ninety: fifty endpoints
 * would otherwise cost 4,500 nodes to lay out at every refresh. Pointing at a day, tapping
 * it, or focusing the bar and using the arrow keys shows that day's uptime, latency and
 * incidents in a live region below it (one tab stop for the whole bar). `selectedDay` is the day
 * to show at once, when a refresh redraws a bar the reader was using.
 */
export function renderDayBar(
  endpoint: Pick<EndpointSummary, 'days' | 'title'>,
  events: readonly TimelineEvent[],
  today: string,
  selectedDay?: string,
): HTMLElement {
  const window = dayWindow(endpoint.days, today, DAYS);
  // A day whose every check fell in a maintenance window has its own colour (no uptime that day).
  const statuses = window.map(({ summary }) =>
    summary
      ? summary.checks === 0 && (summary.maintenance ?? 0) > 0
        ? 'maintenance'
        : dayStatus(summary)
      : 'none',
  );
  const detail = el(
    'p',
    { class: 'day-detail', 'aria-live': 'polite' },
    'Point at, tap or focus a day for details',
  );
  const marker = el('span', { class: 'day-marker', hidden: '' });
  const bar = el(
    'div',
    {
      class: 'days',
      tabindex: '0',
      role: 'group',
      'data-days': String(window.length),
      'aria-label': `${endpoint.title}: daily status for the last ${DAYS} days; use the arrow keys to read each day`,
    },
    marker,
  );
  bar.style.backgroundImage = `${gradient(statuses)}`;
  let selected = -1;
  const select = (index: number) => {
    selected = Math.max(0, Math.min(window.length - 1, index));
    bar.dataset.selectedDay = window[selected]?.day;
    marker.hidden = false;
    marker.style.left = `${(selected * 100) / window.length}%`;
    marker.style.width = `${100 / window.length}%`;
    const entry = window[selected];
    if (entry) detail.replaceChildren(...describeDay(entry.day, entry.summary, endpoint.title, events));
  };
  const pointAt = (event: PointerEvent) => {
    const box = bar.getBoundingClientRect();
    if (box.width > 0) select(Math.floor(((event.clientX - box.left) / box.width) * window.length));
  };
  bar.addEventListener('pointermove', pointAt);
  bar.addEventListener('pointerdown', pointAt);
  bar.addEventListener('focus', () => {
    if (selected < 0) select(window.length - 1);
  });
  bar.addEventListener('keydown', (event) => {
    const moves: Record<string, number> = {
      ArrowLeft: selected - 1,
      ArrowRight: selected + 1,
      Home: 0,
      End: window.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(next);
  });
  // A refresh redraws the bar: keep the day the reader was looking at.
  const kept = selectedDay === undefined ? -1 : window.findIndex((entry) => entry.day === selectedDay);
  if (kept >= 0) select(kept);
  return el(
    'div',
    { class: 'history' },
    el(
      'div',
      { class: 'days-legend', 'aria-hidden': 'true' },
      el('span', null, `${DAYS} days ago`),
      el('span', null, 'today'),
    ),
    bar,
    detail,
  );
}

function describeDay(
  day: string,
  summary: EndpointSummary['days'][number] | undefined,
  title: string,
  events: readonly TimelineEvent[],
): Node[] {
  const head = el('strong', null, day);
  const inMaintenance = summary?.maintenance ? `${summary.maintenance} checks in maintenance` : '';
  if (!summary || summary.checks === 0)
    return [head, document.createTextNode(`: ${inMaintenance || 'no checks'}`), ...pastIncidentsLink(day)];
  const up = (summary.checks - summary.down) / summary.checks;
  const parts = [
    `${formatPercent(up)} up`,
    `${summary.checks} checks`,
    summary.down > 0 ? `${summary.down} down` : '',
    summary.degraded > 0 ? `${summary.degraded} degraded` : '',
    inMaintenance,
    `median ${formatMs(summary.p50)}`,
  ].filter(Boolean);
  const incidents = events
    .filter((event) => event.title === title && utcDay(event.t) === day)
    .sort((a, b) => a.t - b.t)
    .map((event) => {
      const time = new Date(event.t).toISOString().slice(11, 16);
      return event.kind === 'status' && event.status
        ? `${time} ${STATUS_WORDS[event.status]}`
        : `${time} message: ${event.text ?? ''}`;
    });
  const nodes: Node[] = [head, document.createTextNode(`: ${parts.join(', ')}`)];
  if (incidents.length > 0) nodes.push(document.createTextNode(`. Incidents (UTC): ${incidents.join('; ')}`));
  return [...nodes, ...pastIncidentsLink(day)];
}

/** A link from a day to the incident history, when the page shows one. */
function pastIncidentsLink(day: string): Node[] {
  if (!document.getElementById('past-incidents')) return [];
  return [
    document.createTextNode(' '),
    el('a', { href: '#past-incidents', 'data-day': day }, 'Incident history'),
  ];
}
