import { randomBytes } from 'node:crypto';
import { mapLimit } from '../map-limit.js';
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
import { closeBlock, closedDaysUsable, joinDays, joinHours } from './closed-figures.js';
import {
  type HistoryBlock,
  historyName,
  RECENT_SLOTS,
  type RecentBlock,
  recentName,
} from './page-document-types.js';
import {
  type DocumentScope,
  historyThrough,
  openHoursFrom,
  overviewParts,
  type PageDocumentOptions,
  type PreviousShape,
  pageDocumentsToWrite,
  shapeOf,
} from './page-documents.js';
import {
  assignBlocks,
  blockRefsOf,
  blockStatesIn,
  isSummaryRoot,
  placeTitles,
  rootOf,
  segmentStateOf,
  workingSummary,
} from './split-summary.js';
import {
  type BlockRef,
  type BlockState,
  type ClosedPart,
  RETIRE_AFTER_MS,
  type SummaryRoot,
  segmentOf,
  stateName,
  WHOLE_BLOCKS,
} from './summary-state-types.js';
import type { DaySummary, EndpointSummary, RecentBucket, StatusSummary } from './summary-types.js';
import { type ListedState, sweepDue, sweepOrphanStates } from './sweep-orphan-states.js';
import { utcDay } from './uptime-figures.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The version of the page documents this writer writes (SummaryWriterState.pageDocuments): 3 has
 * overview parts by segment. A root marked with an older one gets every document and segment
 * state written again on its next store. Moving the open hours' buckets from the overview to
 * `recent/open-<segment>.json` needs no new version (no rewrite of every history at upgrade): a
 * segment's come with its next store, and until then the page draws its part's `recent`.
 */
export const PAGE_DOCUMENTS_VERSION = 3;

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
  /**
   * A page document as written, or undefined when there is none. A store that has it keeps only
   * what is open in its block states and reads the closed days and hours back from the history
   * and recent documents (docs/scale.md, "Split by time"); one without it keeps them all.
   */
  readDocument?(name: string): Promise<string | undefined>;
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
  /** The blocks whose endpoints are all in `summary`: every block of the segments loaded, all written. */
  loaded: Set<number>;
  /** The closed parts of the loaded blocks whose state leaves out what is closed (BlockState.closed). */
  closed: Map<number, ClosedPart>;
  /** The summary's shape before the runs were applied; undefined: every page document is written. */
  previous: PreviousShape | undefined;
}

/**
 * Brings the stored summary up to date with every stored run and returns what it worked on:
 * the summary's timeline and bookkeeping with the endpoints of the segments the new runs
 * touched (every endpoint up to WHOLE_BLOCKS blocks; none when nothing was new), holding what is
 * open where the store splits its state by time. The whole summary is `readWholeSummary`.
 *
 * Each round reads the root, lists the runs inside its late window, reads the state of the
 * segments those runs touch, applies the runs it has not applied (each run once: the root records
 * what it applied), writes the page documents they changed, those segments' state under fresh
 * names, and then the root. On a conditional store a stale root write is retried from a fresh read (its
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
    const applyAndCommit = async (everything: boolean) => {
      const working = await loadWorking(backend, read, runs, everything);
      for (const run of runs) applyRunToSummaryInPlace(working.summary, run, options);
      return { working, committed: await commitState(backend, working, read, unreferenced, options) };
    };
    let round: Awaited<ReturnType<typeof applyAndCommit>>;
    try {
      round = await applyAndCommit(!published);
    } catch (error) {
      // A state or closed history that should be there and is not: the runs stay the truth.
      if (!(error instanceof MissingStateError)) throw error;
      options.warn?.(`${error.message}: rebuilt the summary from the runs`);
      read = { token: read.token, whole: await summaryOfAllRuns(backend, options), replaced: read.root };
      round = await applyAndCommit(true);
    }
    const { working, committed } = round;
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

/**
 * Loads every block of the segments `runs` touch (of every segment for a whole or unpublished
 * state) into one summary: a segment is written whole, so all its blocks are needed.
 */
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
    return {
      summary,
      blocks,
      blockOf,
      loaded: new Set(blocks.keys()),
      closed: new Map(),
      previous: undefined,
    };
  }
  const root = read.root ?? rootOf(emptySummary(), [], []);
  const blocks = structuredClone(root.blocks);
  const { touched, blockOf } = placeTitles(blocks, results);
  const segments = new Set([...touched].map(segmentOf));
  // Up to WHOLE_BLOCKS blocks the overview is one document, drawn from every endpoint.
  const loadAll = everything || root.blocks.length <= WHOLE_BLOCKS;
  const loaded = new Set([...blocks.keys()].filter((block) => loadAll || segments.has(segmentOf(block))));
  const states = await readBlockStates(backend, root.blocks, loaded);
  const summary = workingSummary(root, states);
  const documentsAt = new Map(
    states.flatMap((state) =>
      state.documentsAt === undefined ? [] : ([[state.block, state.documentsAt]] as const),
    ),
  );
  return {
    summary,
    blocks,
    blockOf,
    loaded,
    closed: new Map(states.flatMap((state) => (state.closed ? [[state.block, state.closed] as const] : []))),
    previous: everything ? undefined : shapeOf(summary, documentsAt),
  };
}

/**
 * The states of `wanted` blocks as the root's `refs` point to them, each state document read
 * once (a segment's holds several blocks); an empty state for a block new or left empty.
 */
async function readBlockStates(
  backend: SummaryBackend,
  refs: readonly BlockRef[],
  wanted: ReadonlySet<number>,
): Promise<BlockState[]> {
  const names = [...new Set([...wanted].flatMap((block) => refs[block]?.state ?? []))];
  const documents = await mapLimit(names, 16, async (name) => {
    const text = await backend.readState(name);
    if (text === undefined) throw new MissingStateError(`${name} is missing`);
    let state: unknown;
    try {
      state = JSON.parse(text);
    } catch {
      throw new MissingStateError(`${name} is not JSON`);
    }
    const held = blockStatesIn(state);
    if (!held) throw new MissingStateError(`${name} is not a state this version writes`);
    return new Map(held.map((block) => [block.block, block]));
  });
  const byName = new Map(names.map((name, index) => [name, documents[index] as Map<number, BlockState>]));
  return [...wanted].map((block) => {
    const name = refs[block]?.state;
    if (!name) return { version: 2, block, endpoints: [], open: {} };
    const state = byName.get(name)?.get(block);
    if (!state) throw new MissingStateError(`${name} does not hold block ${block}`);
    return state;
  });
}

/**
 * Writes what a round changed: the page documents, the loaded segments' state under fresh names,
 * then the root pointing to them. A stale root write (conditional) deletes the fresh states; a
 * root written deletes the state documents retired long enough ago and, when its `lastRun` enters
 * another hour (or `sweep`), the old ones no root points to.
 */
async function commitState(
  backend: SummaryBackend,
  working: Working,
  read: StateRead,
  unreferenced: readonly string[],
  options: PageDocumentOptions & WarnOption & { nowMs?: number; sweep?: boolean },
): Promise<{ written: boolean | string; fresh: string[] }> {
  const { summary, blocks, loaded } = working;
  for (const endpoint of summary.endpoints) endpoint.block ??= working.blockOf.get(endpoint.title) ?? 0;
  summary.endpoints.sort((a, b) => (a.block ?? 0) - (b.block ?? 0));
  // The loaded blocks' titles as applying left them (an endpoint unseen for 90 days is dropped).
  const bySegment = new Map<number, number[]>();
  for (const block of loaded) {
    const titles = summary.endpoints.filter((endpoint) => endpoint.block === block).map((e) => e.title);
    const ref: BlockRef = { ...(blocks[block] ?? {}), titles };
    delete ref.state;
    blocks[block] = ref;
    if (titles.length > 0)
      bySegment.set(segmentOf(block), [...(bySegment.get(segmentOf(block)) ?? []), block]);
  }
  // Split by time: the closed days and hours a round needs back are read first, then the page
  // documents written, then each block's state keeps only what is open.
  await joinClosed(backend, working, options);
  await writePageDocuments(backend, working.previous, summary, options, {
    blocks: loaded,
    parts: overviewParts([...blocks.keys()].filter((block) => (blocks[block] as BlockRef).titles.length > 0)),
    closed: working.closed,
  });
  if (backend.readDocument)
    for (const block of loaded)
      working.closed.set(
        block,
        closeBlock(
          endpointsOfBlock(summary, block),
          working.closed.get(block),
          summary.lastRun,
          historyThrough(summary.lastRun, block, options),
          openHoursFrom(summary.lastRun, options),
        ),
      );
  const fresh = new Map([...bySegment.keys()].map((segment) => [segment, stateName(segment, generation())]));
  await mapLimit([...fresh], 16, ([segment, name]) =>
    backend.writeState(
      name,
      JSON.stringify(
        segmentStateOf(summary, segment, bySegment.get(segment) ?? [], summary.lastRun, working.closed),
      ),
    ),
  );
  for (const [segment, name] of fresh)
    for (const block of bySegment.get(segment) ?? []) (blocks[block] as BlockRef).state = name;

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

/** The endpoints of one block of a summary (kept by reference: changing them changes the summary). */
function endpointsOfBlock(summary: StatusSummary, block: number): EndpointSummary[] {
  return summary.endpoints.filter((endpoint) => endpoint.block === block);
}

/**
 * Lays back under the loaded blocks' endpoints the closed data this round needs: a block's
 * closed days when a day closed for it (its history document is rewritten with them) or the
 * figures cannot give today's windows, and its closed hours too when its endpoints changed or
 * every document is written (its recent hours are rewritten). Otherwise nothing is read.
 */
async function joinClosed(
  backend: SummaryBackend,
  working: Working,
  options: PageDocumentOptions,
): Promise<void> {
  const { summary, previous } = working;
  const today = utcDay(summary.updated);
  await mapLimit([...working.closed], 16, async ([block, part]) => {
    const endpoints = endpointsOfBlock(summary, block);
    const titles = endpoints.map((endpoint) => endpoint.title).join('\n');
    const rewritten =
      previous === undefined ||
      previous.documentsAt.get(block) === undefined ||
      previous.titles.get(block) !== titles;
    if (
      part.through !== undefined &&
      (rewritten ||
        part.through !== historyThrough(summary.lastRun, block, options) ||
        !closedDaysUsable(part.through, today))
    )
      joinDays(endpoints, part, await readClosedDays(backend, block));
    if (part.hoursFrom !== undefined && rewritten)
      joinHours(endpoints, part, await readClosedHours(backend, block, summary.lastRun), summary.lastRun);
  });
}

/** A block's closed days by title, from its history document (which must be there). */
async function readClosedDays(backend: SummaryBackend, block: number): Promise<Map<string, DaySummary[]>> {
  const name = historyName(block);
  const text = await backend.readDocument?.(name);
  if (text === undefined) throw new MissingStateError(`${name} is missing`);
  const history = parseOrUndefined(text) as HistoryBlock | undefined;
  if (!Array.isArray(history?.endpoints)) throw new MissingStateError(`${name} is not a history document`);
  return new Map(history.endpoints.map((entry) => [entry.title, entry.days]));
}

/** A block's buckets of the closed hours of the 24 hours up to `lastRun`, by title, from its recent hour documents. */
async function readClosedHours(
  backend: SummaryBackend,
  block: number,
  lastRun: number,
): Promise<Map<string, RecentBucket[]>> {
  const first = Math.floor((lastRun - DAY_MS) / HOUR_MS) * HOUR_MS;
  const hours = Array.from({ length: RECENT_SLOTS }, (_, i) => first + i * HOUR_MS);
  const documents = await mapLimit(hours, 8, async (hour) => {
    const text = await backend.readDocument?.(recentName(block, hour));
    const document = text === undefined ? undefined : (parseOrUndefined(text) as RecentBlock | undefined);
    // A slot still holding the hour of a day ago, or never written (an hour with no checks).
    return document?.hour === hour && Array.isArray(document.endpoints) ? document.endpoints : [];
  });
  const buckets = new Map<string, RecentBucket[]>();
  for (const entry of documents.flat())
    buckets.set(entry.title, [...(buckets.get(entry.title) ?? []), ...entry.recent]);
  return buckets;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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
 * overview part and one open hours' document per segment (20 each) and the overview, and once an hour each block's closed hour.
 */
async function writePageDocuments(
  backend: SummaryBackend,
  previous: PreviousShape | undefined,
  next: StatusSummary,
  options: PageDocumentOptions,
  scope?: DocumentScope,
): Promise<void> {
  const documents = [...pageDocumentsToWrite(previous, next, options, scope)];
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
 * The whole summary: the root and every block state it points to, joined, with the closed days
 * and hours the states leave out read back from the history and recent hour documents (a version
 * 1 summary as stored). What `checkup serve`, the badges and `Storage.readSummary` read; a writer reads
 * only the blocks it needs. A block state deleted under us (a newer root retired it long ago)
 * sends us back to the root.
 */
export async function readWholeSummary(backend: SummaryBackend): Promise<StatusSummary | undefined> {
  for (let round = 0; ; round += 1) {
    const read = await backend.readSummary();
    const stored: unknown = read.summary;
    if (stored === undefined || !isSummaryRoot(stored)) return read.summary as StatusSummary | undefined;
    try {
      const states = await readBlockStates(backend, stored.blocks, new Set(stored.blocks.keys()));
      // The closed days and hours a state leaves out, laid back from the history and recent documents.
      await mapLimit(states, 16, async (state) => {
        const part = state.closed;
        if (part?.through !== undefined)
          joinDays(state.endpoints, part, await readClosedDays(backend, state.block));
        if (part?.hoursFrom !== undefined)
          joinHours(
            state.endpoints,
            part,
            await readClosedHours(backend, state.block, stored.lastRun),
            stored.lastRun,
          );
      });
      return workingSummary(stored, states);
    } catch (error) {
      if (!(error instanceof MissingStateError) || round >= 2) throw error;
    }
  }
}

/**
 * The page documents as the writers stored them, read by name (undefined: not written, as for an
 * hour with no checks), when the store reads its documents back and its root says they are this
 * version's: every one is then written, so a reader passes them through instead of drawing them
 * from the whole summary (a root, its states, and each block's history and 25 recent hours).
 * Undefined for a store that keeps none (DynamoDB's table, GitHub), a summary from before the
 * split or the documents, or one that cannot be read: its reader draws them from `readWholeSummary`.
 */
export async function storedPageDocuments(
  backend: SummaryBackend,
): Promise<((name: string) => Promise<string | undefined>) | undefined> {
  const readDocument = backend.readDocument?.bind(backend);
  if (!readDocument) return undefined;
  const stored: unknown = await backend.readSummary().then(
    (read) => read.summary,
    (error: unknown) => {
      if (error instanceof CorruptSummaryError) return undefined;
      throw error;
    },
  );
  if (!isSummaryRoot(stored) || stored.writer.pageDocuments !== PAGE_DOCUMENTS_VERSION) return undefined;
  return readDocument;
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
    if ((await commitState(backend, working, read, [], { ...options, sweep: true })).written !== false) break;
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
