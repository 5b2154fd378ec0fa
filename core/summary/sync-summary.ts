import { UnreadableRunError } from '../parse-run.js';
import type { Result } from '../result.js';
import { compareNames } from '../run-order.js';
import {
  type ApplyOptions,
  applyRunToSummaryInPlace,
  emptySummary,
  hasApplied,
} from './apply-run-to-summary.js';
import {
  type PageDocumentOptions,
  type PreviousShape,
  pageDocumentsToWrite,
  shapeOf,
  type TouchedResult,
} from './page-documents.js';
import type { StatusSummary } from './summary-types.js';

/** The version of the page documents this writer writes (StatusOverview.version). */
export const PAGE_DOCUMENTS_VERSION = 2;

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
  /**
   * Writes the document. Returns false when `conditional` and the token is stale; otherwise true,
   * or the new document's token where the store tells it (an ETag).
   */
  writeSummary(summary: StatusSummary, token: string | undefined): Promise<boolean | string>;
  /**
   * The stored document's token without its body (a HEAD), when the store can tell it: lets a
   * writer verify that its own write is still the stored one without downloading it again.
   */
  peekToken?(): Promise<string | undefined>;
  /** Names of the runs stored at or after `sinceDigits` (unix ns digits), oldest first. */
  listRunsSince(sinceDigits: string): Promise<string[]>;
  /**
   * The results of a run, or undefined when it is gone (expired since it was listed). A run that
   * cannot be read throws UnreadableRunError: it is skipped and reported, never applied.
   */
  readRun(name: string): Promise<Result[] | undefined>;
  /**
   * Writes one page document (core/summary/page-document-types.ts) by name (`overview.json`,
   * `history/0.json`, `recent/0-7.json`) as JSON text. The writer calls it only for documents a
   * run changed, before it writes the summary; the last writer wins, since every document is
   * drawn from the summary, which stays the truth.
   */
  writeDocument(name: string, body: string): Promise<void>;
  /** Where the summary document is (a path, a URL), for messages. */
  readonly summaryLocation?: string;
}

/** How the summary writer reports what it skipped or rebuilt (the storages print it). */
export interface WarnOption {
  warn?: (message: string) => void;
}

export interface SyncOptions extends ApplyOptions, WarnOption {
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
  // Runs listed but gone when read (expired, deleted): not waited for again.
  const gone = new Set<string>();
  const pendingRuns = async (summary: StatusSummary | undefined) =>
    (await listPending(backend, summary)).filter((name) => !gone.has(name));
  for (let round = 0; round < maxRounds; round += 1) {
    const read = await readOrRebuild(backend, options);
    const pending = await pendingRuns(read.summary);
    // A summary from before the page documents gets them all written once, with no run needed.
    const published = read.summary === undefined || hasPageDocuments(read.summary);
    if (pending.length === 0 && !read.rebuilt && published) return read.summary ?? emptySummary();

    // Every read parses a fresh document, so it can be changed in place.
    const next = read.summary ?? emptySummary();
    const previous = read.rebuilt || !published || !read.summary ? undefined : shapeOf(next);
    const touched: TouchedResult[] = [];
    for (const name of pending) {
      const results = options.known?.get(name) ?? (await readRunOrSkip(backend, name, options));
      if (!results) {
        gone.add(name);
        continue;
      }
      applyRunToSummaryInPlace(next, { name, results }, options);
      for (const result of results)
        touched.push({ title: result.title, t: Math.floor(result.timestamp / 1e6) });
    }
    await writePageDocuments(backend, previous, next, touched, options);
    const written = await backend.writeSummary(next, read.token);
    if (written === false) continue;
    if (backend.conditional) return next;
    // Still our document (same token) and nothing new listed: done, without reading it back. A
    // token that only looks like ours cannot lose a run: the writer of the document that replaced
    // ours verifies after us (only the last writer's check decides what stays stored).
    if (typeof written === 'string' && backend.peekToken && (await backend.peekToken()) === written) {
      if ((await pendingRuns(next)).length === 0) return next;
      continue;
    }
    const check = await readOrRebuild(backend, options);
    if (!check.rebuilt && check.summary && (await pendingRuns(check.summary)).length === 0)
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
  options: ApplyOptions & WarnOption,
): Promise<SummaryRead & { rebuilt?: boolean }> {
  let read: SummaryRead;
  try {
    read = await backend.readSummary();
  } catch (error) {
    if (!(error instanceof CorruptSummaryError)) throw error;
    return { summary: await summaryOfAllRuns(backend, options), token: error.token, rebuilt: true };
  }
  // A document without the writer's bookkeeping (another version, a hand edit) cannot say which
  // runs it holds: applying runs on top of it could count them twice, so it is rebuilt.
  if (read.summary !== undefined && !isWriterSummary(read.summary)) {
    options.warn?.(
      `${backend.summaryLocation ?? 'the summary'} is not a summary this version writes: rebuilt it from the runs`,
    );
    return { summary: await summaryOfAllRuns(backend, options), token: read.token, rebuilt: true };
  }
  return read;
}

/** A run's results; undefined when it is gone or cannot be read (then it is reported). */
async function readRunOrSkip(
  backend: SummaryBackend,
  name: string,
  options: WarnOption,
): Promise<Result[] | undefined> {
  try {
    return await backend.readRun(name);
  } catch (error) {
    if (!(error instanceof UnreadableRunError)) throw error;
    options.warn?.(error.message);
    return undefined;
  }
}

function hasPageDocuments(summary: StatusSummary): boolean {
  return summary.writer?.pageDocuments === PAGE_DOCUMENTS_VERSION;
}

/**
 * Writes the page documents that changed from `previous` (every one without it) and marks the
 * summary as carrying them. Sixteen at a time: a run at 10,000 endpoints changes one recent hour
 * per block (200) and the overview.
 */
async function writePageDocuments(
  backend: SummaryBackend,
  previous: PreviousShape | undefined,
  next: StatusSummary,
  touched: Iterable<TouchedResult>,
  options: PageDocumentOptions,
): Promise<void> {
  const documents = [...pageDocumentsToWrite(previous, next, touched, options)];
  for (let start = 0; start < documents.length; start += 16)
    await Promise.all(
      documents
        .slice(start, start + 16)
        .map(([name, document]) => backend.writeDocument(name, JSON.stringify(document))),
    );
  if (next.writer) next.writer.pageDocuments = PAGE_DOCUMENTS_VERSION;
}

function isWriterSummary(value: unknown): value is StatusSummary {
  const summary = value as Partial<StatusSummary> | null;
  return (
    isObject(summary) &&
    summary.version === 1 &&
    Array.isArray(summary.endpoints) &&
    summary.endpoints.every(
      (endpoint) =>
        isObject(endpoint) &&
        typeof endpoint.title === 'string' &&
        Array.isArray(endpoint.days) &&
        endpoint.days.every(isObject) &&
        Array.isArray(endpoint.recent) &&
        endpoint.recent.every(isObject),
    ) &&
    Array.isArray(summary.timeline) &&
    summary.timeline.every(isObject) &&
    Array.isArray(summary.recentRuns) &&
    isObject(summary.writer) &&
    typeof summary.writer.appliedSince === 'string' &&
    Array.isArray(summary.writer.applied) &&
    isObject(summary.writer.open) &&
    Object.values(summary.writer.open).every(
      (byEndpoint) => isObject(byEndpoint) && Object.values(byEndpoint).every(isObject),
    )
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function listPending(backend: SummaryBackend, summary: StatusSummary | undefined): Promise<string[]> {
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
  options: ApplyOptions & WarnOption & { concurrency?: number } = {},
): Promise<StatusSummary> {
  const summary = await summaryOfAllRuns(backend, options);
  await writePageDocuments(backend, undefined, summary, [], options);
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
  options: ApplyOptions & WarnOption & { concurrency?: number },
): Promise<StatusSummary> {
  const names = (await backend.listRunsSince('0')).sort(compareNames);
  const summary = emptySummary();
  const concurrency = options.concurrency ?? 16;
  for (let start = 0; start < names.length; start += concurrency) {
    const batch = names.slice(start, start + concurrency);
    const runs = await Promise.all(batch.map((name) => readRunOrSkip(backend, name, options)));
    runs.forEach((results, index) => {
      if (results) applyRunToSummaryInPlace(summary, { name: batch[index] as string, results }, options);
    });
  }
  return summary;
}
