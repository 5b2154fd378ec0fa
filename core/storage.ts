import type { Result } from './result.js';
import type { StatusSummary } from './summary/summary-types.js';

/** A stored run: its name (`<unix-ns>-check.json`) and its unix-ns time. */
export interface RunRef {
  name: string;
  timestamp: number;
}

/** A run just stored, with the summary the store brought up to date, when it kept one. */
export interface StoredRun extends RunRef {
  /**
   * What the store's summary writer worked on (syncSummary's answer): every endpoint of the runs
   * it applied, this one's included, as they now stand; not the whole summary (`readSummary`).
   */
  summary?: StatusSummary;
}

/** A unix-ns time range; either end may be open. */
export interface TimeRange {
  since?: number;
  until?: number;
}

/**
 * Where runs are kept. Every run is one immutable file of results; implementations (fs, s3,
 * dynamodb) live in adapters/storage.
 */
export interface Storage {
  /** Stores one run and expires old ones. Never overwrites an existing run. */
  store(results: readonly Result[]): Promise<StoredRun>;
  /** The stored runs in the range, oldest first. */
  list(range?: TimeRange): Promise<RunRef[]>;
  /** The results of one run. */
  read(name: string): Promise<Result[]>;
  /** The summary document the status page reads, or undefined when nothing was stored yet. */
  readSummary(): Promise<StatusSummary | undefined>;
  /** Every result of the endpoint titled `title` in the range, oldest first. */
  history(title: string, range?: TimeRange): Promise<Result[]>;
  /**
   * Applies every stored run the summary lacks and returns what it worked on (the summary with
   * the endpoints of the blocks those runs touched, none when nothing was new; `readSummary` is
   * the whole): what `store` does after writing its run, for a host that stores with summaries
   * off and updates them elsewhere (the fan-out planner, which badges those endpoints).
   * `onlyRunsAtStart` leaves runs stored while it works to a later update.
   */
  updateSummary(options?: { onlyRunsAtStart?: boolean }): Promise<StatusSummary>;
  /** Recomputes the summary from every stored run, stores it and returns it. */
  rebuildSummary(): Promise<StatusSummary>;
  /**
   * A token that changes whenever the summary document does (fs: its inode, size and time; S3:
   * its ETag), far cheaper than reading it; undefined when it cannot be told.
   * Lets a reader that serves the summary read and parse it once per change.
   */
  summaryVersion?(): Promise<string | undefined>;
  /**
   * The page documents (`overview.json`, `history/0.json`, ...) as the writers stored them, read
   * by name, when this store keeps them and its summary says they are current; undefined when
   * they must be drawn from `readSummary` (a store that keeps none, or an old summary).
   */
  pageDocuments?(): Promise<((name: string) => Promise<string | undefined>) | undefined>;
}

// At most 20 digits: unix ns has 19 until 2286; a longer name is no time and no file we wrote.
const RUN_FILE = /^(\d{1,20})-check\.json$/;

/** The file name of a run stored at `timestamp` (unix ns), as checkup names it. */
export function runFileName(timestamp: number | bigint): string {
  return `${typeof timestamp === 'bigint' ? timestamp : BigInt(Math.round(timestamp))}-check.json`;
}

/** The unix-ns time in a run file name, or undefined when the name is not a run file. */
export function parseRunFileName(
  name: string,
): { name: string; digits: string; timestamp: number } | undefined {
  const match = RUN_FILE.exec(name);
  return match ? { name, digits: match[1] as string, timestamp: Number(match[1]) } : undefined;
}
