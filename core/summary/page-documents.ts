import { LATE_WINDOW_NS } from './apply-run-to-summary.js';
import { closedDaysIn, closedHoursSince, UPTIME_WINDOWS } from './closed-figures.js';
import {
  HISTORY_BLOCK_SIZE,
  type HistoryBlock,
  historyName,
  type OpenHours,
  OVERVIEW_NAME,
  type OverviewEndpoint,
  type OverviewPart,
  openHoursName,
  overviewPartName,
  RECENT_SLOTS,
  type RecentBlock,
  recentName,
  type StatusOverview,
} from './page-document-types.js';
import { blockOfEndpoint } from './split-summary.js';
import type { ClosedPart } from './summary-state-types.js';
import { SEGMENT_BLOCKS, segmentOf, WHOLE_BLOCKS } from './summary-state-types.js';
import type { EndpointSummary, StatusSummary } from './summary-types.js';
import { bucketsSince, daysIn, utcDay } from './uptime-figures.js';

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
 * The start of the oldest hour still open at `lastRun`: the hours before it are closed (their
 * end plus the late window is past, so no run can change them) and each has its recent document;
 * the buckets from it on are in the overview.
 */
export function openHoursFrom(lastRun: number, options: PageDocumentOptions = {}): number {
  const lateMs = (options.lateWindowNs ?? LATE_WINDOW_NS) / 1e6;
  return Math.floor((lastRun - lateMs) / HOUR_MS) * HOUR_MS;
}

/**
 * The overview: every endpoint's current state and uptime, and the days newer than its block.
 * Above WHOLE_BLOCKS blocks (or with `parts` given: the segments that hold endpoints) it is an
 * index naming its parts, `overview/<segment>.json`, so a run rewrites only its segments' parts.
 */
export function overviewOf(
  summary: StatusSummary,
  options: PageDocumentOptions = {},
  parts: readonly number[] | undefined = splitParts(summary),
  closed: ClosedParts = new Map(),
): StatusOverview {
  const figures = figuresOf(summary, options);
  const overview: StatusOverview = {
    version: 2,
    updated: summary.updated,
    lastRun: summary.lastRun,
    historyBlockSize: HISTORY_BLOCK_SIZE,
    endpoints: parts
      ? []
      : summary.endpoints.map((endpoint, index) =>
          overviewEndpointOf(summary, endpoint, blockOfEndpoint(endpoint, index), figures, closed),
        ),
    openHoursFrom: openHoursFrom(summary.lastRun, options),
    timeline: summary.timeline,
    recentRuns: summary.recentRuns,
  };
  if (parts) overview.parts = [...parts];
  if (summary.intervalMs !== undefined) overview.intervalMs = summary.intervalMs;
  return overview;
}

/** One segment's part of a split overview: the endpoints of its blocks, in block order. */
export function overviewPartOf(
  summary: StatusSummary,
  segment: number,
  options: PageDocumentOptions = {},
  closed: ClosedParts = new Map(),
  byBlock: EndpointsByBlock = endpointsByBlock(summary),
): OverviewPart {
  const figures = figuresOf(summary, options);
  const endpoints: OverviewEndpoint[] = [];
  for (let block = segment * SEGMENT_BLOCKS; block < (segment + 1) * SEGMENT_BLOCKS; block += 1)
    for (const endpoint of byBlock.get(block) ?? [])
      endpoints.push(overviewEndpointOf(summary, endpoint, block, figures, closed));
  return { version: 2, segment, endpoints };
}

/**
 * The closed parts of blocks whose state leaves out what is closed (BlockState.closed), by
 * block: their endpoints' uptime adds these figures to what the endpoints hold.
 */
export type ClosedParts = ReadonlyMap<number, ClosedPart>;

/**
 * The parts of the overview when these blocks hold endpoints: their segments above
 * WHOLE_BLOCKS blocks, undefined (one document) up to it.
 */
export function overviewParts(blocks: Iterable<number>): number[] | undefined {
  const holding = [...new Set(blocks)];
  if (holding.length <= WHOLE_BLOCKS) return undefined;
  return [...new Set(holding.map(segmentOf))].sort((a, b) => a - b);
}

/** The segments of a whole summary's split overview, or undefined when it is one document. */
function splitParts(summary: StatusSummary): number[] | undefined {
  return overviewParts(summary.endpoints.map(blockOfEndpoint));
}

/**
 * What every entry of one overview shares: today, and each block's history day (staggered by
 * block), worked out once per document rather than once per endpoint.
 */
interface OverviewFigures {
  today: string;
  through: (block: number) => string;
}

function figuresOf(summary: StatusSummary, options: PageDocumentOptions): OverviewFigures {
  const throughs = new Map<number, string>();
  return {
    today: utcDay(summary.updated),
    through: (block) => {
      let through = throughs.get(block);
      if (through === undefined) {
        through = historyThrough(summary.lastRun, block, options);
        throughs.set(block, through);
      }
      return through;
    },
  };
}

/** The optional fields an overview entry copies from its endpoint, in this order. */
const OPTIONAL_FIELDS = ['reason', 'thresholdMs', 'error', 'notice', 'message', 'cert', 'group'] as const;

function overviewEndpointOf(
  summary: StatusSummary,
  endpoint: EndpointSummary,
  block: number,
  figures: OverviewFigures,
  closed: ClosedParts,
): OverviewEndpoint {
  const through = figures.through(block);
  const entry: OverviewEndpoint = {
    title: endpoint.title,
    endpoint: endpoint.endpoint,
    status: endpoint.status,
    since: endpoint.since,
    lastCheck: endpoint.lastCheck,
    uptime: uptimeOf(endpoint, figures.today, summary.lastRun, closed.get(block)),
    block,
    days: endpoint.days.filter((day) => day.day > through),
  };
  for (let i = 0; i < OPTIONAL_FIELDS.length; i += 1) {
    const key = OPTIONAL_FIELDS[i] as (typeof OPTIONAL_FIELDS)[number];
    if (endpoint[key] !== undefined) (entry as unknown as Record<string, unknown>)[key] = endpoint[key];
  }
  // Each region's view as the vote left it; a summary from before votes holds bare names.
  const regions = (endpoint.regions ?? []).filter((region) => typeof region === 'object');
  if (regions.length > 0)
    entry.regions = regions
      .map((region) => ({ ...region }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entry;
}

/**
 * An endpoint's uptime figures from what it holds, plus, when its block's state leaves out what
 * is closed, the closed days and hours summed in `part`: the same figures either way.
 */
function uptimeOf(
  endpoint: EndpointSummary,
  today: string,
  lastRun: number,
  part: ClosedPart | undefined,
): OverviewEndpoint['uptime'] {
  const figures: OverviewEndpoint['uptime'] = {};
  const closed = part?.endpoints[endpoint.title];
  const set = (key: keyof OverviewEndpoint['uptime'], [checks, down]: [number, number]) => {
    if (checks > 0) figures[key] = Math.round(((checks - down) / checks) * 1e6) / 1e6;
  };
  const add = (a: [number, number], b: [number, number]): [number, number] => [a[0] + b[0], a[1] + b[1]];
  const since = lastRun - DAY_MS;
  const hours = bucketsSince(endpoint.recent, since);
  set('h24', part?.hoursFrom === undefined ? hours : add(hours, closedHoursSince(part, closed, since)));
  for (const count of UPTIME_WINDOWS) {
    const days = daysIn(endpoint.days, today, count);
    set(
      `d${count}`,
      part?.through === undefined ? days : add(days, closedDaysIn(closed, part.through, today, count)),
    );
  }
  return figures;
}

/** A block's closed days. */
export function historyBlockOf(
  summary: StatusSummary,
  block: number,
  options: PageDocumentOptions = {},
  byBlock?: EndpointsByBlock,
): HistoryBlock {
  const through = historyThrough(summary.lastRun, block, options);
  return {
    version: 2,
    block,
    through,
    endpoints: endpointsOf(summary, block, byBlock)
      .map((endpoint) => ({ title: endpoint.title, days: endpoint.days.filter((day) => day.day <= through) }))
      .filter((entry) => entry.days.length > 0),
  };
}

/** A block's five-minute buckets of the hour starting at `hour` (unix ms). */
export function recentBlockOf(
  summary: StatusSummary,
  block: number,
  hour: number,
  byBlock?: EndpointsByBlock,
): RecentBlock {
  return {
    version: 2,
    block,
    hour,
    endpoints: endpointsOf(summary, block, byBlock)
      .map((endpoint) => ({
        title: endpoint.title,
        recent: endpoint.recent.filter((bucket) => bucket.t >= hour && bucket.t < hour + HOUR_MS),
      }))
      .filter((entry) => entry.recent.length > 0),
  };
}

/**
 * A segment's buckets of the hours still open (the recent hours' documents hold the closed
 * ones): what the overview's entries leave out, fetched with a 24-hour chart.
 */
export function openHoursOf(
  summary: StatusSummary,
  segment: number,
  options: PageDocumentOptions = {},
): OpenHours {
  const from = openHoursFrom(summary.lastRun, options);
  return {
    version: 2,
    segment,
    from,
    endpoints: summary.endpoints
      .filter((endpoint, index) => segmentOf(blockOfEndpoint(endpoint, index)) === segment)
      .map((endpoint) => ({
        title: endpoint.title,
        recent: endpoint.recent.filter((bucket) => bucket.t >= from),
      }))
      .filter((entry) => entry.recent.length > 0),
  };
}

function endpointsOf(
  summary: StatusSummary,
  block: number,
  byBlock?: EndpointsByBlock,
): readonly EndpointSummary[] {
  if (byBlock) return byBlock.get(block) ?? [];
  return summary.endpoints.filter((endpoint, index) => blockOfEndpoint(endpoint, index) === block);
}

/** A summary's endpoints by block, each block's in the summary's order. */
type EndpointsByBlock = ReadonlyMap<number, readonly EndpointSummary[]>;

/**
 * Groups the endpoints by block in one pass: a writer draws several documents per block, and
 * filtering every endpoint for each made that quadratic in the blocks.
 */
function endpointsByBlock(summary: StatusSummary): EndpointsByBlock {
  const byBlock = new Map<number, EndpointSummary[]>();
  summary.endpoints.forEach((endpoint, index) => {
    const block = blockOfEndpoint(endpoint, index);
    const list = byBlock.get(block);
    if (list) list.push(endpoint);
    else byBlock.set(block, [endpoint]);
  });
  return byBlock;
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
    const segment = Number(part[1]);
    return splitParts(summary)?.includes(segment) ? overviewPartOf(summary, segment, options) : undefined;
  }
  const history = /^history\/(\d{1,6})\.json$/.exec(name);
  if (history) {
    const block = Number(history[1]);
    return blocksOf(summary).has(block) ? historyBlockOf(summary, block, options) : undefined;
  }
  const open = /^recent\/open-(\d{1,6})\.json$/.exec(name);
  if (open) {
    const segment = Number(open[1]);
    return [...blocksOf(summary)].some((block) => segmentOf(block) === segment)
      ? openHoursOf(summary, segment, options)
      : undefined;
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
export type PageDocument = StatusOverview | OverviewPart | HistoryBlock | RecentBlock | OpenHours;

/** What the writer remembers of the summary before it applied runs: enough to tell what moved. */
export interface PreviousShape {
  /** Each block's endpoint titles in order, joined by newlines. */
  titles: ReadonlyMap<number, string>;
  /** Each block's `lastRun` when its documents were last brought up to date (BlockState.documentsAt). */
  documentsAt: ReadonlyMap<number, number>;
}

/** The shape of `summary` to compare with after applying runs to it in place. */
export function shapeOf(summary: StatusSummary, documentsAt: ReadonlyMap<number, number>): PreviousShape {
  return { titles: titlesByBlock(summary), documentsAt };
}

function titlesByBlock(summary: StatusSummary): Map<number, string> {
  const titles = new Map<number, string[]>();
  summary.endpoints.forEach((endpoint, index) => {
    const block = blockOfEndpoint(endpoint, index);
    const list = titles.get(block);
    if (list) list.push(endpoint.title);
    else titles.set(block, [endpoint.title]);
  });
  return new Map([...titles].map(([block, list]) => [block, list.join('\n')]));
}

/** Which blocks a writer holds, when it holds only some (see core/summary/sync-summary.ts). */
export interface DocumentScope {
  /** The blocks whose documents may be written (their endpoints are all in the summary). */
  blocks: ReadonlySet<number>;
  /** The segments holding endpoints, when the overview is split; undefined for one overview. */
  parts: readonly number[] | undefined;
  /** The closed parts of the blocks whose state leaves out what is closed. */
  closed?: ClosedParts;
}

/**
 * The page documents to write after `previous` became `next`: the overview always, and the open
 * hours of the segments in scope (whose blocks are all in it) and, split, their parts;
 * a block's history when a day closed for it since its documents were written or its endpoints
 * changed; a block's recent hour once, when the hour closed (no run can change it after). With
 * no `previous` (a first write, a rebuild, a summary from before these documents) or a block
 * with no `documentsAt`, every document of the block. Without `scope`, `next` holds every
 * endpoint.
 */
export function pageDocumentsToWrite(
  previous: PreviousShape | undefined,
  next: StatusSummary,
  options: PageDocumentOptions = {},
  scope: DocumentScope = { blocks: blocksOf(next), parts: splitParts(next) },
): Map<string, PageDocument> {
  const documents = new Map<string, PageDocument>();
  documents.set(OVERVIEW_NAME, overviewOf(next, options, scope.parts, scope.closed));
  const windowStart = next.lastRun - DAY_MS - HOUR_MS;
  const open = openHoursFrom(next.lastRun, options);
  const titles = titlesByBlock(next);
  const byBlock = endpointsByBlock(next);
  for (const block of [...scope.blocks].sort((a, b) => a - b)) {
    const segment = segmentOf(block);
    if (!documents.has(openHoursName(segment)))
      documents.set(openHoursName(segment), openHoursOf(next, segment, options));
    if (scope.parts?.includes(segment) && !documents.has(overviewPartName(segment)))
      documents.set(overviewPartName(segment), overviewPartOf(next, segment, options, scope.closed, byBlock));
    const moved = previous === undefined || previous.titles.get(block) !== titles.get(block);
    const at = moved ? undefined : previous?.documentsAt.get(block);
    if (
      at === undefined ||
      historyThrough(at, block, options) !== historyThrough(next.lastRun, block, options)
    )
      documents.set(historyName(block), historyBlockOf(next, block, options, byBlock));
    // The hours closed since the block's documents were written, inside the 24 hours shown.
    const from = Math.max(windowStart, at === undefined ? 0 : openHoursFrom(at, options));
    const hours = new Set<number>();
    for (const endpoint of byBlock.get(block) ?? [])
      for (const bucket of endpoint.recent)
        if (bucket.t >= from && bucket.t < open) hours.add(Math.floor(bucket.t / HOUR_MS) * HOUR_MS);
    for (const hour of [...hours].sort((a, b) => a - b))
      documents.set(recentName(block, hour), recentBlockOf(next, block, hour, byBlock));
  }
  return documents;
}
