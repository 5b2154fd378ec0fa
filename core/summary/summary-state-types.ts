import type { EndpointSummary, TickBallot, TimelineEvent } from './summary-types.js';

/**
 * The writers' state, split so that a store reads and writes only the segments its run touched,
 * and, where the store reads its page documents back, only what is still open (BlockState.closed;
 * docs/scale.md, "Writer state"). Two kinds of document, through the SummaryBackend seam:
 *
 * - `summary.json` (SummaryRoot, version 2): small, the one document written by compare-and-swap
 *   (or verified after writing on a last-writer-wins store). It says which runs are applied, and
 *   for each block of endpoints which state document is current.
 * - `state/<segment>-<generation>.json` (SegmentState): the blocks of one segment
 *   (SEGMENT_BLOCKS blocks, 500 endpoints: one fan-out shard), each a BlockState with its
 *   endpoints' days, recent buckets, open histograms and ballots. One object per segment keeps
 *   a store's PUTs to the segments it touches, not the blocks. Copy-on-write: every write takes
 *   a fresh name, so racing writers never overwrite each other's state; the root that wins
 *   decides which generation is current. A replaced generation is listed in `retired` and
 *   deleted once RETIRE_AFTER_MS of run time has passed, so a reader or writer still holding an
 *   older root finds it.
 *
 * Roots written before segments point each block to a `state/<block>-<generation>.json` holding
 * that block alone (a BlockState): still read, and rewritten as segments when first touched.
 * A version 1 `summary.json` (one document holding every endpoint) is migrated on the next sync.
 */
export interface SummaryRoot {
  version: 2;
  /** As in StatusSummary. */
  updated: number;
  lastRun: number;
  intervalMs?: number;
  timeline: TimelineEvent[];
  recentRuns: string[];
  writer: RootWriterState;
  /** The blocks of endpoints, by block number (an endpoint keeps its block once given one). */
  blocks: BlockRef[];
}

export interface RootWriterState {
  /** As in SummaryWriterState: the runs applied, each once. */
  appliedSince: string;
  applied: string[];
  /** The version of the page documents written with this state (as SummaryWriterState). */
  pageDocuments?: number;
  /** State documents no longer current, and the `lastRun` when they stopped being. */
  retired: Array<{ name: string; at: number }>;
}

export interface BlockRef {
  /**
   * The block's current state document: its segment's (shared by the segment's blocks), or, in a
   * root from before segments, the block's own; absent for a block left empty.
   */
  state?: string;
  /** The titles of its endpoints, in order: tells a writer which blocks a run touches. */
  titles: string[];
}

/** `state/<segment>-<generation>.json`: a segment's blocks that hold endpoints, in block order. */
export interface SegmentState {
  version: 2;
  segment: number;
  blocks: BlockState[];
}

/** One block's state, in a SegmentState (or alone, as `state/<block>-<generation>.json` before segments). */
export interface BlockState {
  version: 2;
  block: number;
  endpoints: EndpointSummary[];
  /**
   * The newest run (`lastRun`, unix ms) when the block's page documents were last brought up to
   * date: its history days and recent hours closed since then are still to be written. Absent in
   * states from before it: every document of the block is written.
   */
  documentsAt?: number;
  /**
   * Set when the state leaves out what is closed (docs/scale.md, "Split by time"): the days up to
   * `through` are in `history/<block>.json`, the buckets before `hoursFrom` in the block's recent
   * hour documents, and these figures are what uptime needs of them. Absent: the endpoints hold
   * everything, as before the split by time (or on a store that cannot read its documents back).
   */
  closed?: ClosedPart;
  /** SummaryWriterState.open of these endpoints. */
  open: Record<string, Record<string, Record<string, number>>>;
  /** SummaryWriterState.ballots of these endpoints. */
  ballots?: Record<string, TickBallot>;
}

/** What a block state keeps of its endpoints' closed days and hours (see BlockState.closed). */
export interface ClosedPart {
  /** When set, the endpoints hold only days after it; their closed days are summed in `days`. */
  through?: string;
  /** When set, the endpoints hold only buckets from it on (unix ms, an hour start); the closed hours are in `hours`. */
  hoursFrom?: number;
  /** The first hour of every endpoint's `hours` (unix ms). */
  hoursStart?: number;
  /** By endpoint title. */
  endpoints: Record<string, ClosedFigures>;
}

/** One endpoint's closed figures: results and down results, so uptime needs none of the closed data. */
export interface ClosedFigures {
  /**
   * Checks and down results of its closed days inside the 7, 30 and 90-day windows ending one day
   * after `through`, then two days after: `[c7, d7, c30, d30, c90, d90]` twice.
   */
  days?: number[];
  /** Checks and down results of each closed hour from `hoursStart`, one hour a pair: `[c, d, c, d, ...]`. */
  hours?: number[];
}

/** The root's version. */
export const SUMMARY_ROOT_VERSION = 2;
/** Endpoints per block: the history blocks of the page documents (HISTORY_BLOCK_SIZE). */
export const STATE_BLOCK_SIZE = 50;
/** Blocks per segment: a segment (500 endpoints, one fan-out shard) is one state document and one overview part. */
export const SEGMENT_BLOCKS = 10;
/**
 * Up to this many blocks (200 endpoints) a writer loads every block and the overview is one
 * document; above it, only the segments a run touches, and the overview is split by segment.
 */
export const WHOLE_BLOCKS = 4;
/** Run time (ms) a replaced state document is kept for readers and writers still holding an older root. */
export const RETIRE_AFTER_MS = 15 * 60 * 1000;

/** The segment that holds a block. */
export function segmentOf(block: number): number {
  return Math.floor(block / SEGMENT_BLOCKS);
}

/** The name of a segment's state document of one generation. */
export function stateName(segment: number, generation: string): string {
  return `state/${segment}-${generation}.json`;
}

/** Whether `name` is a state document's name (what the backends' state operations accept). */
export function isStateName(name: string): boolean {
  return /^state\/\d{1,6}-[0-9a-z]{1,40}\.json$/.test(name);
}
