/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

import type { PublicNotices } from '../core/incidents/public-notices.js';
import { startsCompact } from '../core/summary/group-endpoints.js';
import {
  OVERVIEW_NAME,
  type OverviewEndpoint,
  overviewPartName,
  type StatusOverview,
} from '../core/summary/page-document-types.js';
import { type PageSettings, pageSettings } from '../core/summary/page-settings.js';
import { checkOverview, checkOverviewPart, checkSettings } from './check-summary.js';
import { el } from './dom.js';
import { formatRelative, formatTime } from './format.js';
import { HistoryStore } from './history-store.js';
import { latencySeries, RANGES, type Range } from './latency-series.js';
import { DataLoadError, loadJson } from './load-json.js';
import { type PageEndpoint, pageEndpoint } from './page-endpoint.js';
import { type PageSection, pageSections } from './page-sections.js';
import { renderCompactRow } from './render-compact-row.js';
import { type EndpointContext, renderEndpoint } from './render-endpoint.js';
import { renderGroup } from './render-group.js';
import { renderLatencyChart } from './render-latency-chart.js';
import { renderNotices } from './render-notices.js';
import { renderSubscribeForm } from './render-subscribe-form.js';
import { renderText } from './render-text.js';
import { renderTimeline } from './render-timeline.js';
import { asNotReporting, formatClock, isStale } from './stale.js';
import { overallStatus, utcDay } from './uptime.js';
import { readViewChoice, saveViewChoice, type View } from './view-choice.js';

const OVERVIEW_URL = `/data/${OVERVIEW_NAME}`;
const SETTINGS_URL = '/data/page.json';
const NOTICES_URL = '/data/notices.json';
/** Cards drawn at a time: more are drawn as the reader scrolls to the end of the list. */
const PAGE_SIZE = 50;
/** A compact row's and a card's usual height with the gap after it (rem), as style.css sets them. */
const ROW_REM = 3;
const CARD_REM = 22.75;

const byId = (id: string) => document.getElementById(id) as HTMLElement;

let settings: PageSettings = pageSettings();
let overview: StatusOverview | undefined;
/** The overview as drawn: every status unknown while monitoring is not reporting. */
let shownOverview: StatusOverview | undefined;
let range: Range = '7d';
let query = '';
/** How many of each section's matching endpoints are drawn, by group (PAGE_SIZE until scrolled). */
const shown = new Map<string | undefined, number>();
/** The view the reader chose (a link, a button, or remembered); else it follows the endpoint count. */
let viewChoice: View | undefined = readViewChoice();
/** Groups the reader opened (true) or closed (false), by name; the others follow their status. */
const groupChoices = new Map<string | undefined, boolean>();
/** The section each drawn list (or its "more" item) shows, to fill it or draw more later. */
const sectionOf = new WeakMap<Element, PageSection>();
const history = new HistoryStore();

/** Loads the settings and the overview (two requests), draws the page, and refreshes it on a timer. */
async function start(): Promise<void> {
  setUpRangeControl();
  setUpViewControl();
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
    overview = await loadOverview();
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

/**
 * The overview; above 200 endpoints its endpoints are in parts, one per segment of 500
 * (`/data/overview/<segment>.json`), fetched at once and joined in order.
 */
async function loadOverview(): Promise<StatusOverview> {
  const index = await loadJson(OVERVIEW_URL, checkOverview);
  if (!index.parts) return index;
  const parts = await Promise.all(
    index.parts.map((block) => loadJson(`/data/${overviewPartName(block)}`, checkOverviewPart)),
  );
  return { ...index, endpoints: parts.flatMap((part) => part.endpoints) };
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

/** Draws more of the list when its end comes near the screen. */
const nearEnd = new IntersectionObserver((entries) => {
  if (!overview) return;
  const section = entries.find((entry) => entry.isIntersecting && sectionOf.has(entry.target))?.target;
  if (section) growSection(sectionOf.get(section) as PageSection);
});

/**
 * Fills an open group's list when it comes near the screen: with many groups open (every one
 * unknown while monitoring is not reporting), only those the reader reaches are drawn.
 */
const nearGroup = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      const list = entry.target as HTMLElement;
      // Groups filled earlier in this batch may have pushed this one away: measure again.
      if (
        !entry.isIntersecting ||
        list.dataset.filled ||
        list.getBoundingClientRect().top > innerHeight + 800
      )
        continue;
      nearGroup.unobserve(list);
      if (shownOverview) fillSection(list, context(shownOverview));
    }
  },
  { rootMargin: '800px 0px' },
);

function loadHistoryFor(block: number): void {
  if (!overview) return;
  const lastRun = overview.lastRun;
  const loads = [history.loadDays(block)];
  // Only cards have a latency chart: rows in the compact view need the days alone.
  if (range === '24h' && currentView(overview) === 'cards')
    loads.push(history.loadRecent(block, lastRun, overview.openHoursFrom !== undefined));
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

function context(data: StatusOverview): EndpointContext {
  return {
    now: Date.now(),
    today: utcDay(data.updated),
    lastRun: data.lastRun,
    range,
    events: data.timeline,
    recentRuns: data.recentRuns,
  };
}

/** The view shown: the reader's choice, else compact above COMPACT_VIEW_ABOVE endpoints. */
function currentView(data: StatusOverview): View {
  return startsCompact(data.endpoints.length, viewChoice === undefined ? undefined : viewChoice === 'compact')
    ? 'compact'
    : 'cards';
}

/** A card or a compact row, as the view asks. */
function renderItem(endpoint: OverviewEndpoint, shared: EndpointContext): HTMLElement {
  const shownEndpoint = withHistory(endpoint, shared.lastRun);
  return currentView(shownOverview ?? (overview as StatusOverview)) === 'compact'
    ? renderCompactRow(shownEndpoint, shared)
    : renderEndpoint(shownEndpoint, shared);
}

/** Draws a section's first endpoints into its list, and a "more" item observed to draw the next. */
function fillSection(list: HTMLElement, shared: EndpointContext): void {
  const section = sectionOf.get(list);
  if (!section) return;
  const visible = section.found.slice(0, shown.get(section.name) ?? PAGE_SIZE);
  const items = visible.map((endpoint) => {
    const item = renderItem(endpoint, shared);
    onScreen.observe(item);
    return item;
  });
  if (section.found.length > visible.length) {
    const rest = `${section.found.length - visible.length} more…`;
    // In a group the rest waits for a click: drawing it on scrolling would keep the groups below
    // out of reach. The one list of an ungrouped page grows as the reader scrolls.
    const inGroup = list.closest('details.group') !== null;
    const more = el('li', { class: 'more' }, inGroup ? el('button', { type: 'button' }, rest) : rest);
    sectionOf.set(more, section);
    if (inGroup) more.addEventListener('click', () => growSection(section, visible.length));
    else nearEnd.observe(more);
    items.push(more);
  }
  list.replaceChildren(...items);
  list.dataset.filled = 'yes';
  list.style.minHeight = '';
}

/**
 * Draws the next PAGE_SIZE endpoints of a section. From the "more" button of a group (`focusAt`,
 * the first new one), the focus moves to that endpoint's bar, as the button it was on is gone.
 */
function growSection(section: PageSection, focusAt?: number): void {
  shown.set(section.name, (shown.get(section.name) ?? PAGE_SIZE) + PAGE_SIZE);
  if (!overview) return;
  drawList(shownOverview ?? overview);
  if (focusAt === undefined) return;
  const group = [...byId('endpoints').querySelectorAll<HTMLElement>('details.group')].find(
    (details) => details.dataset.group === section.name,
  );
  group?.querySelectorAll('li.endpoint')[focusAt]?.querySelector<HTMLElement>('.days')?.focus();
}

/**
 * Draws the endpoints: one list when no endpoint has a group, else a collapsible section per
 * group, those with a problem open (all open while searching) unless the reader chose. Open
 * groups are filled up to PAGE_SIZE endpoints at once and the rest as they come near the screen.
 */
function drawList(data: StatusOverview): void {
  const container = byId('endpoints');
  const compact = currentView(data) === 'compact';
  container.classList.toggle('compact', compact);
  byId('range').hidden = compact;
  for (const input of byId('view').querySelectorAll('input'))
    input.checked = input.value === (compact ? 'compact' : 'cards');
  // A redraw keeps what the reader had open, selected and focused, by endpoint and group.
  const open = new Set(
    [...container.querySelectorAll<HTMLDetailsElement>('details.runs[open]')].map(
      (details) => details.dataset.title,
    ),
  );
  const selectedDays = new Map<string, string>();
  for (const bar of container.querySelectorAll<HTMLElement>('.days[data-selected-day]')) {
    const title = bar.closest<HTMLElement>('li.endpoint')?.dataset.title;
    if (title && bar.dataset.selectedDay) selectedDays.set(title, bar.dataset.selectedDay);
  }
  const filledBefore = new Set(
    [...container.querySelectorAll<HTMLElement>('details.group')]
      .filter((group) => group.querySelector('ul[data-filled]'))
      .map((group) => group.dataset.group),
  );
  const active = document.activeElement;
  const focusedCard = active?.closest<HTMLElement>('li.endpoint')?.dataset.title;
  const focusedPart = active?.matches('.days')
    ? '.days'
    : active?.matches('summary')
      ? 'details.runs > summary'
      : '';
  const focusedGroup = active?.matches('summary.group-head')
    ? { name: active.closest<HTMLElement>('details.group')?.dataset.group }
    : undefined;

  const sections = pageSections(data.endpoints, query);
  const grouped = sections.some((section) => section.name !== undefined);
  const searching = query.trim() !== '';
  const shared = { ...context(data), selectedDays };
  nearEnd.disconnect();
  nearGroup.disconnect();
  let drawn = 0;
  const parts = sections.map((section) => {
    if (!grouped) {
      const list = el('ul', { class: 'endpoints' });
      sectionOf.set(list, section);
      fillSection(list, shared);
      return list;
    }
    const isOpen = searching || (groupChoices.get(section.name) ?? section.status !== 'healthy');
    const group = renderGroup(section, isOpen, searching);
    const list = group.querySelector('ul') as HTMLElement;
    sectionOf.set(list, section);
    // A click on the header (Enter and Space on it click too) is the reader's choice for that
    // group; opening one draws it at once (not on its toggle event, which creating one open fires).
    group.querySelector('summary')?.addEventListener('click', () => {
      groupChoices.set(section.name, !group.open);
      if (!group.open && !list.dataset.filled) fillSection(list, context(shownOverview ?? data));
    });
    if (isOpen && (drawn < PAGE_SIZE || filledBefore.has(section.name))) {
      fillSection(list, shared);
      drawn += list.children.length;
    } else if (isOpen) {
      // About the room it will take, so that filling the groups above the screen moves nothing on it.
      const rows = Math.min(section.found.length, shown.get(section.name) ?? PAGE_SIZE);
      list.style.minHeight = `${rows * (compact ? ROW_REM : CARD_REM)}rem`;
      nearGroup.observe(list);
    }
    return group;
  });
  container.replaceChildren(...parts);
  const found = sections.reduce((sum, section) => sum + section.found.length, 0);
  byId('search-count').textContent = !searching
    ? `${data.endpoints.length} endpoints`
    : `${found} of ${data.endpoints.length} endpoints match`;
  for (const details of container.querySelectorAll<HTMLDetailsElement>('details.runs'))
    if (open.has(details.dataset.title)) details.open = true;
  if (focusedCard && focusedPart)
    [...container.querySelectorAll<HTMLElement>('li.endpoint')]
      .find((card) => card.dataset.title === focusedCard)
      ?.querySelector<HTMLElement>(focusedPart)
      ?.focus({ preventScroll: true });
  if (focusedGroup)
    [...container.querySelectorAll<HTMLElement>('details.group')]
      .find((group) => group.dataset.group === focusedGroup.name)
      ?.querySelector('summary')
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
    const next = renderItem(endpoint, {
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
        if (history.days(block))
          void history
            .loadRecent(block, data.lastRun, data.openHoursFrom !== undefined)
            .then(() => redrawBlock(block));
  });
}

/** The compact / cards switch: radio buttons (arrow keys move between them), the choice remembered. */
function setUpViewControl(): void {
  byId('view').addEventListener('change', (event) => {
    const value = (event.target as HTMLInputElement).value;
    if (value !== 'compact' && value !== 'cards') return;
    viewChoice = value;
    saveViewChoice(value);
    if (overview) drawList(shownOverview ?? overview);
  });
}

function setUpSearch(): void {
  const input = byId('search') as HTMLInputElement;
  input.addEventListener('input', () => {
    query = input.value;
    shown.clear();
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
