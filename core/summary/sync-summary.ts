import { randomBytes } from 'node:crypto';
import { UnreadableRunError } from '../parse-run.js';
import type { Result } from '../result.js';
import { compareNames } from '../run-order.js';
import {
  type ApplyOptions,
  applyRunToSummaryInPlace,
  emptySummary,
  hasApplied,
  type NamedRun,
} from './apply-run-to-summary.js';
import {
  type DocumentScope,
  type PageDocumentOptions,
  type PreviousShape,
  pageDocumentsToWrite,
  shapeOf,
  type TouchedResult,
} from './page-documents.js';
import {
  assignBlocks,
  blockRefsOf,
  blockStateOf,
  isBlockState,
  isSummaryRoot,
  placeTitles,
  rootOf,
  workingSummary,
} from './split-summary.js';
import {
  type BlockRef,
  type BlockState,
  RETIRE_AFTER_MS,
  type SummaryRoot,
  stateName,
  WHOLE_BLOCKS,
} from './summary-state-types.js';
import type { StatusSummary } from './summary-types.js';
import { type ListedState, sweepDue, sweepOrphanStates } from './sweep-orphan-states.js';

/** The version of the page documents this writer writes (StatusOverview.version). */
export const PAGE_DOCUMENTS_VERSION = 2;

/** The summary document as read, with what a conditional write needs to detect a change. */
export interface SummaryRead {
  /** The root (version 2), or a whole summary of version 1 written before the split. */
  summary: SummaryRoot | StatusSummary | undefined;
  /** A version token (an ETag, a version number); undefined when the document does not exist. */
  token?: string;
}

/**
 * What the summary writer needs from a storage. `conditional` stores refuse a write whose token
 * is stale (compare-and-swap); the others let the last writer win, and the writer then verifies.
 * The writers' state is the root `summary.json` and the block state documents it points to
 * (core/summary/summary-state-types.ts).
 */
export interface SummaryBackend {
  readonly conditional: boolean;
  readSummary(): Promise<SummaryRead>;
  /**
   * Writes the root. Returns false when `conditional` and the token is stale; otherwise true,
   * or the new document's token where the store tells it (an ETag).
   */
  writeSummary(summary: SummaryRoot, token: string | undefined): Promise<boolean | string>;
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
  /** A block state document (`state/3-<generation>.json`) as text, or undefined when there is none. */
  readState(name: string): Promise<string | undefined>;
  /** Writes a block state document. Each name is written once: every write takes a fresh generation. */
  writeState(name: string, body: string): Promise<void>;
  /** Deletes a block state document; one already gone is no error. */
  deleteState(name: string): Promise<void>;
  /**
   * Every stored state document with when it was last written (a last-writer-wins store's): lets
   * a writer sweep the ones no root points to (core/summary/sweep-orphan-states.ts).
   */
  listStates?(): Promise<ListedState[]>;
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
  /**
   * Apply only the runs stored when the sync starts (the fan-out planner's: its own tick's shards
   * store while it syncs). Without it each run landing during a sync starts another round that
   * rewrites every block it touches; the next sync applies them.
   */
  onlyRunsAtStart?: boolean;
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

/** A block state that should be there and is not, or is not one: the state is rebuilt from the runs. */
class MissingStateError extends Error {
  override readonly name = 'MissingStateError';
}

/** The writers' state as read: the root, or a whole summary (version 1, or rebuilt from the runs). */
interface StateRead {
  token: string | undefined;
  /** The stored root; undefined when nothing is stored yet or the state was whole. */
  root?: SummaryRoot;
  /** A whole summary, whose every block and page document is written. */
  whole?: StatusSummary;
  /** The root that `whole` replaces, whose state documents are retired. */
  replaced?: SummaryRoot;
}

/** The summary a writer works on, and where its blocks go. */
interface Working {
  /** The root's fields and the endpoints of the loaded blocks. */
  summary: StatusSummary;
  /** The root's blocks, with the titles of the runs applied placed. */
  blocks: BlockRef[];
  /** Each title's block. */
  blockOf: Map<string, number>;
  /** The blocks whose endpoints are all in `summary`. */
  loaded: Set<number>;
  /** The blocks whose state is written. */
  dirty: Set<number>;
  /** The summary's shape before the runs were applied; undefined: every page document is written. */
  previous: PreviousShape | undefined;
}

/**
 * Brings the stored summary up to date with every stored run and returns what it worked on:
 * the summary's timeline and bookkeeping with the endpoints of the blocks the new runs touched
 * (every endpoint up to WHOLE_BLOCKS blocks; none when nothing was new). The whole summary is
 * `readWholeSummary`.
 *
 * Each round reads the root, lists the runs inside its late window, reads the state of the blocks
 * those runs touch, applies the runs it has not applied (each run once: the root records what it
 * applied), writes those blocks' state under fresh names, the page documents they changed, and
 * then the root. On a conditional store a stale root write is retried from a fresh read (its
 * fresh block states, never pointed to, are deleted). On a last-writer-wins store (fs, s3rver,
 * S3 without conditional writes) another writer may overwrite our root with one that lacks our
 * run, so after writing we list and read again and repeat until the stored root has applied
 * every run we can see. The last writer to finish therefore always leaves a root holding every
 * run stored before it listed, and every run stored later has a writer of its own that comes
 * after it: no run is lost. Block states are never overwritten, so whichever root wins points to
 * states that hold exactly the runs it says it applied.
 */
export async function syncSummary(
  backend: SummaryBackend,
  options: SyncOptions = {},
): Promise<StatusSummary> {
  const maxRounds = options.maxRounds ?? 50;
  // Runs listed but gone when read (expired, deleted): not waited for again.
  const gone = new Set<string>();
  // State documents we wrote under a root that another writer then overwrote: retired later.
  let unreferenced: string[] = [];
  // With onlyRunsAtStart: the runs pending at the first listing, the only ones applied.
  let atStart: Set<string> | undefined;
  const pendingRuns = async (applied: Applied | undefined) => {
    const pending = (await listPending(backend, applied)).filter(
      (name) => !gone.has(name) && (atStart?.has(name) ?? true),
    );
    if (options.onlyRunsAtStart) atStart ??= new Set(pending);
    return pending;
  };
  for (let round = 0; round < maxRounds; round += 1) {
    let read = await readStateRoot(backend, options);
    const pending = await pendingRuns(read.whole?.writer ?? read.root?.writer);
    // A root from before the page documents gets them all written once, with no run needed.
    const published =
      read.whole === undefined &&
      (read.root === undefined || read.root.writer.pageDocuments === PAGE_DOCUMENTS_VERSION);
    if (pending.length === 0 && published) return read.root ? workingSummary(read.root, []) : emptySummary();

    const runs: NamedRun[] = [];
    for (const name of pending) {
      const results = options.known?.get(name) ?? (await readRunOrSkip(backend, name, options));
      if (results) runs.push({ name, results });
      else gone.add(name);
    }
    let working: Working;
    try {
      working = await loadWorking(backend, read, runs, !published);
    } catch (error) {
      if (!(error instanceof MissingStateError)) throw error;
      options.warn?.(`${error.message}: rebuilt the summary from the runs`);
      read = { token: read.token, whole: await summaryOfAllRuns(backend, options), replaced: read.root };
      working = await loadWorking(backend, read, runs, true);
    }
    const touched: TouchedResult[] = [];
    for (const run of runs) {
      applyRunToSummaryInPlace(working.summary, run, options);
      for (const result of run.results)
        touched.push({ title: result.title, t: Math.floor(result.timestamp / 1e6) });
    }
    const committed = await commitState(backend, working, read, touched, unreferenced, options);
    if (committed.written === false) continue;
    unreferenced = [];
    if (backend.conditional) return working.summary;
    // Still our root (same token) and nothing new listed: done, without reading it back. A
    // token that only looks like ours cannot lose a run: the writer of the root that replaced
    // ours verifies after us (only the last writer's check decides what stays stored).
    const written = committed.written;
    if (typeof written === 'string' && backend.peekToken && (await backend.peekToken()) === written) {
      if ((await pendingRuns(working.summary.writer)).length === 0) return working.summary;
      continue;
    }
    const check = await readStateRoot(backend, options);
    if (check.root && (await pendingRuns(check.root.writer)).length === 0) {
      // Another writer's root may have replaced ours and hold our runs in its own block states.
      return working.summary;
    }
    const current = referencedStates(check.root);
    unreferenced = committed.fresh.filter((name) => !current.has(name));
  }
  throw new SummarySyncError(`summary still missing runs after ${maxRounds} rounds of writers racing`);
}

/** What says which runs are applied: a root's or a whole summary's writer state. */
type Applied = { appliedSince: string; applied: string[] };

/**
 * Reads the root; a whole summary of version 1 (written before the split) is read whole, to be
 * written back split. A root that cannot be parsed (a store that lets concurrent writes of one
 * key interleave, such as s3rver, or a hand edit) or is of no version this writer knows is
 * rebuilt from the runs, which stay the truth.
 */
async function readStateRoot(
  backend: SummaryBackend,
  options: ApplyOptions & WarnOption,
): Promise<StateRead> {
  let read: SummaryRead;
  try {
    read = await backend.readSummary();
  } catch (error) {
    if (!(error instanceof CorruptSummaryError)) throw error;
    return { token: error.token, whole: await summaryOfAllRuns(backend, options) };
  }
  const stored: unknown = read.summary;
  if (stored === undefined) return { token: read.token };
  if (isSummaryRoot(stored)) return { token: read.token, root: stored };
  if (isWriterSummary(stored)) return { token: read.token, whole: assignBlocks(stored) };
  // A document without the writer's bookkeeping (another version, a hand edit) cannot say which
  // runs it holds: applying runs on top of it could count them twice, so it is rebuilt.
  options.warn?.(
    `${backend.summaryLocation ?? 'the summary'} is not a summary this version writes: rebuilt it from the runs`,
  );
  return { token: read.token, whole: await summaryOfAllRuns(backend, options) };
}

/** Loads the blocks `runs` touch (every block of a small or unpublished state) into one summary. */
async function loadWorking(
  backend: SummaryBackend,
  read: StateRead,
  runs: readonly NamedRun[],
  everything: boolean,
): Promise<Working> {
  const results = runs.flatMap((run) => run.results);
  if (read.whole) {
    const summary = assignBlocks(read.whole);
    const blocks = blockRefsOf(summary);
    const { blockOf } = placeTitles(blocks, results);
    const all = new Set(blocks.keys());
    return { summary, blocks, blockOf, loaded: all, dirty: new Set(all), previous: undefined };
  }
  const root = read.root ?? rootOf(emptySummary(), [], []);
  const blocks = structuredClone(root.blocks);
  const { touched, blockOf } = placeTitles(blocks, results);
  const loadAll = everything || root.blocks.length <= WHOLE_BLOCKS;
  const loaded = loadAll ? new Set(blocks.keys()) : touched;
  const states = await mapLimit([...loaded], 16, (block) =>
    readBlockState(backend, root.blocks[block], block),
  );
  const summary = workingSummary(root, states);
  return {
    summary,
    blocks,
    blockOf,
    loaded,
    dirty: new Set(everything ? loaded : touched),
    previous: everything ? undefined : shapeOf(summary),
  };
}

/** A block's state as its root points to it; an empty one for a block new or left empty. */
async function readBlockState(
  backend: SummaryBackend,
  ref: BlockRef | undefined,
  block: number,
): Promise<BlockState> {
  if (!ref?.state) return { version: 2, block, endpoints: [], open: {} };
  const text = await backend.readState(ref.state);
  if (text === undefined) throw new MissingStateError(`${ref.state} (block ${block}) is missing`);
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    throw new MissingStateError(`${ref.state} (block ${block}) is not JSON`);
  }
  if (!isBlockState(state, block))
    throw new MissingStateError(`${ref.state} (block ${block}) is not a block state this version writes`);
  return state;
}

/**
 * Writes what a round changed: the dirty blocks' state under fresh names, the page documents,
 * then the root pointing to them. A stale root write (conditional) deletes the fresh states; a
 * root written deletes the state documents retired long enough ago and, when its `lastRun` enters
 * another hour (or `sweep`), the old ones no root points to.
 */
async function commitState(
  backend: SummaryBackend,
  working: Working,
  read: StateRead,
  touched: readonly TouchedResult[],
  unreferenced: readonly string[],
  options: PageDocumentOptions & WarnOption & { nowMs?: number; sweep?: boolean },
): Promise<{ written: boolean | string; fresh: string[] }> {
  const { summary, blocks, loaded, dirty } = working;
  for (const endpoint of summary.endpoints) endpoint.block ??= working.blockOf.get(endpoint.title) ?? 0;
  summary.endpoints.sort((a, b) => (a.block ?? 0) - (b.block ?? 0));
  // The loaded blocks' titles as applying left them (an endpoint unseen for 90 days is dropped).
  for (const block of loaded) {
    const titles = summary.endpoints.filter((endpoint) => endpoint.block === block).map((e) => e.title);
    const ref = blocks[block] ?? { titles: [] };
    if (titles.join('\n') !== ref.titles.join('\n')) dirty.add(block);
    blocks[block] = { ...ref, titles };
  }
  const fresh = new Map<number, string>();
  for (const block of dirty) {
    const ref = blocks[block] as BlockRef;
    if (ref.titles.length === 0) delete ref.state;
    else fresh.set(block, stateName(block, generation()));
  }
  await mapLimit([...fresh], 16, ([block, name]) =>
    backend.writeState(name, JSON.stringify(blockStateOf(summary, block))),
  );
  for (const [block, name] of fresh) (blocks[block] as BlockRef).state = name;

  const parts =
    blocks.length > WHOLE_BLOCKS
      ? [...blocks.keys()].filter((block) => (blocks[block] as BlockRef).titles.length > 0)
      : undefined;
  await writePageDocuments(backend, working.previous, summary, touched, options, { blocks: loaded, parts });

  const replaced = read.root ?? read.replaced;
  const current = new Set(blocks.flatMap((ref) => (ref.state ? [ref.state] : [])));
  const stillPointed = referencedStates(read.root);
  const retiring = [
    ...(replaced?.writer.retired ?? []),
    ...(replaced?.blocks ?? []).flatMap((ref) =>
      ref.state ? [{ name: ref.state, at: summary.lastRun }] : [],
    ),
    ...unreferenced.filter((name) => !stillPointed.has(name)).map((name) => ({ name, at: summary.lastRun })),
  ].filter(
    (entry, index, all) => !current.has(entry.name) && all.findIndex((e) => e.name === entry.name) === index,
  );
  const kept = retiring.filter((entry) => summary.lastRun - entry.at < RETIRE_AFTER_MS);
  const expired = retiring.filter((entry) => summary.lastRun - entry.at >= RETIRE_AFTER_MS);

  const written = await backend.writeSummary(rootOf(summary, blocks, kept), read.token);
  if (written === false) {
    // Never pointed to by any root: nobody reads them.
    await deleteQuietly(backend, [...fresh.values()]);
    return { written, fresh: [] };
  }
  await deleteQuietly(
    backend,
    expired.map((entry) => entry.name),
  );
  // States no root names (a racing writer's, overwritten; a delete that failed): once an hour.
  if (options.sweep || sweepDue(replaced?.lastRun, summary.lastRun))
    await sweepOrphanStates(backend, [...current, ...kept.map((entry) => entry.name)], options);
  return { written, fresh: [...fresh.values()] };
}

/** The state documents a root points to. */
function referencedStates(root: SummaryRoot | undefined): Set<string> {
  return new Set((root?.blocks ?? []).flatMap((ref) => (ref.state ? [ref.state] : [])));
}

/** Deletes state documents, best effort: one left behind only takes space. */
async function deleteQuietly(backend: SummaryBackend, names: readonly string[]): Promise<void> {
  await mapLimit([...names], 16, (name) => backend.deleteState(name).catch(() => undefined));
}

/** A fresh generation name: random, so racing writers never pick the same. */
function generation(): string {
  return randomBytes(8).toString('hex');
}

/** `task` over `items`, `limit` at a time, results in order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
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

/**
 * Writes the page documents that changed from `previous` (every one in scope without it) and
 * marks the summary as carrying them. Sixteen at a time: a run at 10,000 endpoints changes one
 * recent hour and one overview part per block (400) and the overview.
 */
async function writePageDocuments(
  backend: SummaryBackend,
  previous: PreviousShape | undefined,
  next: StatusSummary,
  touched: Iterable<TouchedResult>,
  options: PageDocumentOptions,
  scope?: DocumentScope,
): Promise<void> {
  const documents = [...pageDocumentsToWrite(previous, next, touched, options, scope)];
  await mapLimit(documents, 16, ([name, document]) => backend.writeDocument(name, JSON.stringify(document)));
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

async function listPending(backend: SummaryBackend, applied: Applied | undefined): Promise<string[]> {
  const names = await backend.listRunsSince(applied?.appliedSince ?? '0');
  return names.filter((name) => !hasAppliedName(applied, name)).sort(compareNames);
}

function hasAppliedName(applied: Applied | undefined, name: string): boolean {
  return hasApplied(applied ? { ...emptySummary(), writer: { ...applied, open: {} } } : undefined, name);
}

/**
 * The whole summary: the root and every block state it points to, joined (a version 1 summary
 * as stored). What `checkup serve`, the badges and `Storage.readSummary` read; a writer reads
 * only the blocks it needs. A block state deleted under us (a newer root retired it long ago)
 * sends us back to the root.
 */
export async function readWholeSummary(backend: SummaryBackend): Promise<StatusSummary | undefined> {
  for (let round = 0; ; round += 1) {
    const read = await backend.readSummary();
    const stored: unknown = read.summary;
    if (stored === undefined || !isSummaryRoot(stored)) return read.summary as StatusSummary | undefined;
    try {
      const states = await mapLimit([...stored.blocks.keys()], 16, (block) =>
        readBlockState(backend, stored.blocks[block], block),
      );
      return workingSummary(stored, states);
    } catch (error) {
      if (!(error instanceof MissingStateError) || round >= 2) throw error;
    }
  }
}

/**
 * Recomputes the summary from every stored run (read in order, `concurrency` at a time), stores
 * it split (fresh block states, every page document, the root; the state documents of the root
 * it replaces are retired, old ones no root points to deleted), then syncs once more so runs
 * stored while it was rebuilding are not lost. Returns the whole summary.
 */
export async function rebuildStoredSummary(
  backend: SummaryBackend,
  options: ApplyOptions & WarnOption & { concurrency?: number } = {},
): Promise<StatusSummary> {
  const summary = await summaryOfAllRuns(backend, options);
  for (let round = 0; ; round += 1) {
    const { token, root } = await backend.readSummary().then(
      (read) => ({ token: read.token, root: isSummaryRoot(read.summary) ? read.summary : undefined }),
      (error: unknown) => {
        if (error instanceof CorruptSummaryError) return { token: error.token, root: undefined };
        throw error;
      },
    );
    const read: StateRead = { token, whole: structuredClone(summary), replaced: root };
    const working = await loadWorking(backend, read, [], true);
    if ((await commitState(backend, working, read, [], [], { ...options, sweep: true })).written !== false)
      break;
    if (round > 50)
      throw new SummarySyncError('could not write the rebuilt summary: writers kept changing it');
  }
  await syncSummary(backend, options);
  return (await readWholeSummary(backend)) ?? summary;
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
