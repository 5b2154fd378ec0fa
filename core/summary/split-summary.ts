import type { Result } from '../result.js';
import {
  type BlockRef,
  type BlockState,
  type ClosedPart,
  type RootWriterState,
  type SegmentState,
  STATE_BLOCK_SIZE,
  SUMMARY_ROOT_VERSION,
  type SummaryRoot,
} from './summary-state-types.js';
import type { EndpointSummary, StatusSummary } from './summary-types.js';

/** An endpoint's block: its own, or, in a summary from before blocks, its place divided by 50. */
export function blockOfEndpoint(endpoint: EndpointSummary, index: number): number {
  return endpoint.block ?? Math.floor(index / STATE_BLOCK_SIZE);
}

/** Gives every endpoint of a whole summary its block (a version 1 summary's: by its place). */
export function assignBlocks(summary: StatusSummary): StatusSummary {
  summary.endpoints.forEach((endpoint, index) => {
    endpoint.block = blockOfEndpoint(endpoint, index);
  });
  return summary;
}

/** The block refs of a whole summary whose endpoints have blocks: titles only, no state yet. */
export function blockRefsOf(summary: StatusSummary): BlockRef[] {
  const blocks: BlockRef[] = [];
  for (const endpoint of summary.endpoints) {
    const block = endpoint.block ?? 0;
    while (blocks.length <= block) blocks.push({ titles: [] });
    (blocks[block] as BlockRef).titles.push(endpoint.title);
  }
  return blocks;
}

/**
 * Places the titles of `results` in blocks: a known title stays in its block, a new one goes to
 * the last block while it has room, then to a new one. Changes `blocks`; returns the blocks the
 * results touch and every title's block.
 */
export function placeTitles(
  blocks: BlockRef[],
  results: Iterable<Result>,
): { touched: Set<number>; blockOf: Map<string, number> } {
  const blockOf = new Map<string, number>();
  blocks.forEach((ref, block) => {
    for (const title of ref.titles) blockOf.set(title, block);
  });
  const touched = new Set<number>();
  for (const { title } of results) {
    let block = blockOf.get(title);
    if (block === undefined) {
      const last = blocks[blocks.length - 1];
      if (!last || last.titles.length >= STATE_BLOCK_SIZE) blocks.push({ titles: [] });
      block = blocks.length - 1;
      (blocks[block] as BlockRef).titles.push(title);
      blockOf.set(title, block);
    }
    touched.add(block);
  }
  return { touched, blockOf };
}

/**
 * A segment's state drawn from a summary holding its endpoints: its `blocks` that hold any, each
 * marked with the run its page documents are now up to date with, and with its closed part when
 * it leaves out what is closed.
 */
export function segmentStateOf(
  summary: StatusSummary,
  segment: number,
  blocks: readonly number[],
  documentsAt: number,
  closed: ReadonlyMap<number, ClosedPart> = new Map(),
): SegmentState {
  return {
    version: SUMMARY_ROOT_VERSION,
    segment,
    blocks: [...blocks]
      .sort((a, b) => a - b)
      .map((block) => {
        const part = closed.get(block);
        return { ...blockStateOf(summary, block), documentsAt, ...(part ? { closed: part } : {}) };
      }),
  };
}

/** One block's state drawn from a summary holding its endpoints. */
export function blockStateOf(summary: StatusSummary, block: number): BlockState {
  const endpoints = summary.endpoints.filter((endpoint) => endpoint.block === block);
  const open: BlockState['open'] = {};
  const ballots: NonNullable<BlockState['ballots']> = {};
  for (const { title } of endpoints) {
    const histograms = summary.writer?.open[title];
    if (histograms) open[title] = histograms;
    const ballot = summary.writer?.ballots?.[title];
    if (ballot) ballots[title] = ballot;
  }
  return {
    version: SUMMARY_ROOT_VERSION,
    block,
    endpoints,
    open,
    ...(Object.keys(ballots).length > 0 ? { ballots } : {}),
  };
}

/** The root of a summary: everything but the endpoints, with `blocks` for them. */
export function rootOf(
  summary: StatusSummary,
  blocks: BlockRef[],
  retired: RootWriterState['retired'],
): SummaryRoot {
  const writer = summary.writer;
  const root: SummaryRoot = {
    version: SUMMARY_ROOT_VERSION,
    updated: summary.updated,
    lastRun: summary.lastRun,
    timeline: summary.timeline,
    recentRuns: summary.recentRuns,
    writer: {
      appliedSince: writer?.appliedSince ?? '0',
      applied: writer?.applied ?? [],
      ...(writer?.pageDocuments !== undefined ? { pageDocuments: writer.pageDocuments } : {}),
      retired,
    },
    blocks,
  };
  if (summary.intervalMs !== undefined) root.intervalMs = summary.intervalMs;
  return root;
}

/**
 * The summary a writer works on: the root's fields and the endpoints of the block states given
 * (the blocks a run touches, or all of them), in block order.
 */
export function workingSummary(root: SummaryRoot, states: Iterable<BlockState>): StatusSummary {
  const summary: StatusSummary = {
    version: 1,
    updated: root.updated,
    lastRun: root.lastRun,
    endpoints: [],
    timeline: root.timeline,
    recentRuns: root.recentRuns,
    writer: {
      appliedSince: root.writer.appliedSince,
      applied: root.writer.applied,
      open: {},
      ...(root.writer.pageDocuments !== undefined ? { pageDocuments: root.writer.pageDocuments } : {}),
    },
  };
  if (root.intervalMs !== undefined) summary.intervalMs = root.intervalMs;
  const writer = summary.writer as NonNullable<StatusSummary['writer']>;
  for (const state of [...states].sort((a, b) => a.block - b.block)) {
    for (const endpoint of state.endpoints) summary.endpoints.push({ ...endpoint, block: state.block });
    Object.assign(writer.open, state.open);
    if (state.ballots) writer.ballots = { ...writer.ballots, ...state.ballots };
  }
  return summary;
}

/** Whether `value` is a root this version writes (anything else is rebuilt from the runs). */
export function isSummaryRoot(value: unknown): value is SummaryRoot {
  const root = value as Partial<SummaryRoot> | null;
  return (
    isObject(root) &&
    root.version === SUMMARY_ROOT_VERSION &&
    typeof root.lastRun === 'number' &&
    Array.isArray(root.timeline) &&
    Array.isArray(root.recentRuns) &&
    isObject(root.writer) &&
    typeof root.writer.appliedSince === 'string' &&
    Array.isArray(root.writer.applied) &&
    Array.isArray(root.writer.retired) &&
    Array.isArray(root.blocks) &&
    root.blocks.every(
      (block) =>
        isObject(block) &&
        Array.isArray(block.titles) &&
        (block.state === undefined || typeof block.state === 'string'),
    )
  );
}

/** Whether `value` is the state of block `block` (anything else is rebuilt from the runs). */
export function isBlockState(value: unknown, block: number): value is BlockState {
  const state = value as Partial<BlockState> | null;
  return (
    isObject(state) &&
    state.version === SUMMARY_ROOT_VERSION &&
    state.block === block &&
    Array.isArray(state.endpoints) &&
    state.endpoints.every(
      (endpoint) =>
        isObject(endpoint) &&
        typeof endpoint.title === 'string' &&
        Array.isArray(endpoint.days) &&
        Array.isArray(endpoint.recent),
    ) &&
    isObject(state.open)
  );
}

/**
 * The block states a state document holds: a segment's blocks, or (written before segments) the
 * one block it names; undefined when it is neither.
 */
export function blockStatesIn(value: unknown): BlockState[] | undefined {
  const segment = value as Partial<SegmentState> | null;
  if (
    isObject(segment) &&
    segment.version === SUMMARY_ROOT_VERSION &&
    typeof segment.segment === 'number' &&
    Array.isArray(segment.blocks)
  ) {
    const blocks = segment.blocks as unknown[];
    return blocks.every(
      (state) => isObject(state) && typeof state.block === 'number' && isBlockState(state, state.block),
    )
      ? (blocks as BlockState[])
      : undefined;
  }
  return isObject(value) && typeof value.block === 'number' && isBlockState(value, value.block)
    ? [value]
    : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
