import type { Result } from '../result.js';
import { type ApplyOptions, applyRunInPlace, compareNames, emptySummary, hasApplied } from './apply-run.js';
import type { StatusSummary } from './summary-types.js';

/** The summary document as read, with what a conditional write needs to detect a change. */
export interface SummaryRead {
  summary: StatusSummary | undefined;
  /** A version token (an ETag, a version number); undefined when the document does not exist. */
  token?: string;
}

/**
 * What the summary writer needs from a storage. `conditional` stores refuse a write whose token
 * is stale (compare-and-swap); the others let the last writer win, and the writer then verifies.
 */
export interface SummaryBackend {
  readonly conditional: boolean;
  readSummary(): Promise<SummaryRead>;
  /** Writes the document; returns false when `conditional` and the token is stale. */
  writeSummary(summary: StatusSummary, token: string | undefined): Promise<boolean>;
  /** Names of the runs stored at or after `sinceDigits` (unix ns digits), oldest first. */
  listRunsSince(sinceDigits: string): Promise<string[]>;
  /** The results of a run, or undefined when it is gone (expired since it was listed). */
  readRun(name: string): Promise<Result[] | undefined>;
}

export interface SyncOptions extends ApplyOptions {
  /** Runs the caller already holds, so they are not read back. */
  known?: ReadonlyMap<string, readonly Result[]>;
  /** Give up after this many rounds (each round reads, applies, writes); default 50. */
  maxRounds?: number;
}

/** The stored summary document is not valid JSON; `syncSummary` rebuilds it from the runs. */
export class CorruptSummaryError extends Error {
  override readonly name = 'CorruptSummaryError';
  /** The version token of the unreadable document, for a conditional overwrite. */
  readonly token: string | undefined;

  constructor(message: string, options: { cause?: unknown; token?: string } = {}) {
    super(message, { cause: options.cause });
    this.token = options.token;
  }
}

/** Why a summary could not be brought up to date. */
export class SummarySyncError extends Error {
  override readonly name = 'SummarySyncError';
}

/**
 * Brings the stored summary up to date with every stored run and returns it.
 *
 * Each round reads the summary, lists the runs inside its late window, applies those it has not
 * applied (each run once: the summary records what it applied) and writes it back. On a
 * conditional store a stale write is retried from a fresh read. On a last-writer-wins store (fs,
 * s3rver, S3 without conditional writes) another writer may overwrite our document with one that
 * lacks our run, so after writing we list and read again and repeat until the stored document
 * has applied every run we can see. The last writer to finish therefore always leaves a document
 * holding every run stored before it listed, and every run stored later has a writer of its own
 * that comes after it: no run is lost.
 */
export async function syncSummary(
  backend: SummaryBackend,
  options: SyncOptions = {},
): Promise<StatusSummary> {
  const maxRounds = options.maxRounds ?? 50;
  for (let round = 0; round < maxRounds; round += 1) {
    const read = await readOrRebuild(backend, options);
    const pending = await pendingRuns(backend, read.summary);
    if (pending.length === 0 && !read.rebuilt) return read.summary ?? emptySummary();

    const next = structuredClone(read.summary ?? emptySummary());
    for (const name of pending) {
      const results = options.known?.get(name) ?? (await backend.readRun(name));
      if (results) applyRunInPlace(next, { name, results }, options);
    }
    const written = await backend.writeSummary(next, read.token);
    if (!written) continue;
    if (backend.conditional) return next;
    const check = await readOrRebuild(backend, options);
    if (!check.rebuilt && check.summary && (await pendingRuns(backend, check.summary)).length === 0)
      return check.summary;
  }
  throw new SummarySyncError(`summary still missing runs after ${maxRounds} rounds of writers racing`);
}

/**
 * Reads the summary; a document that cannot be parsed (a store that lets concurrent writes of one
 * key interleave, such as s3rver, or a hand edit) is rebuilt from the runs, which stay the truth.
 */
async function readOrRebuild(
  backend: SummaryBackend,
  options: ApplyOptions,
): Promise<SummaryRead & { rebuilt?: boolean }> {
  try {
    return await backend.readSummary();
  } catch (error) {
    if (!(error instanceof CorruptSummaryError)) throw error;
    return { summary: await summaryOfAllRuns(backend, options), token: error.token, rebuilt: true };
  }
}

async function pendingRuns(backend: SummaryBackend, summary: StatusSummary | undefined): Promise<string[]> {
  const since = summary?.writer?.appliedSince ?? '0';
  const names = await backend.listRunsSince(since);
  return names.filter((name) => !hasApplied(summary, name)).sort(compareNames);
}

/**
 * Recomputes the summary from every stored run (read in order, `concurrency` at a time), stores
 * it, then syncs once more so runs stored while it was rebuilding are not lost.
 */
export async function rebuildStoredSummary(
  backend: SummaryBackend,
  options: ApplyOptions & { concurrency?: number } = {},
): Promise<StatusSummary> {
  const summary = await summaryOfAllRuns(backend, options);
  for (let round = 0; ; round += 1) {
    const token = await backend.readSummary().then(
      (read) => read.token,
      (error: unknown) => {
        if (error instanceof CorruptSummaryError) return error.token;
        throw error;
      },
    );
    if (await backend.writeSummary(summary, token)) break;
    if (round > 50)
      throw new SummarySyncError('could not write the rebuilt summary: writers kept changing it');
  }
  return syncSummary(backend, options);
}

/** The summary of every stored run, read in order, `concurrency` at a time. */
async function summaryOfAllRuns(
  backend: SummaryBackend,
  options: ApplyOptions & { concurrency?: number },
): Promise<StatusSummary> {
  const names = (await backend.listRunsSince('0')).sort(compareNames);
  const summary = emptySummary();
  const concurrency = options.concurrency ?? 16;
  for (let start = 0; start < names.length; start += concurrency) {
    const batch = names.slice(start, start + concurrency);
    const runs = await Promise.all(batch.map((name) => backend.readRun(name)));
    runs.forEach((results, index) => {
      if (results) applyRunInPlace(summary, { name: batch[index] as string, results }, options);
    });
  }
  return summary;
}
