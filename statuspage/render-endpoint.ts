import type { EndpointStatus } from '../core/summary/page-document-types.js';
import type { TimelineEvent } from '../core/summary/summary-types.js';
import { el } from './dom.js';
import { formatPercent, formatRelative, formatTime } from './format.js';
import { latencySeries, type Range } from './latency-series.js';
import type { PageEndpoint } from './page-endpoint.js';
import { renderDayBar } from './render-day-bar.js';
import { renderLatencyChart } from './render-latency-chart.js';
import { renderRegions } from './render-regions.js';
import { renderRunDetail } from './render-run-detail.js';
import { renderText } from './render-text.js';

/** Status names as shown to people. */
export const STATUS_LABELS: Record<EndpointStatus, string> = {
  healthy: 'Operational',
  degraded: 'Degraded',
  down: 'Down',
  unknown: 'Unknown',
};

export interface EndpointContext {
  now: number;
  today: string;
  /** The newest run's time (unix ms): the end of the 24-hour chart. */
  lastRun: number;
  range: Range;
  events: readonly TimelineEvent[];
  recentRuns: readonly string[];
  /** The day each endpoint's bar showed before a refresh, by title. */
  selectedDays?: ReadonlyMap<string, string>;
}

/**
 * One endpoint's card: status, uptime, 90-day bar, latency chart and the facts around them. The
 * uptime figures come from the overview; the bar and chart from the history fetched so far.
 */
export function renderEndpoint(endpoint: PageEndpoint, context: EndpointContext): HTMLElement {
  const { now, today } = context;
  const heading = el('h3', null, endpoint.title);
  const state = el(
    'p',
    { class: 'state' },
    el('span', { class: `status status--${endpoint.status}` }, STATUS_LABELS[endpoint.status]),
    ' since ',
    el(
      'time',
      { datetime: new Date(endpoint.since).toISOString(), title: formatTime(endpoint.since) },
      formatRelative(endpoint.since, now),
    ),
  );
  const notes = [endpoint.reason, endpoint.error, endpoint.notice, endpoint.message].filter(
    (text): text is string => !!text,
  );
  const uptimes: Array<[string, number | undefined]> = [
    ['24 h', endpoint.uptime.h24],
    ['7 d', endpoint.uptime.d7],
    ['30 d', endpoint.uptime.d30],
    ['90 d', endpoint.uptime.d90],
  ];
  const facts: Array<Node | string> = [
    'Last check ',
    el(
      'time',
      { datetime: new Date(endpoint.lastCheck).toISOString(), title: formatTime(endpoint.lastCheck) },
      formatRelative(endpoint.lastCheck, now),
    ),
  ];
  if (endpoint.cert) {
    const expired = endpoint.cert.expires <= now;
    facts.push(
      ' · TLS certificate ',
      el(
        'time',
        { datetime: new Date(endpoint.cert.expires).toISOString(), class: expired ? 'bad' : undefined },
        expired
          ? `expired ${formatRelative(endpoint.cert.expires, now)}`
          : `expires ${formatRelative(endpoint.cert.expires, now)}`,
      ),
    );
  }
  // Summaries written before regions voted list names only: those are not a breakdown.
  const regions = (endpoint.regions ?? []).filter((region) => typeof region === 'object');

  const bar = renderDayBar(endpoint, context.events, today, context.selectedDays?.get(endpoint.title));
  if (!endpoint.historyLoaded) bar.setAttribute('aria-busy', 'true');
  return el(
    'li',
    {
      class: `endpoint endpoint--${endpoint.status}`,
      'data-title': endpoint.title,
      'data-block': String(endpoint.block),
      'data-history': endpoint.historyLoaded ? 'loaded' : undefined,
      'data-recent': endpoint.recentLoaded ? 'loaded' : undefined,
    },
    el(
      'article',
      { 'aria-label': endpoint.title },
      el('header', { class: 'endpoint-head' }, heading, state),
      el('p', { class: 'endpoint-url' }, endpoint.endpoint),
      ...notes.map((text) => el('p', { class: 'note' }, ...renderText(text))),
      el(
        'dl',
        { class: 'uptime' },
        ...uptimes.map(([label, share]) =>
          el('div', null, el('dt', null, `Uptime ${label}`), el('dd', null, formatPercent(share))),
        ),
      ),
      bar,
      renderLatencyChart(
        latencySeries(endpoint, context.range, { today, lastRun: context.lastRun }),
        context.range,
        endpoint.thresholdMs,
      ),
      el('p', { class: 'facts' }, ...facts),
      ...(regions.length > 0 ? [renderRegions(regions)] : []),
      renderRunDetail(endpoint.title, context.recentRuns),
    ),
  );
}
