import type { EndpointSummary, TimelineEvent } from '../core/summary/summary-types.js';
import { el } from './dom.js';
import { formatMs, formatPercent } from './format.js';
import { dayStatus, dayWindow, utcDay } from './uptime.js';

const STATUS_WORDS = { healthy: 'up', degraded: 'degraded', down: 'down' } as const;

/**
 * The 90-day bar: one mark per UTC day, coloured by its worst status. Pointing at a day,
 * tapping it, or focusing the bar and using the arrow keys shows that day's uptime, latency and
 * incidents in a live region below it (one tab stop for the whole bar, not ninety).
 */
export function renderDayBar(
  endpoint: EndpointSummary,
  events: readonly TimelineEvent[],
  today: string,
): HTMLElement {
  const window = dayWindow(endpoint.days, today, 90);
  const detail = el(
    'p',
    { class: 'day-detail', 'aria-live': 'polite' },
    'Point at, tap or focus a day for details',
  );
  const marks = window.map(({ day, summary }, index) =>
    el('span', {
      class: `day day--${summary ? dayStatus(summary) : 'none'}`,
      'data-index': String(index),
      'data-day': day,
    }),
  );
  const bar = el(
    'div',
    {
      class: 'days',
      tabindex: '0',
      role: 'group',
      'aria-label': `${endpoint.title}: daily status for the last 90 days; use the arrow keys to read each day`,
    },
    ...marks,
  );
  let selected = -1;
  const select = (index: number) => {
    const clamped = Math.max(0, Math.min(window.length - 1, index));
    marks[selected]?.classList.remove('day--selected');
    selected = clamped;
    marks[selected]?.classList.add('day--selected');
    const entry = window[selected];
    if (entry) detail.replaceChildren(...describeDay(entry.day, entry.summary, endpoint.title, events));
  };
  const indexOf = (target: EventTarget | null) =>
    target instanceof HTMLElement && target.dataset.index !== undefined ? Number(target.dataset.index) : -1;
  bar.addEventListener('pointerover', (event) => {
    const index = indexOf(event.target);
    if (index >= 0) select(index);
  });
  bar.addEventListener('pointerdown', (event) => {
    const index = indexOf(event.target);
    if (index >= 0) select(index);
  });
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
  return el(
    'div',
    { class: 'history' },
    el(
      'div',
      { class: 'days-legend', 'aria-hidden': 'true' },
      el('span', null, '90 days ago'),
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
  if (!summary || summary.checks === 0) return [head, document.createTextNode(': no checks')];
  const up = (summary.checks - summary.down) / summary.checks;
  const parts = [
    `${formatPercent(up)} up`,
    `${summary.checks} checks`,
    summary.down > 0 ? `${summary.down} down` : '',
    summary.degraded > 0 ? `${summary.degraded} degraded` : '',
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
  return nodes;
}
