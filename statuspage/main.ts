/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

import type { PublicNotices } from '../core/incidents/public-notices.js';
import {
  OVERVIEW_NAME,
  type OverviewEndpoint,
  type StatusOverview,
} from '../core/summary/page-document-types.js';
import { type PageSettings, pageSettings } from '../core/summary/page-settings.js';
import { checkOverview, checkSettings } from './check-summary.js';
import { el } from './dom.js';
import { formatRelative, formatTime } from './format.js';
import { HistoryStore } from './history-store.js';
import { latencySeries, RANGES, type Range } from './latency-series.js';
import { DataLoadError, loadJson } from './load-json.js';
import { type PageEndpoint, pageEndpoint, problemsFirst } from './page-endpoint.js';
import { renderEndpoint } from './render-endpoint.js';
import { renderLatencyChart } from './render-latency-chart.js';
import { renderNotices } from './render-notices.js';
import { renderSubscribeForm } from './render-subscribe-form.js';
import { renderText } from './render-text.js';
import { renderTimeline } from './render-timeline.js';
import { asNotReporting, formatClock, isStale } from './stale.js';
import { overallStatus, utcDay } from './uptime.js';

const OVERVIEW_URL = `/data/${OVERVIEW_NAME}`;
const SETTINGS_URL = '/data/page.json';
const NOTICES_URL = '/data/notices.json';
/** Cards drawn at a time: more are drawn as the reader scrolls to the end of the list. */
const PAGE_SIZE = 50;

const byId = (id: string) => document.getElementById(id) as HTMLElement;

let settings: PageSettings = pageSettings();
let overview: StatusOverview | undefined;
/** The overview as drawn: every status unknown while monitoring is not reporting. */
let shownOverview: StatusOverview | undefined;
let range: Range = '7d';
let query = '';
/** How many of the matching endpoints are drawn. */
let shown = PAGE_SIZE;
const history = new HistoryStore();

/** Loads the settings and the overview (two requests), draws the page, and refreshes it on a timer. */
async function start(): Promise<void> {
  setUpRangeControl();
  setUpSearch();
  const [loadedSettings] = await Promise.all([
    loadJson(SETTINGS_URL, (value) => checkSettings(value, settings)).catch(() => settings),
    refresh(),
  ]);
  settings = loadedSettings;
  drawHeader();
  if (overview) drawOverview(overview);
  scheduleRefresh();
}

async function refresh(): Promise<void> {
  try {
    overview = await loadJson(OVERVIEW_URL, checkOverview);
    // Maintenance and incidents come after the statuses are drawn, so the first render stays at
    // three requests; they are optional: a host without them answers 404 and none are shown.
    void loadJson(NOTICES_URL, checkNotices).then(
      (notices) => byId('announcements').replaceChildren(...renderNotices(notices, Date.now())),
      () => byId('announcements').replaceChildren(),
    );
    history.refresh(overview.lastRun);
    drawOverview(overview);
  } catch (error) {
    showLoadError(error);
  } finally {
    document.documentElement.dataset.state = overview ? 'ready' : 'failed';
  }
}

function scheduleRefresh(): void {
  if (settings.refreshMs <= 0) return;
  setTimeout(async () => {
    await refresh();
    scheduleRefresh();
  }, settings.refreshMs);
}

function drawHeader(): void {
  byId('title').textContent = settings.title;
  // Only a deployment with subscriptions names where the form posts; without it, no form.
  if (settings.subscribeUrl) byId('subscribe').replaceChildren(renderSubscribeForm(settings.subscribeUrl));
  const description = byId('description');
  description.replaceChildren(...renderText(settings.description ?? ''));
  description.hidden = !settings.description;
}

function drawOverview(stored: StatusOverview): void {
  const now = Date.now();
  // With no run stored for two intervals the statuses say nothing of now: all shown unknown.
  const stale = isStale(stored, settings, now);
  const data = stale ? asNotReporting(stored) : stored;
  shownOverview = data;
  const overall = overallStatus(data.endpoints);
  const banner = byId('banner');
  banner.className = `banner banner--${data.endpoints.length === 0 ? 'unknown' : overall}`;
  banner.textContent =
    data.endpoints.length === 0
      ? 'No endpoints are checked yet'
      : overall === 'unknown'
        ? 'Status unknown'
        : settings.banners[overall];
  document.title = `${settings.title}: ${banner.textContent}`;

  byId('updated').replaceChildren(
    'Last checked ',
    el(
      'time',
      { datetime: new Date(data.lastRun).toISOString(), title: formatTime(data.lastRun) },
      formatRelative(data.lastRun, now),
    ),
    ` (${formatTime(data.lastRun)})`,
  );
  const notices = [];
  if (stale)
    notices.push(
      el(
        'p',
        { class: 'notice notice--stale', role: 'status' },
        el('strong', null, `Monitoring is not reporting since ${formatClock(data.lastRun)}. `),
        `The newest check ran ${formatRelative(data.lastRun, now)}; until checks report again every status is unknown.`,
      ),
    );
  byId('notices').replaceChildren(...notices);
  drawList(data);
  byId('timeline').replaceChildren(renderTimeline(data.timeline));
  performance.mark('checkup-rendered');
  // The frame after this one is when the reader sees it: mark it for the bench.
  requestAnimationFrame(() => setTimeout(() => performance.mark('checkup-painted')));
}

/** The endpoints matching the search, problems first. */
function matching(data: StatusOverview): OverviewEndpoint[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const found = data.endpoints.filter((endpoint) => {
    const name = endpoint.title.toLowerCase();
    return words.every((word) => name.includes(word));
  });
  return problemsFirst(found);
}

/** Cards are observed: the first time one comes near the screen, its block's history is fetched. */
const onScreen = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const card = entry.target as HTMLElement;
      onScreen.unobserve(card);
      loadHistoryFor(Number(card.dataset.block));
    }
  },
  { rootMargin: '400px 0px' },
);

/** Draws more cards when the end of the list comes near the screen. */
const nearEnd = new IntersectionObserver((entries) => {
  if (!overview || !entries.some((entry) => entry.isIntersecting)) return;
  shown += PAGE_SIZE;
  drawList(shownOverview ?? overview);
});

function loadHistoryFor(block: number): void {
  if (!overview) return;
  const lastRun = overview.lastRun;
  const loads = [history.loadDays(block)];
  if (range === '24h') loads.push(history.loadRecent(block, lastRun));
  void Promise.all(loads).then(
    () => redrawBlock(block),
    () => markBlockFailed(block),
  );
}

/** The endpoint with the history the page holds for it so far. */
function withHistory(endpoint: OverviewEndpoint, lastRun: number): PageEndpoint {
  // A block that arrived without this endpoint (new today) has no closed days or buckets for it.
  const days = history.days(endpoint.block);
  const recent = history.recent(endpoint.block, lastRun);
  return pageEndpoint(
    endpoint,
    days && (days.get(endpoint.title) ?? []),
    recent && (recent.get(endpoint.title) ?? []),
  );
}

function context(data: StatusOverview) {
  return {
    now: Date.now(),
    today: utcDay(data.updated),
    lastRun: data.lastRun,
    range,
    events: data.timeline,
    recentRuns: data.recentRuns,
  };
}

function drawList(data: StatusOverview): void {
  const list = byId('endpoints');
  const found = matching(data);
  const visible = found.slice(0, shown);
  // A redraw keeps what the reader had open, selected and focused, by endpoint.
  const open = new Set(
    [...list.querySelectorAll<HTMLDetailsElement>('details.runs[open]')].map(
      (details) => details.dataset.title,
    ),
  );
  const selectedDays = new Map<string, string>();
  for (const bar of list.querySelectorAll<HTMLElement>('.days[data-selected-day]')) {
    const title = bar.closest<HTMLElement>('li.endpoint')?.dataset.title;
    if (title && bar.dataset.selectedDay) selectedDays.set(title, bar.dataset.selectedDay);
  }
  const active = document.activeElement;
  const focusedCard = active?.closest<HTMLElement>('li.endpoint')?.dataset.title;
  const focusedPart = active?.matches('.days')
    ? '.days'
    : active?.matches('summary')
      ? 'details.runs > summary'
      : '';
  const shared = { ...context(data), selectedDays };
  const cards = visible.map((endpoint) => {
    const card = renderEndpoint(withHistory(endpoint, data.lastRun), shared);
    onScreen.observe(card);
    return card;
  });
  nearEnd.disconnect();
  const items: HTMLElement[] = [...cards];
  if (found.length > visible.length) {
    const more = el('li', { class: 'more' }, `${found.length - visible.length} more…`);
    nearEnd.observe(more);
    items.push(more);
  }
  list.replaceChildren(...items);
  byId('search-count').textContent =
    query.trim() === ''
      ? `${data.endpoints.length} endpoints`
      : `${found.length} of ${data.endpoints.length} endpoints match`;
  for (const details of list.querySelectorAll<HTMLDetailsElement>('details.runs'))
    if (open.has(details.dataset.title)) details.open = true;
  if (focusedCard && focusedPart)
    [...list.children]
      .find((card) => (card as HTMLElement).dataset.title === focusedCard)
      ?.querySelector<HTMLElement>(focusedPart)
      ?.focus({ preventScroll: true });
}

/** Redraws the drawn cards of a block once its history arrived. */
function redrawBlock(block: number): void {
  if (!overview) return;
  const data = shownOverview ?? overview;
  const byTitle = new Map(data.endpoints.map((endpoint) => [endpoint.title, endpoint]));
  const shared = context(data);
  for (const card of byId('endpoints').querySelectorAll<HTMLElement>(`li.endpoint[data-block="${block}"]`)) {
    const endpoint = byTitle.get(card.dataset.title ?? '');
    if (!endpoint) continue;
    const selectedDay = card.querySelector<HTMLElement>('.days')?.dataset.selectedDay;
    const open = card.querySelector<HTMLDetailsElement>('details.runs')?.open;
    const hadFocus = card.contains(document.activeElement);
    const next = renderEndpoint(withHistory(endpoint, data.lastRun), {
      ...shared,
      selectedDays: new Map(selectedDay ? [[endpoint.title, selectedDay]] : []),
    });
    const details = next.querySelector<HTMLDetailsElement>('details.runs');
    if (open && details) details.open = true;
    card.replaceWith(next);
    if (hadFocus) next.querySelector<HTMLElement>('.days')?.focus({ preventScroll: true });
  }
}

function markBlockFailed(block: number): void {
  for (const card of byId('endpoints').querySelectorAll<HTMLElement>(`li.endpoint[data-block="${block}"]`))
    card.querySelector('.history')?.setAttribute('data-history', 'failed');
}

function showLoadError(error: unknown): void {
  const reason =
    error instanceof DataLoadError
      ? error.kind === 'missing'
        ? `No status data yet: ${error.message}. Checks may not have been stored yet (run "checkup --store" or "checkup every 1m").`
        : error.kind === 'malformed'
          ? `The status data could not be read: ${error.message}.`
          : `The status data could not be loaded: ${error.message}. Retrying${settings.refreshMs > 0 ? ' shortly' : ' on reload'}.`
      : `The status data could not be shown: ${String(error)}`;
  const notice = el(
    'p',
    { class: 'notice notice--error', role: 'alert' },
    overview ? `Showing older data. ${reason}` : reason,
  );
  byId('notices').replaceChildren(notice);
  if (!overview) {
    const banner = byId('banner');
    banner.className = 'banner banner--unknown';
    banner.textContent = 'Status unknown';
  }
}

function setUpRangeControl(): void {
  const control = byId('range');
  control.addEventListener('change', (event) => {
    const target = event.target as HTMLInputElement;
    if (!(RANGES as readonly string[]).includes(target.value)) return;
    range = target.value as Range;
    if (!overview) return;
    const data = shownOverview ?? overview;
    const at = { today: utcDay(data.updated), lastRun: data.lastRun };
    const byTitle = new Map(data.endpoints.map((endpoint) => [endpoint.title, endpoint]));
    const blocks = new Set<number>();
    for (const card of byId('endpoints').querySelectorAll<HTMLElement>('li.endpoint')) {
      const endpoint = byTitle.get(card.dataset.title ?? '');
      if (!endpoint) continue;
      blocks.add(endpoint.block);
      const figure = card.querySelector('figure.latency');
      const shownEndpoint = withHistory(endpoint, data.lastRun);
      figure?.replaceWith(
        renderLatencyChart(latencySeries(shownEndpoint, range, at), range, endpoint.thresholdMs),
      );
    }
    // The 24-hour chart needs the recent hours of the blocks already shown.
    if (range === '24h')
      for (const block of blocks)
        if (history.days(block)) void history.loadRecent(block, data.lastRun).then(() => redrawBlock(block));
  });
}

function setUpSearch(): void {
  const input = byId('search') as HTMLInputElement;
  input.addEventListener('input', () => {
    query = input.value;
    shown = PAGE_SIZE;
    if (overview) drawList(shownOverview ?? overview);
  });
}

void start();

/** The notices document, or an error when its shape is not one (then nothing is shown). */
function checkNotices(value: unknown): PublicNotices {
  const notices = value as Partial<PublicNotices> | null;
  if (!Array.isArray(notices?.maintenance) || !Array.isArray(notices?.incidents))
    throw new Error('notices.json: not a notices document');
  return notices as PublicNotices;
}
