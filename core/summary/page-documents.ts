import { LATE_WINDOW_NS } from './apply-run-to-summary.js';
import {
  HISTORY_BLOCK_SIZE,
  type HistoryBlock,
  historyName,
  OVERVIEW_NAME,
  type OverviewEndpoint,
  RECENT_SLOTS,
  type RecentBlock,
  recentName,
  type StatusOverview,
} from './page-document-types.js';
import type { EndpointSummary, StatusSummary } from './summary-types.js';
import { uptime24h, uptimeDays, utcDay } from './uptime-figures.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/**
 * Blocks close a day one minute apart, in a cycle of this many: at 10,000 endpoints (200 blocks)
 * the day's history rewrite is spread over 200 runs (~450 KB each) instead of 90 MB in one.
 */
const STAGGER_BLOCKS = 240;

export interface PageDocumentOptions {
  /** The writer's late window (ns): a day is closed only once no late run can change it. */
  lateWindowNs?: number;
}

/** A result time the writer applied, by endpoint title: tells which recent hours changed. */
export interface TouchedResult {
  title: string;
  /** unix ms */
  t: number;
}

/** The block of the endpoint at `index` in the summary's (first-seen) order. */
export function blockOf(index: number): number {
  return Math.floor(index / HISTORY_BLOCK_SIZE);
}

/**
 * The newest UTC day a block's history document holds: the days before it are closed (their end
 * plus the late window is past), staggered one minute per block.
 */
export function historyThrough(lastRun: number, block: number, options: PageDocumentOptions = {}): string {
  const lateMs = (options.lateWindowNs ?? LATE_WINDOW_NS) / 1e6;
  const cutoff = lastRun - lateMs - (block % STAGGER_BLOCKS) * 60_000;
  return utcDay(Math.floor(cutoff / DAY_MS) * DAY_MS - DAY_MS);
}

/** The overview: every endpoint's current state and uptime, and the days newer than its block. */
export function overviewOf(summary: StatusSummary, options: PageDocumentOptions = {}): StatusOverview {
  const today = utcDay(summary.updated);
  const throughs = new Map<number, string>();
  const endpoints = summary.endpoints.map((endpoint, index): OverviewEndpoint => {
    const block = blockOf(index);
    let through = throughs.get(block);
    if (through === undefined) {
      through = historyThrough(summary.lastRun, block, options);
      throughs.set(block, through);
    }
    const entry: OverviewEndpoint = {
      title: endpoint.title,
      endpoint: endpoint.endpoint,
      status: endpoint.status,
      since: endpoint.since,
      lastCheck: endpoint.lastCheck,
      uptime: uptimeOf(endpoint, today),
      block,
      days: endpoint.days.filter((day) => day.day > (through as string)),
    };
    for (const key of ['thresholdMs', 'error', 'notice', 'message', 'cert', 'group'] as const)
      if (endpoint[key] !== undefined) Object.assign(entry, { [key]: endpoint[key] });
    // Each region's view as the vote left it; a summary from before votes holds bare names.
    const regions = (endpoint.regions ?? []).filter((region) => typeof region === 'object');
    if (regions.length > 0)
      entry.regions = regions
        .map((region) => ({ ...region }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return entry;
  });
  const overview: StatusOverview = {
    version: 2,
    updated: summary.updated,
    lastRun: summary.lastRun,
    historyBlockSize: HISTORY_BLOCK_SIZE,
    endpoints,
    timeline: summary.timeline,
    recentRuns: summary.recentRuns,
  };
  if (summary.intervalMs !== undefined) overview.intervalMs = summary.intervalMs;
  return overview;
}

function uptimeOf(endpoint: EndpointSummary, today: string): OverviewEndpoint['uptime'] {
  const figures: OverviewEndpoint['uptime'] = {};
  const round = (share: number | undefined) =>
    share === undefined ? undefined : Math.round(share * 1e6) / 1e6;
  const set = (key: keyof OverviewEndpoint['uptime'], share: number | undefined) => {
    const value = round(share);
    if (value !== undefined) figures[key] = value;
  };
  set('h24', uptime24h(endpoint.recent));
  set('d7', uptimeDays(endpoint.days, today, 7));
  set('d30', uptimeDays(endpoint.days, today, 30));
  set('d90', uptimeDays(endpoint.days, today, 90));
  return figures;
}

/** A block's closed days. */
export function historyBlockOf(
  summary: StatusSummary,
  block: number,
  options: PageDocumentOptions = {},
): HistoryBlock {
  const through = historyThrough(summary.lastRun, block, options);
  return {
    version: 2,
    block,
    through,
    endpoints: endpointsOf(summary, block)
      .map((endpoint) => ({ title: endpoint.title, days: endpoint.days.filter((day) => day.day <= through) }))
      .filter((entry) => entry.days.length > 0),
  };
}

/** A block's five-minute buckets of the hour starting at `hour` (unix ms). */
export function recentBlockOf(summary: StatusSummary, block: number, hour: number): RecentBlock {
  return {
    version: 2,
    block,
    hour,
    endpoints: endpointsOf(summary, block)
      .map((endpoint) => ({
        title: endpoint.title,
        recent: endpoint.recent.filter((bucket) => bucket.t >= hour && bucket.t < hour + HOUR_MS),
      }))
      .filter((entry) => entry.recent.length > 0),
  };
}

function endpointsOf(summary: StatusSummary, block: number): EndpointSummary[] {
  return summary.endpoints.slice(block * HISTORY_BLOCK_SIZE, (block + 1) * HISTORY_BLOCK_SIZE);
}

function blockCount(summary: StatusSummary): number {
  return Math.ceil(summary.endpoints.length / HISTORY_BLOCK_SIZE);
}

/**
 * The page document named `name` (see page-document-types.ts), drawn from the summary; undefined
 * for a name that is not one or a block that does not exist. `checkup serve` answers with it.
 */
export function pageDocument(
  summary: StatusSummary,
  name: string,
  options: PageDocumentOptions = {},
): StatusOverview | HistoryBlock | RecentBlock | undefined {
  if (name === OVERVIEW_NAME) return overviewOf(summary, options);
  const history = /^history\/(\d{1,6})\.json$/.exec(name);
  if (history) {
    const block = Number(history[1]);
    return block < blockCount(summary) ? historyBlockOf(summary, block, options) : undefined;
  }
  const recent = /^recent\/(\d{1,6})-(\d{1,2})\.json$/.exec(name);
  if (recent) {
    const block = Number(recent[1]);
    const slot = Number(recent[2]);
    if (block >= blockCount(summary) || slot >= RECENT_SLOTS) return undefined;
    // The newest hour of that slot not after the newest run.
    const newest = Math.floor(summary.lastRun / HOUR_MS);
    const hourNumber = newest - ((((newest - slot) % RECENT_SLOTS) + RECENT_SLOTS) % RECENT_SLOTS);
    return recentBlockOf(summary, block, hourNumber * HOUR_MS);
  }
  return undefined;
}

/** What the writer remembers of the summary before it applied runs: enough to tell what moved. */
export interface PreviousShape {
  lastRun: number;
  /** Endpoint titles in order. */
  titles: readonly string[];
}

/** The shape of `summary` to compare with after applying runs to it in place. */
export function shapeOf(summary: StatusSummary): PreviousShape {
  return { lastRun: summary.lastRun, titles: summary.endpoints.map((endpoint) => endpoint.title) };
}

/**
 * The page documents to write after `previous` became `next` by applying results at `touched`:
 * the overview always; a block's history when its closed days moved or its endpoints changed;
 * a block's recent hour when a result in it was applied. With no `previous` (a first write, a
 * rebuild, a summary from before these documents), every document.
 */
export function pageDocumentsToWrite(
  previous: PreviousShape | undefined,
  next: StatusSummary,
  touched: Iterable<TouchedResult>,
  options: PageDocumentOptions = {},
): Map<string, StatusOverview | HistoryBlock | RecentBlock> {
  const documents = new Map<string, StatusOverview | HistoryBlock | RecentBlock>();
  documents.set(OVERVIEW_NAME, overviewOf(next, options));
  const windowStart = next.lastRun - DAY_MS;
  const addRecent = (block: number, t: number) => {
    if (t < windowStart - HOUR_MS) return;
    const hour = Math.floor(t / HOUR_MS) * HOUR_MS;
    const name = recentName(block, hour);
    if (!documents.has(name)) documents.set(name, recentBlockOf(next, block, hour));
  };
  for (let block = 0; block < blockCount(next); block += 1) {
    const range = [block * HISTORY_BLOCK_SIZE, (block + 1) * HISTORY_BLOCK_SIZE] as const;
    const moved =
      previous === undefined ||
      previous.titles.slice(...range).join('\n') !==
        next.endpoints
          .slice(...range)
          .map((endpoint) => endpoint.title)
          .join('\n');
    if (
      previous === undefined ||
      moved ||
      historyThrough(previous.lastRun, block, options) !== historyThrough(next.lastRun, block, options)
    )
      documents.set(historyName(block), historyBlockOf(next, block, options));
    if (moved)
      for (const endpoint of endpointsOf(next, block))
        for (const bucket of endpoint.recent) addRecent(block, bucket.t);
  }
  const indexOf = new Map(next.endpoints.map((endpoint, index) => [endpoint.title, index]));
  for (const { title, t } of touched) {
    const index = indexOf.get(title);
    if (index !== undefined) addRecent(blockOf(index), t);
  }
  return documents;
}
