import { describe, expect, it } from 'vitest';
import type { Result } from '../../core/result.js';
import { compareDigits } from '../../core/run-order.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { type SummaryBackend, syncSummary } from '../../core/summary/sync-summary.js';
import { ns, result, run } from '../helpers/make-runs.js';

const T0 = ns('2026-11-24T10:00:00Z');

/**
 * A last-writer-wins store held in memory, whose `afterWrite` hook lets a test put another
 * writer's write exactly between ours and our check: the interleaving that loses runs.
 */
function memoryStore(runs: Map<string, Result[]>) {
  let stored: string | undefined;
  let version = 0;
  const store = {
    afterWrite: undefined as (() => void) | undefined,
    writes: 0,
    /** The page documents written, by name, and the names of each round's writes. */
    documents: new Map<string, string>(),
    documentWrites: [] as string[],
    set(summary: StatusSummary) {
      stored = JSON.stringify(summary);
      version += 1;
    },
    get summary(): StatusSummary | undefined {
      return stored === undefined ? undefined : (JSON.parse(stored) as StatusSummary);
    },
    backend: {
      conditional: false,
      readSummary: async () => ({
        summary: stored === undefined ? undefined : (JSON.parse(stored) as StatusSummary),
        token: String(version),
      }),
      writeSummary: async (summary: StatusSummary) => {
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
    const before = store.summary as StatusSummary;

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
    expect(store.summary?.endpoints[0]?.days[0]?.checks).toBe(1);
  });

  it('skips a run that expired between listing and reading', async () => {
    const first = run(T0, [result('API', T0)]);
    const store = memoryStore(new Map([[first.name, [...first.results]]]));
    const backend = { ...store.backend, readRun: async () => undefined };
    const summary = await syncSummary(backend);
    expect(summary.endpoints).toEqual([]);
  });
});
