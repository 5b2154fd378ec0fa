import type { Status } from '../result.js';
import type { DaySummary, RecentBucket, TimelineEvent } from './summary-types.js';

/**
 * The documents the status page reads, split so that its first render costs the same few
 * requests at any size and a run rewrites only what it changed. This file is the contract
 * between the writers (core/summary/page-documents.ts, through the SummaryBackend seam), the
 * servers (`checkup serve`, CloudFront) and the page (statuspage/).
 *
 * Names are relative to the summaries: URL `/data/<name>`, S3 key `summaries/<name>`
 * (RESULTS_LAYOUT), fs file `<dir>/<name>`.
 *
 * - `overview.json` (StatusOverview): every endpoint's current status and uptime, the
 *   timeline. Rewritten every run; about 390 bytes per endpoint. Above 200 endpoints (4 blocks)
 *   it is an index: `endpoints` is empty and `parts` names the segments (SEGMENT_BLOCKS blocks,
 *   500 endpoints) whose
 * - `overview/<segment>.json` (OverviewPart) hold the endpoints, so that a run rewrites the
 *   parts of the segments it touched and the small index, not every endpoint's entry.
 * - `history/<block>.json` (HistoryBlock): the closed UTC days of a block of
 *   HISTORY_BLOCK_SIZE endpoints. Rewritten when a day closes, once a day.
 * - `recent/<block>-<slot>.json` (RecentBlock): the five-minute buckets of one closed UTC hour
 *   for a block. 25 slots in a ring (slot = hour number mod RECENT_SLOTS), so the last 24 hours
 *   are always there and nothing has to be expired. Written once, when the hour closes (its end
 *   plus the writer's late window); the hours still open are in
 * - `recent/open-<segment>.json` (OpenHours): the five-minute buckets of the hours still open
 *   for a segment's endpoints (SEGMENT_BLOCKS blocks), rewritten with the segment's overview
 *   part: one more object per segment a run touches, and no history in the first render.
 *
 * The page loads `page.json` and `overview.json` (and its parts, when split), then the history
 * block of the endpoints on screen (3 requests at 50 endpoints), and the recent hours of a block
 * and its segment's open hours only when its 24-hour latency chart is shown, laying the open
 * hours' buckets over the closed ones. Overviews written before `openHoursFrom` carry the open
 * buckets in each entry's `recent` instead. Times are unix ms, latencies ms, as in summary-types.ts.
 *
 * Extension points: new optional fields on any of these documents are allowed (readers ignore
 * what they do not know); renaming or retyping a field needs a new `version`.
 */

/** An endpoint's status on the page: a verdict, or `unknown` when there is no fresh one. */
export type EndpointStatus = Status | 'unknown';

/** `/data/overview.json` */
export interface StatusOverview {
  version: 2;
  /** When this document was last written (unix ms). */
  updated: number;
  /** The newest run applied (unix ms), for the "data is stale" notice. */
  lastRun: number;
  /** The check interval the writer expects (ms), when known. */
  intervalMs?: number;
  /** Endpoints per history block (HISTORY_BLOCK_SIZE when written); `block` below indexes them. */
  historyBlockSize: number;
  /**
   * Every endpoint, in a stable order (by block, then the order they were first seen); empty when
   * the overview is split into `parts`.
   */
  endpoints: OverviewEndpoint[];
  /**
   * When present, the endpoints are in `/data/overview/<segment>.json` (OverviewPart) for each
   * segment listed, in this order: the reader fetches them all and joins their endpoints.
   */
  parts?: number[];
  /**
   * The start of the oldest hour still open (unix ms), when the open hours' buckets are in
   * `/data/recent/open-<segment>.json` (OpenHours); absent in overviews written before, whose
   * entries carry them in `recent`.
   */
  openHoursFrom?: number;
  /** Status changes and messages, newest first, at most 200. */
  timeline: TimelineEvent[];
  /** The newest run files (`<unix-ns>-check.json`), newest first, at most 100. */
  recentRuns: string[];
  /**
   * Reserved for the maintenance windows and incidents of the maintenance/incidents issue, which
   * defines their item types; the page shows nothing for them until then.
   */
  maintenance?: unknown[];
  incidents?: unknown[];
}

/** One endpoint in the overview: enough to draw its card, sort and search, without its history. */
export interface OverviewEndpoint {
  title: string;
  endpoint: string;
  status: EndpointStatus;
  /**
   * Short plain text saying why, mainly for `unknown` ("not checked this tick", "no region
   * reporting"); optional for the others.
   */
  reason?: string;
  /** Since when it has had this status (unix ms). */
  since: number;
  /** The newest result's time (unix ms). */
  lastCheck: number;
  /** threshold_rtt in ms, when set. */
  thresholdMs?: number;
  /** The newest result's first error, notice and message (plain text). */
  error?: string;
  notice?: string;
  message?: string;
  /** The TLS certificate seen last (expires as unix ms). */
  cert?: { expires: number; issuer: string; subject: string };
  /** Each region's latest view, when several regions check it. */
  regions?: RegionStatus[];
  /** A group name, when the config gives one (the page groups by it when present). */
  group?: string;
  /** Share of results not down (0..1) over the last 24 h and 7 / 30 / 90 UTC days; absent without checks. */
  uptime: Uptime;
  /** Its history block: `/data/history/<block>.json` and `/data/recent/<block>-<slot>.json`. */
  block: number;
  /**
   * Days newer than its history block holds (today, and yesterday until the block is rewritten),
   * oldest first: the page lays them over the block's days.
   */
  days: DaySummary[];
  /**
   * Written by the previous version only (no `openHoursFrom` in the overview): its five-minute
   * buckets of the hours still open, oldest first, which the page lays over the recent hours'.
   */
  recent?: RecentBucket[];
}

export interface Uptime {
  h24?: number;
  d7?: number;
  d30?: number;
  d90?: number;
}

/** One region's latest result for an endpoint. */
export interface RegionStatus {
  name: string;
  status: EndpointStatus;
  /** Median RTT of that result (ms). */
  rttMs?: number;
  /** That result's time (unix ms). */
  lastCheck: number;
}

/**
 * `/data/overview/<segment>.json`: one segment's endpoints of a split overview (each entry
 * carries its history `block`). Parts written before segments held one block and said `block`.
 */
export interface OverviewPart {
  version: 2;
  segment: number;
  endpoints: OverviewEndpoint[];
}

/** `/data/history/<block>.json`: the closed days of a block's endpoints. */
export interface HistoryBlock {
  version: 2;
  block: number;
  /** The newest UTC day held (`YYYY-MM-DD`); newer days are in the overview. */
  through: string;
  /** The block's endpoints that have history, by title, each with up to 90 days, oldest first. */
  endpoints: Array<{ title: string; days: DaySummary[] }>;
}

/** `/data/recent/<block>-<slot>.json`: one UTC hour of five-minute buckets of a block's endpoints. */
export interface RecentBlock {
  version: 2;
  block: number;
  /** The hour held (unix ms of its start); a slot from a ring's earlier turn is older than 24 h. */
  hour: number;
  /** The block's endpoints checked in that hour, by title, buckets oldest first. */
  endpoints: Array<{ title: string; recent: RecentBucket[] }>;
}

/**
 * `/data/recent/open-<segment>.json`: the five-minute buckets of the hours still open (from
 * `from` on; the closed ones are in the recent hour documents) of a segment's endpoints.
 */
export interface OpenHours {
  version: 2;
  segment: number;
  /** The start of the oldest hour still open (unix ms). */
  from: number;
  /** The segment's endpoints checked since `from`, by title, buckets oldest first. */
  endpoints: Array<{ title: string; recent: RecentBucket[] }>;
}

/** Endpoints per history block: 50 endpoints are one block, so the first render reads one. */
export const HISTORY_BLOCK_SIZE = 50;
/** Slots in the ring of recent hours: 24 hours and the current one. */
export const RECENT_SLOTS = 25;
const HOUR_MS = 3_600_000;

/** The overview's name. */
export const OVERVIEW_NAME = 'overview.json';

/** The name of a segment's part of a split overview. */
export function overviewPartName(segment: number): string {
  return `overview/${segment}.json`;
}

/** The name of a block's history document. */
export function historyName(block: number): string {
  return `history/${block}.json`;
}

/** The ring slot of the hour that holds `t` (unix ms). */
export function recentSlot(t: number): number {
  return Math.floor(t / HOUR_MS) % RECENT_SLOTS;
}

/** The name of a block's recent-hour document for the hour that holds `t` (unix ms). */
export function recentName(block: number, t: number): string {
  return `recent/${block}-${recentSlot(t)}.json`;
}

/** The name of a segment's open hours' document (a block's segment: `segmentOf(block)`). */
export function openHoursName(segment: number): string {
  return `recent/open-${segment}.json`;
}

/** Whether `name` is one of the page documents above (what `checkup serve` and CloudFront serve). */
export function isPageDocumentName(name: string): boolean {
  return (
    name === OVERVIEW_NAME ||
    /^overview\/\d{1,6}\.json$/.test(name) ||
    /^history\/\d{1,6}\.json$/.test(name) ||
    /^recent\/\d{1,6}-\d{1,2}\.json$/.test(name) ||
    /^recent\/open-\d{1,6}\.json$/.test(name)
  );
}
