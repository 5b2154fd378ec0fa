import { LATE_WINDOW_NS } from './apply-run-to-summary.js';
import {
  HISTORY_BLOCK_SIZE,
  type HistoryBlock,
  historyName,
  OVERVIEW_NAME,
  type OverviewEndpoint,
  type OverviewPart,
  overviewPartName,
  RECENT_SLOTS,
  type RecentBlock,
  recentName,
  type StatusOverview,
} from './page-document-types.js';
import { blockOfEndpoint } from './split-summary.js';
import { WHOLE_BLOCKS } from './summary-state-types.js';
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

/**
 * The overview: every endpoint's current state and uptime, and the days newer than its block.
 * Above WHOLE_BLOCKS blocks (or with `parts` given: the blocks that hold endpoints) it is an
 * index naming its parts, `overview/<block>.json`, so a run rewrites only its blocks' parts.
 */
export function overviewOf(
  summary: StatusSummary,
  options: PageDocumentOptions = {},
  parts: readonly number[] | undefined = splitParts(summary),
): StatusOverview {
  const overview: StatusOverview = {
    version: 2,
    updated: summary.updated,
    lastRun: summary.lastRun,
    historyBlockSize: HISTORY_BLOCK_SIZE,
    endpoints: parts
      ? []
      : summary.endpoints.map((endpoint, index) =>
          overviewEndpointOf(summary, endpoint, blockOfEndpoint(endpoint, index), options),
        ),
    timeline: summary.timeline,
    recentRuns: summary.recentRuns,
  };
  if (parts) overview.parts = [...parts];
  if (summary.intervalMs !== undefined) overview.intervalMs = summary.intervalMs;
  return overview;
}

/** One block's part of a split overview. */
export function overviewPartOf(
  summary: StatusSummary,
  block: number,
  options: PageDocumentOptions = {},
): OverviewPart {
  return {
    version: 2,
    block,
    endpoints: endpointsOf(summary, block).map((endpoint) =>
      overviewEndpointOf(summary, endpoint, block, options),
    ),
  };
}

/** The blocks of a whole summary's split overview, or undefined when it is one document. */
function splitParts(summary: StatusSummary): number[] | undefined {
  const blocks = [...new Set(summary.endpoints.map(blockOfEndpoint))].sort((a, b) => a - b);
  return blocks.length > WHOLE_BLOCKS ? blocks : undefined;
}

function overviewEndpointOf(
  summary: StatusSummary,
  endpoint: EndpointSummary,
  block: number,
  options: PageDocumentOptions,
): OverviewEndpoint {
  const through = historyThrough(summary.lastRun, block, options);
  const entry: OverviewEndpoint = {
    title: endpoint.title,
    endpoint: endpoint.endpoint,
    status: endpoint.status,
    since: endpoint.since,
    lastCheck: endpoint.lastCheck,
    uptime: uptimeOf(endpoint, utcDay(summary.updated)),
    block,
    days: endpoint.days.filter((day) => day.day > through),
  };
  for (const key of ['reason', 'thresholdMs', 'error', 'notice', 'message', 'cert', 'group'] as const)
    if (endpoint[key] !== undefined) Object.assign(entry, { [key]: endpoint[key] });
  // Each region's view as the vote left it; a summary from before votes holds bare names.
  const regions = (endpoint.regions ?? []).filter((region) => typeof region === 'object');
  if (regions.length > 0)
    entry.regions = regions
      .map((region) => ({ ...region }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entry;
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
  return summary.endpoints.filter((endpoint, index) => blockOfEndpoint(endpoint, index) === block);
}

/** The blocks that hold endpoints in `summary`. */
function blocksOf(summary: StatusSummary): Set<number> {
  return new Set(summary.endpoints.map(blockOfEndpoint));
}

/**
 * The page document named `name` (see page-document-types.ts), drawn from the summary; undefined
 * for a name that is not one or a block that does not exist. `checkup serve` answers with it.
 */
export function pageDocument(
  summary: StatusSummary,
  name: string,
  options: PageDocumentOptions = {},
): PageDocument | undefined {
  if (name === OVERVIEW_NAME) return overviewOf(summary, options);
  const part = /^overview\/(\d{1,6})\.json$/.exec(name);
  if (part) {
    const block = Number(part[1]);
    return splitParts(summary)?.includes(block) ? overviewPartOf(summary, block, options) : undefined;
  }
  const history = /^history\/(\d{1,6})\.json$/.exec(name);
  if (history) {
    const block = Number(history[1]);
    return blocksOf(summary).has(block) ? historyBlockOf(summary, block, options) : undefined;
  }
  const recent = /^recent\/(\d{1,6})-(\d{1,2})\.json$/.exec(name);
  if (recent) {
    const block = Number(recent[1]);
    const slot = Number(recent[2]);
    if (!blocksOf(summary).has(block) || slot >= RECENT_SLOTS) return undefined;
    // The newest hour of that slot not after the newest run.
    const newest = Math.floor(summary.lastRun / HOUR_MS);
    const hourNumber = newest - ((((newest - slot) % RECENT_SLOTS) + RECENT_SLOTS) % RECENT_SLOTS);
    return recentBlockOf(summary, block, hourNumber * HOUR_MS);
  }
  return undefined;
}

/** A page document of any kind. */
export type PageDocument = StatusOverview | OverviewPart | HistoryBlock | RecentBlock;

/** What the writer remembers of the summary before it applied runs: enough to tell what moved. */
export interface PreviousShape {
  lastRun: number;
  /** Each block's endpoint titles in order, joined by newlines. */
  titles: ReadonlyMap<number, string>;
}

/** The shape of `summary` to compare with after applying runs to it in place. */
export function shapeOf(summary: StatusSummary): PreviousShape {
  return { lastRun: summary.lastRun, titles: titlesByBlock(summary) };
}

function titlesByBlock(summary: StatusSummary): Map<number, string> {
  const titles = new Map<number, string[]>();
  summary.endpoints.forEach((endpoint, index) => {
    const block = blockOfEndpoint(endpoint, index);
    titles.set(block, [...(titles.get(block) ?? []), endpoint.title]);
  });
  return new Map([...titles].map(([block, list]) => [block, list.join('\n')]));
}

/** Which blocks a writer holds, when it holds only some (see core/summary/sync-summary.ts). */
export interface DocumentScope {
  /** The blocks whose documents may be written (their endpoints are all in the summary). */
  blocks: ReadonlySet<number>;
  /** The blocks holding endpoints, when the overview is split; undefined for one overview. */
  parts: readonly number[] | undefined;
}

/**
 * The page documents to write after `previous` became `next` by applying results at `touched`:
 * the overview always (and, split, the parts of the blocks in scope); a block's history when its
 * closed days moved or its endpoints changed; a block's recent hour when a result in it was
 * applied. With no `previous` (a first write, a rebuild, a summary from before these documents),
 * every document of the blocks in scope. Without `scope`, `next` holds every endpoint.
 */
export function pageDocumentsToWrite(
  previous: PreviousShape | undefined,
  next: StatusSummary,
  touched: Iterable<TouchedResult>,
  options: PageDocumentOptions = {},
  scope: DocumentScope = { blocks: blocksOf(next), parts: splitParts(next) },
): Map<string, PageDocument> {
  const documents = new Map<string, PageDocument>();
  documents.set(OVERVIEW_NAME, overviewOf(next, options, scope.parts));
  const windowStart = next.lastRun - DAY_MS;
  const addRecent = (block: number, t: number) => {
    if (t < windowStart - HOUR_MS) return;
    const hour = Math.floor(t / HOUR_MS) * HOUR_MS;
    const name = recentName(block, hour);
    if (!documents.has(name)) documents.set(name, recentBlockOf(next, block, hour));
  };
  const titles = titlesByBlock(next);
  for (const block of [...scope.blocks].sort((a, b) => a - b)) {
    if (scope.parts?.includes(block))
      documents.set(overviewPartName(block), overviewPartOf(next, block, options));
    const moved = previous === undefined || previous.titles.get(block) !== titles.get(block);
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
  const blockOfTitle = new Map(
    next.endpoints.map((endpoint, index) => [endpoint.title, blockOfEndpoint(endpoint, index)]),
  );
  for (const { title, t } of touched) {
    const block = blockOfTitle.get(title);
    if (block !== undefined && scope.blocks.has(block)) addRecent(block, t);
  }
  return documents;
}
