import { describe, expect, it } from 'vitest';
import type { Result } from '../../core/result.js';
import { compareDigits } from '../../core/run-order.js';
import { rebuildSummary } from '../../core/summary/apply-run-to-summary.js';
import { blockStateOf, rootOf } from '../../core/summary/split-summary.js';
import type { SummaryRoot } from '../../core/summary/summary-state-types.js';
import { syncStoredRun } from '../../core/summary/sync-stored-run.js';
import {
  PAGE_DOCUMENTS_VERSION,
  readWholeSummary,
  type SummaryBackend,
  syncSummary,
} from '../../core/summary/sync-summary.js';
import { ns, result, run } from '../helpers/make-runs.js';

const T0 = ns('2026-11-24T10:00:00Z');

/**
 * A last-writer-wins store held in memory, whose `afterWrite` hook lets a test put another
 * writer's write exactly between ours and our check: the interleaving that loses runs.
 */
function memoryStore(runs: Map<string, Result[]>) {
  let stored: string | undefined;
  let version = 0;
  const states = new Map<string, string>();
  const store = {
    afterWrite: undefined as (() => void) | undefined,
    writes: 0,
    /** The page documents written, by name, and the names of each round's writes. */
    documents: new Map<string, string>(),
    documentWrites: [] as string[],
    /** The block state documents, by name, and the names read and written. */
    states,
    stateReads: [] as string[],
    stateWrites: [] as string[],
    set(summary: SummaryRoot) {
      stored = JSON.stringify(summary);
      version += 1;
    },
    get summary(): SummaryRoot | undefined {
      return stored === undefined ? undefined : (JSON.parse(stored) as SummaryRoot);
    },
    backend: {
      conditional: false,
      readSummary: async () => ({
        summary: stored === undefined ? undefined : (JSON.parse(stored) as SummaryRoot),
        token: String(version),
      }),
      writeSummary: async (summary: SummaryRoot) => {
        store.set(summary);
        store.writes += 1;
        const hook = store.afterWrite;
        store.afterWrite = undefined;
        hook?.();
        return true;
      },
      listRunsSince: async (since: string) =>
        [...runs.keys()].filter((name) => compareDigits(name.split('-')[0] as string, since) >= 0).sort(),
      readRun: async (name: string) => runs.get(name),
      writeDocument: async (name: string, body: string) => {
        store.documents.set(name, body);
        store.documentWrites.push(name);
      },
      readState: async (name: string): Promise<string | undefined> => {
        store.stateReads.push(name);
        return states.get(name);
      },
      writeState: async (name: string, body: string) => {
        store.stateWrites.push(name);
        states.set(name, body);
      },
      deleteState: async (name: string) => {
        states.delete(name);
      },
    } satisfies SummaryBackend,
  };
  return store;
}

describe('syncSummary on a last-writer-wins store', () => {
  it('repairs the summary when another writer overwrites ours with one that lacks our run', async () => {
    const first = run(T0, [result('API', T0)]);
    const second = run(T0 + 1e9, [result('API', T0 + 1e9)]);
    const runs = new Map([[first.name, [...first.results]]]);
    const store = memoryStore(runs);
    await syncSummary(store.backend);
    const before = store.summary as SummaryRoot;

    runs.set(second.name, [...second.results]);
    // A slower writer that read the summary before our run existed writes its stale copy right after us.
    store.afterWrite = () => store.set(before);
    const synced = await syncSummary(store.backend);

    expect(store.summary?.writer?.applied).toEqual([first.name, second.name]);
    expect(synced.writer?.applied).toEqual([first.name, second.name]);
    expect(store.writes).toBe(3);
  });

  it('writes nothing when every run is applied already', async () => {
    const first = run(T0, [result('API', T0)]);
    const store = memoryStore(new Map([[first.name, [...first.results]]]));
    await syncSummary(store.backend);
    await syncSummary(store.backend);
    expect(store.writes).toBe(1);
    expect((await readWholeSummary(store.backend))?.endpoints[0]?.days[0]?.checks).toBe(1);
  });

  it('with onlyRunsAtStart leaves runs stored while it syncs to the next sync: one round while shards land', async () => {
    const previousTick = run(T0, [result('API', T0)]);
    const tick = T0 + 60e9;
    const runs = new Map([[previousTick.name, [...previousTick.results]]]);
    const landing = (offset: number) => {
      const shard = run(tick + offset * 1e9, [result(`S${offset}`, tick + offset * 1e9)]);
      runs.set(shard.name, [...shard.results]);
      return shard.name;
    };
    // This tick's shards store while the planner syncs: one lands after each of its writes.
    const store = memoryStore(runs);
    const backend = {
      ...store.backend,
      // One lands right after the planner listed, another after its write.
      listRunsSince: async (since: string) => {
        const names = await store.backend.listRunsSince(since);
        if (landed.length === 0) landed.push(landing(1));
        return names;
      },
    };
    const landed: string[] = [];
    store.afterWrite = () => landed.push(landing(2));
    const synced = await syncSummary(backend, { onlyRunsAtStart: true });
    expect(store.writes).toBe(1);
    expect(store.stateWrites).toHaveLength(1);
    expect(synced.writer?.applied).toEqual([previousTick.name]);

    // Without the cutoff the same landing starts another round, rewriting the blocks again.
    const uncutRuns = new Map([[previousTick.name, [...previousTick.results]]]);
    const uncut = memoryStore(uncutRuns);
    const late = run(tick + 3e9, [result('S3', tick + 3e9)]);
    uncut.afterWrite = () => uncutRuns.set(late.name, [...late.results]);
    await syncSummary(uncut.backend);
    expect(uncut.writes).toBe(2);

    // The next planner's sync applies what was left.
    await syncSummary(store.backend, { onlyRunsAtStart: true });
    expect(store.summary?.writer.applied).toEqual([previousTick.name, ...landed]);
  });

  it('skips a run that expired between listing and reading', async () => {
    const first = run(T0, [result('API', T0)]);
    const store = memoryStore(new Map([[first.name, [...first.results]]]));
    const backend = { ...store.backend, readRun: async () => undefined };
    const summary = await syncSummary(backend);
    expect(summary.endpoints).toEqual([]);
  });
});

const titles = (count: number) => Array.from({ length: count }, (_, i) => `E${String(i).padStart(3, '0')}`);

describe('syncSummary with the state split by block', () => {
  it('reads and writes only the segments a run touched, one state and one overview part each', async () => {
    const names = titles(1100); // 22 blocks of 50 in 3 segments of 10 blocks
    const first = run(
      T0,
      names.map((title) => result(title, T0)),
    );
    const runs = new Map([[first.name, [...first.results]]]);
    const store = memoryStore(runs);
    await syncSummary(store.backend);
    expect(store.summary?.blocks).toHaveLength(22);
    expect(new Set(store.summary?.blocks.map((block) => block.state)).size).toBe(3);
    expect(store.stateWrites.map((name) => name.split('-')[0]).sort()).toEqual([
      'state/0',
      'state/1',
      'state/2',
    ]);
    store.stateReads.length = 0;
    store.stateWrites.length = 0;
    store.documentWrites.length = 0;

    const second = run(T0 + 60e9, [result('E160', T0 + 60e9, 'down'), result('E1080', T0 + 60e9)]);
    runs.set(second.name, [...second.results]);
    const synced = await syncSummary(store.backend);

    // Segment 0 (blocks 0-9) and segment 2 (blocks 20-21): one state document each, read once.
    expect(store.stateReads.map((name) => name.split('-')[0])).toEqual(['state/0', 'state/2']);
    expect(store.stateWrites.map((name) => name.split('-')[0]).sort()).toEqual(['state/0', 'state/2']);
    expect(store.documentWrites.filter((name) => !name.startsWith('recent/')).sort()).toEqual([
      'overview.json',
      'overview/0.json',
      'overview/2.json',
    ]);
    expect(synced.endpoints).toHaveLength(600);
    const overview = JSON.parse(store.documents.get('overview.json') as string);
    expect(overview).toMatchObject({ endpoints: [], parts: [0, 1, 2] });
    const part = JSON.parse(store.documents.get('overview/0.json') as string);
    expect(part.segment).toBe(0);
    expect(part.endpoints).toHaveLength(500);
    expect(part.endpoints.find((entry: { title: string }) => entry.title === 'E160')).toMatchObject({
      status: 'down',
      block: 3,
    });
    const whole = await readWholeSummary(store.backend);
    expect(whole?.endpoints).toHaveLength(1100);
    expect(whole?.endpoints.find((endpoint) => endpoint.title === 'E160')?.days[0]?.checks).toBe(2);
  });

  it('reads a root from before segments (one state per block) and rewrites a touched segment whole', async () => {
    const names = titles(600); // 12 blocks: segment 0 (10 blocks) and segment 1 (2)
    const first = run(
      T0 - 86_400e9,
      names.map((title) => result(title, T0 - 86_400e9, 'down')),
    );
    const store = memoryStore(new Map());
    // The state as the release before segments stored it: state/<block>-<gen>.json per block.
    const old = rebuildSummary([first]);
    old.endpoints.forEach((endpoint, index) => {
      endpoint.block = Math.floor(index / 50);
    });
    const blocks = Array.from({ length: 12 }, (_, block) => {
      const state = {
        ...blockStateOf(old, block),
      };
      store.states.set(`state/${block}-old.json`, JSON.stringify(state));
      return { state: `state/${block}-old.json`, titles: names.slice(block * 50, block * 50 + 50) };
    });
    const root = rootOf(old, blocks, []);
    store.set({ ...root, writer: { ...root.writer, pageDocuments: PAGE_DOCUMENTS_VERSION } });

    const runs = new Map<string, Result[]>();
    const second = run(T0, [result('E010', T0)]);
    runs.set(second.name, [...second.results]);
    const backend = {
      ...store.backend,
      listRunsSince: async () => [second.name],
      readRun: async () => second.results as Result[],
    };
    await syncSummary(backend);

    const whole = await readWholeSummary(store.backend);
    expect(whole?.endpoints).toHaveLength(600);
    // History the runs no longer hold is kept, and every block of every segment is there.
    expect(
      whole?.endpoints
        .find((endpoint) => endpoint.title === 'E010')
        ?.days.map((day) => [day.checks, day.down]),
    ).toEqual([
      [1, 1],
      [1, 0],
    ]);
    expect(whole?.endpoints.find((endpoint) => endpoint.title === 'E590')?.days[0]?.down).toBe(1);
    // Segment 0 is now one document for its 10 blocks; segment 1, untouched, keeps its blocks' own.
    const states = store.summary?.blocks.map((block) => block.state) ?? [];
    expect(new Set(states.slice(0, 10)).size).toBe(1);
    expect(states[0]).toMatch(/^state\/0-[0-9a-f]+\.json$/);
    expect(states.slice(10)).toEqual(['state/10-old.json', 'state/11-old.json']);
  });

  it('loses no run when a racing writer overwrites the root with one pointing to older block states', async () => {
    const names = titles(300);
    const first = run(
      T0,
      names.map((title) => result(title, T0)),
    );
    const runs = new Map([[first.name, [...first.results]]]);
    const store = memoryStore(runs);
    await syncSummary(store.backend);
    const before = store.summary as SummaryRoot;

    const second = run(T0 + 60e9, [result('E010', T0 + 60e9, 'down')]);
    runs.set(second.name, [...second.results]);
    store.afterWrite = () => store.set(before);
    await syncSummary(store.backend);

    expect(store.summary?.writer.applied).toEqual([first.name, second.name]);
    const whole = await readWholeSummary(store.backend);
    expect(whole?.endpoints.find((endpoint) => endpoint.title === 'E010')).toMatchObject({ status: 'down' });
    // Every block state the root points to is there.
    for (const block of store.summary?.blocks ?? [])
      expect(store.states.has(block.state as string)).toBe(true);
  });

  it('rebuilds the state from the runs when a block state is missing', async () => {
    const names = titles(300);
    const first = run(
      T0,
      names.map((title) => result(title, T0)),
    );
    const runs = new Map([[first.name, [...first.results]]]);
    const store = memoryStore(runs);
    await syncSummary(store.backend);
    store.states.delete(store.summary?.blocks[2]?.state as string);
    const second = run(T0 + 60e9, [result('E120', T0 + 60e9)]);
    runs.set(second.name, [...second.results]);
    const warnings: string[] = [];
    await syncSummary(store.backend, { warn: (message) => warnings.push(message) });
    expect(warnings.join()).toMatch(/state\/0-.* is missing: rebuilt the summary from the runs/);
    const whole = await readWholeSummary(store.backend);
    expect(whole?.endpoints).toHaveLength(300);
    expect(whole?.endpoints.find((endpoint) => endpoint.title === 'E120')?.days[0]?.checks).toBe(2);
  });

  it('migrates a version 1 summary.json without losing history the runs no longer hold', async () => {
    // Written by the release before the split: one document, with a day whose runs have expired.
    const old = run(T0 - 86_400e9, [result('API', T0 - 86_400e9, 'down')]);
    const v1 = rebuildSummary([old]);
    expect(v1.version).toBe(1);
    const fresh = run(T0, [result('API', T0)]);
    const store = memoryStore(new Map([[fresh.name, [...fresh.results]]]));
    store.set(v1 as unknown as SummaryRoot);
    await syncSummary(store.backend);

    expect(store.summary).toMatchObject({ version: 2, writer: { applied: [fresh.name] } });
    const whole = await readWholeSummary(store.backend);
    expect(whole?.endpoints[0]?.days.map((day) => [day.day, day.checks, day.down])).toEqual([
      ['2026-11-23', 1, 1],
      ['2026-11-24', 1, 0],
    ]);
    expect(whole?.timeline[0]).toMatchObject({ kind: 'status', status: 'healthy', previous: 'down' });
  });

  it('deletes replaced block states once they have been retired for 15 minutes of runs', async () => {
    const first = run(T0, [result('API', T0)]);
    const runs = new Map([[first.name, [...first.results]]]);
    const store = memoryStore(runs);
    await syncSummary(store.backend);
    const original = store.summary?.blocks[0]?.state as string;
    const second = run(T0 + 60e9, [result('API', T0 + 60e9)]);
    runs.set(second.name, [...second.results]);
    await syncSummary(store.backend);
    expect(store.states.has(original)).toBe(true);
    expect(store.summary?.writer.retired.map((entry) => entry.name)).toEqual([original]);
    const later = run(T0 + 16 * 60e9, [result('API', T0 + 16 * 60e9)]);
    runs.set(later.name, [...later.results]);
    await syncSummary(store.backend);
    expect(store.states.has(original)).toBe(false);
    expect([...store.states.keys()]).toEqual(
      expect.arrayContaining([store.summary?.blocks[0]?.state as string]),
    );
  });
  it('sweeps, once its lastRun enters another hour, the old states of a writer whose root was overwritten by one holding its runs', async () => {
    const ms = (t: number) => Math.floor(t / 1e6);
    const first = run(T0, [result('API', T0)]);
    const runs = new Map([[first.name, [...first.results]]]);
    const store = memoryStore(runs);
    // The store's clock for each state's last write, and its listing (fs and S3 have one).
    let clock = ms(T0);
    const written = new Map<string, number>();
    const backend: SummaryBackend = {
      ...store.backend,
      writeState: async (name, body) => {
        written.set(name, clock);
        await store.backend.writeState(name, body);
      },
      listStates: async () =>
        [...store.states.keys()].map((name) => ({ name, modified: written.get(name) ?? 0 })),
    };
    await syncSummary(backend, { nowMs: clock });

    const second = run(T0 + 60e9, [result('API', T0 + 60e9)]);
    runs.set(second.name, [...second.results]);
    clock = ms(T0 + 60e9);
    // Right after our root, another writer's: it applied our run too, in block states of its own.
    store.afterWrite = () => {
      const ours = store.summary as SummaryRoot;
      const theirs = structuredClone(ours);
      for (const ref of theirs.blocks) {
        const name = (ref.state as string).replace(/-[0-9a-z]+\.json$/, '-0ther.json');
        store.states.set(name, store.states.get(ref.state as string) as string);
        written.set(name, clock);
        ref.state = name;
      }
      store.set(theirs);
    };
    await syncSummary(backend, { nowMs: clock });
    const orphan = [...written.keys()].find(
      (name) =>
        store.states.has(name) &&
        !store.summary?.blocks.some((ref) => ref.state === name) &&
        !store.summary?.writer.retired.some((entry) => entry.name === name),
    );
    expect(orphan).toBeDefined();

    // Old enough, but the same hour of runs: no listing yet.
    const third = run(T0 + 20 * 60e9, [result('API', T0 + 20 * 60e9)]);
    runs.set(third.name, [...third.results]);
    clock = ms(T0 + 20 * 60e9);
    await syncSummary(backend, { nowMs: clock });
    expect(store.states.has(orphan as string)).toBe(true);

    const later = run(T0 + 61 * 60e9, [result('API', T0 + 61 * 60e9)]);
    runs.set(later.name, [...later.results]);
    clock = ms(T0 + 61 * 60e9);
    await syncSummary(backend, { nowMs: clock });
    const root = store.summary as SummaryRoot;
    const kept = [
      ...root.blocks.map((ref) => ref.state as string),
      ...root.writer.retired.map((entry) => entry.name),
    ];
    expect([...store.states.keys()].sort()).toEqual(kept.sort());
    expect((await readWholeSummary(backend))?.endpoints[0]?.days[0]?.checks).toBe(4);
  });
});

describe('syncStoredRun', () => {
  it('applies the run just stored as it is in hand, even when reading it back would not find it yet', async () => {
    const first = run(T0, [result('API', T0)]);
    const stored = run(T0 + 60e9, [result('API', T0 + 60e9, 'down')]);
    const runs = new Map([
      [first.name, [...first.results]],
      [stored.name, [...stored.results]],
    ]);
    const store = memoryStore(runs);
    const read: string[] = [];
    // Listed but not readable yet: a store whose reads lag its writes.
    const backend: SummaryBackend = {
      ...store.backend,
      readRun: async (name) => {
        read.push(name);
        return name === stored.name ? undefined : runs.get(name);
      },
    };

    const synced = await syncStoredRun(backend, stored, { nowMs: T0 / 1e6 });

    expect(read).toEqual([first.name]);
    expect(store.summary?.writer.applied).toEqual([first.name, stored.name]);
    expect(synced.endpoints[0]?.status).toBe('down');
  });
});
