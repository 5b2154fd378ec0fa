import { el } from './dom.js';
import { formatPercent } from './format.js';
import type { PageEndpoint } from './page-endpoint.js';
import { renderDayBar } from './render-day-bar.js';
import { type EndpointContext, STATUS_LABELS } from './render-endpoint.js';
import { renderText } from './render-text.js';

/**
 * One endpoint as a row of the compact view: name, status in words, 90-day uptime and the same
 * 90-day bar as its card (drawn from the same days), and the first note saying why when there is
 * one. It carries the card's classes and data attributes, so the page fetches and redraws rows
 * and cards alike.
 */
export function renderCompactRow(endpoint: PageEndpoint, context: EndpointContext): HTMLElement {
  const note = endpoint.reason ?? endpoint.error ?? endpoint.notice ?? endpoint.message;
  const bar = renderDayBar(
    endpoint,
    context.events,
    context.today,
    context.selectedDays?.get(endpoint.title),
  );
  if (!endpoint.historyLoaded) bar.setAttribute('aria-busy', 'true');
  return el(
    'li',
    {
      class: `endpoint endpoint--row endpoint--${endpoint.status}`,
      'data-title': endpoint.title,
      'data-block': String(endpoint.block),
      'data-history': endpoint.historyLoaded ? 'loaded' : undefined,
    },
    el(
      'article',
      { 'aria-label': endpoint.title },
      el('h3', null, endpoint.title),
      el(
        'p',
        { class: 'state' },
        el('span', { class: `status status--${endpoint.status}` }, STATUS_LABELS[endpoint.status]),
      ),
      el('p', { class: 'row-uptime' }, formatPercent(endpoint.uptime.d90), el('span', null, ' 90 d')),
      bar,
      note ? el('p', { class: 'note' }, ...renderText(note)) : null,
    ),
  );
}
