/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { type PageSettings, pageSettings } from '../core/summary/page-settings.js';
import type { StatusSummary } from '../core/summary/summary-types.js';
import { checkSettings, checkSummary } from './check-summary.js';
import { el } from './dom.js';
import { formatRelative, formatTime } from './format.js';
import { latencySeries, RANGES, type Range } from './latency-series.js';
import { DataLoadError, loadJson } from './load-json.js';
import { renderEndpoint } from './render-endpoint.js';
import { renderLatencyChart } from './render-latency-chart.js';
import { renderText } from './render-text.js';
import { renderTimeline } from './render-timeline.js';
import { asNotReporting, formatClock, isStale } from './stale.js';
import { overallStatus, utcDay } from './uptime.js';

const SUMMARY_URL = '/data/summary.json';
const SETTINGS_URL = '/data/page.json';

const byId = (id: string) => document.getElementById(id) as HTMLElement;

let settings: PageSettings = pageSettings();
let summary: StatusSummary | undefined;
let range: Range = '24h';

/** Loads the settings and the summary (two requests), draws the page, and refreshes it on a timer. */
async function start(): Promise<void> {
  setUpRangeControl();
  const [loadedSettings] = await Promise.all([
    loadJson(SETTINGS_URL, (value) => checkSettings(value, settings)).catch(() => settings),
    refresh(),
  ]);
  settings = loadedSettings;
  drawHeader();
  if (summary) drawSummary(summary);
  scheduleRefresh();
}

async function refresh(): Promise<void> {
  try {
    summary = await loadJson(SUMMARY_URL, checkSummary);
    drawSummary(summary);
  } catch (error) {
    showLoadError(error);
  } finally {
    document.documentElement.dataset.state = summary ? 'ready' : 'failed';
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
  const description = byId('description');
  description.replaceChildren(...renderText(settings.description ?? ''));
  description.hidden = !settings.description;
}

function drawSummary(stored: StatusSummary): void {
  const now = Date.now();
  // With no run stored for two intervals the statuses say nothing of now: all shown unknown.
  const stale = isStale(stored, settings, now);
  const data = stale ? asNotReporting(stored) : stored;
  const today = utcDay(data.updated);
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

  const list = byId('endpoints');
  const cards = [...list.children];
  // A refresh redraws the cards: keep what the reader had open, selected and focused.
  const open = new Set(
    [...list.querySelectorAll<HTMLDetailsElement>('details.runs[open]')].map(
      (details) => details.dataset.title,
    ),
  );
  const selectedDays = new Map<string, string>();
  data.endpoints.forEach((endpoint, index) => {
    const day = cards[index]?.querySelector<HTMLElement>('.days')?.dataset.selectedDay;
    if (day && cards[index]?.querySelector('h3')?.textContent === endpoint.title)
      selectedDays.set(endpoint.title, day);
  });
  const active = document.activeElement;
  const focusedCard = active ? cards.findIndex((card) => card.contains(active)) : -1;
  const focusedPart = active?.matches('.days')
    ? '.days'
    : active?.matches('summary')
      ? 'details.runs > summary'
      : '';
  const context = {
    now,
    today,
    lastRun: data.lastRun,
    range,
    events: data.timeline,
    recentRuns: data.recentRuns,
    selectedDays,
  };
  list.replaceChildren(...data.endpoints.map((endpoint) => renderEndpoint(endpoint, context)));
  for (const details of list.querySelectorAll<HTMLDetailsElement>('details.runs'))
    if (open.has(details.dataset.title)) details.open = true;
  if (focusedCard >= 0 && focusedPart)
    list.children[focusedCard]?.querySelector<HTMLElement>(focusedPart)?.focus({ preventScroll: true });
  byId('timeline').replaceChildren(renderTimeline(data.timeline));
  performance.mark('checkup-rendered');
  // The frame after this one is when the reader sees it: mark it for the bench.
  requestAnimationFrame(() => setTimeout(() => performance.mark('checkup-painted')));
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
    summary ? `Showing older data. ${reason}` : reason,
  );
  byId('notices').replaceChildren(notice);
  if (!summary) {
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
    if (!summary) return;
    const at = { today: utcDay(summary.updated), lastRun: summary.lastRun };
    const cards = byId('endpoints').children;
    summary.endpoints.forEach((endpoint, index) => {
      const figure = cards[index]?.querySelector('figure.latency');
      figure?.replaceWith(
        renderLatencyChart(latencySeries(endpoint, range, at), range, endpoint.thresholdMs),
      );
    });
  });
}

void start();
