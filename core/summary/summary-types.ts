import type { Result, Status } from '../result.js';

/**
 * The summary document: everything the status page needs, for any history length, in one
 * request (`/data/summary.json`). Kept up to date as runs are stored (the storage issue) and
 * read by the status page (the status page issue). This file is the contract between them.
 *
 * URLs (the same locally under `checkup serve` and in AWS under CloudFront):
 * `/data/summary.json` is this document; `/data/runs/<unix-ns>-check.json` is one raw run.
 * In fs storage the document is the file `<dir>/summary.json`.
 *
 * Times are unix milliseconds here (the page works in ms); run files keep checkup's ns.
 * Latencies are milliseconds with at most one decimal.
 */
export interface StatusSummary {
  version: 1;
  /** When this document was last updated (unix ms). */
  updated: number;
  /** The newest run applied (unix ms), for the page's "data is stale" notice. */
  lastRun: number;
  /** The check interval the writer expects (ms), when known, for the stale notice. */
  intervalMs?: number;
  endpoints: EndpointSummary[];
  /** Status changes and messages, newest first, at most 200. */
  timeline: TimelineEvent[];
  /** Names of the newest run files (`<unix-ns>-check.json`), newest first, at most 100, for detail views. */
  recentRuns: string[];
  /** Writers' bookkeeping; the page ignores it (see core/summary/apply-run-to-summary.ts). */
  writer?: SummaryWriterState;
}

/**
 * What writers need to apply each run exactly once and to keep percentiles of days and buckets
 * that a late run may still change. Runs older than `appliedSince` count as applied.
 */
export interface SummaryWriterState {
  /** unix ns as decimal digits (too large for a JS number), as in run file names. */
  appliedSince: string;
  /** Names of the runs applied whose time is at or after `appliedSince`, oldest first. */
  applied: string[];
  /**
   * Latency histograms (ms, see core/summary/histogram.ts) of the days and recent buckets still
   * open to late runs: by endpoint title, then `d:YYYY-MM-DD` or `b:<bucket start ms>`.
   */
  open: Record<string, Record<string, Record<string, number>>>;
  /**
   * The version of the page documents (core/summary/page-document-types.ts) written with this
   * summary; absent in a summary from before them, whose writer then writes every one.
   */
  pageDocuments?: number;
  /**
   * Each regional endpoint's tick still being voted (results carrying `region` and `tick`): what
   * each region that reported saw. Decided when every region expected has reported, or when a
   * newer tick arrives (see core/regions/vote-ticks.ts for the same rule over stored runs).
   */
  ballots?: Record<string, TickBallot>;
}

/** The regions' results of one endpoint at one tick, until the tick is decided. */
export interface TickBallot {
  /** The tick (unix ms). */
  tick: number;
  /** What each region saw, by region name: its status and the result's time (unix ms). */
  votes: Record<string, { status: Status; t: number }>;
  /** The quorum its results carry, when the config sets one. */
  quorum?: number;
  /** Set once the vote is applied: later results of this tick no longer vote. */
  decided?: boolean;
  /** The newest result voted (its error, threshold, cert stand for the tick), until decided. */
  last?: Result;
}

export interface EndpointSummary {
  title: string;
  endpoint: string;
  /**
   * Its block of the writers' state and the page documents, given when first seen and kept
   * (core/summary/summary-state-types.ts); absent in summaries from before blocks, where the
   * block is its place in `endpoints` divided by 50.
   */
  block?: number;
  /**
   * The verdict (with several regions: their vote), or `unknown` when the probe was offline: the
   * overview's EndpointStatus (page-document-types.ts, which imports this file, so spelt out here).
   */
  status: Status | 'unknown';
  /** Why, for `unknown` ("probe offline: ..."). */
  reason?: string;
  /** Since when it has had this status (unix ms). */
  since: number;
  /** The newest result's time (unix ms). */
  lastCheck: number;
  /** threshold_rtt in ms, when set. */
  thresholdMs?: number;
  /** The maintenance window the newest result was in, by name. */
  maintenance?: string;
  /** The newest result's first error, notice and message, as text (never HTML). */
  error?: string;
  notice?: string;
  message?: string;
  /** The TLS certificate seen last, where one was (expires as unix ms). */
  cert?: { expires: number; issuer: string; subject: string };
  /** The checker's group, from its newest result, when the config gives one. */
  group?: string;
  /**
   * Each region's latest view, when regions check it (`unknown`: it did not report for the last
   * tick decided). Summaries written before votes hold plain region names here.
   */
  regions?: Array<{ name: string; status: Status | 'unknown'; rttMs?: number; lastCheck: number }>;
  /** One entry per UTC day that had checks, oldest first, at most 90. */
  days: DaySummary[];
  /** The last 24 hours in fixed buckets, oldest first. */
  recent: RecentBucket[];
}

export interface DaySummary {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  /**
   * Results that day outside maintenance windows, and how many were healthy, degraded and down:
   * uptime is computed from these, so maintenance time is left out of it.
   */
  checks: number;
  healthy: number;
  degraded: number;
  down: number;
  /** Results inside a maintenance window that day (not in `checks`); absent when none. */
  maintenance?: number;
  /** Median RTT percentiles over the day's results, ms. */
  p50: number;
  p95: number;
  p99: number;
}

export interface RecentBucket {
  /** Bucket start (unix ms); buckets are `RECENT_BUCKET_MS` wide. */
  t: number;
  /** Results outside maintenance windows (those inside are counted in `maintenance`). */
  checks: number;
  maintenance?: number;
  /**
   * How many of those results were down; absent when none were. Documents written before it was
   * counted lack it in buckets whose `worst` is down too: read those as wholly down
   * (`bucketDown`), and they leave the 24 hours within a day.
   */
  down?: number;
  /** Median RTT of the results in the bucket (ms) and the worst status seen. */
  p50: number;
  worst: Status;
}

export interface TimelineEvent {
  /** unix ms */
  t: number;
  title: string;
  kind: 'status' | 'message';
  /** For `status`: the new status and the one before. */
  status?: Status;
  previous?: Status;
  /** For `message`: the text (plain text; links are shown as links, nothing is HTML). */
  text?: string;
}

/** Width of a recent bucket: 5 minutes, 288 buckets in 24 hours. */
export const RECENT_BUCKET_MS = 5 * 60 * 1000;
/** Days of daily history kept. */
export const SUMMARY_DAYS = 90;

/** The down results of a bucket; a bucket from before they were counted is taken as wholly down. */
export function bucketDown(bucket: RecentBucket): number {
  return bucket.down ?? (bucket.worst === 'down' ? bucket.checks : 0);
}
