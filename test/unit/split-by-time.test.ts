import { describe, expect, it } from 'vitest';
import type { Result, Status } from '../../core/result.js';
import { compareDigits } from '../../core/run-order.js';
import { applyRunToSummaryInPlace, emptySummary } from '../../core/summary/apply-run-to-summary.js';
import type { StatusOverview } from '../../core/summary/page-document-types.js';
import { openHoursOf, overviewOf } from '../../core/summary/page-documents.js';
import type { SegmentState } from '../../core/summary/summary-state-types.js';
import { readWholeSummary, type SummaryBackend, syncSummary } from '../../core/summary/sync-summary.js';
import { ns, result, run } from '../helpers/make-runs.js';

/** A last-writer-wins store in memory whose page documents can be read back, as fs and S3 can. */
function memoryStore() {
  const runs = new Map<string, Result[]>();
  let root: string | undefined;
  const documents = new Map<string, string>();
  const states = new Map<string, string>();
  const backend: SummaryBackend = {
    conditional: false,
    readSummary: async () => ({ summary: root === undefined ? undefined : JSON.parse(root) }),
    writeSummary: async (summary) => {
      root = JSON.stringify(summary);
      return true;
    },
    listRunsSince: async (since) =>
      [...runs.keys()].filter((name) => compareDigits(name.split('-')[0] as string, since) >= 0).sort(),
    readRun: async (name) => runs.get(name),
    writeDocument: async (name, body) => {
      documents.set(name, body);
    },
    readDocument: async (name) => documents.get(name),
    readState: async (name) => states.get(name),
    writeState: async (name, body) => {
      states.set(name, body);
    },
    deleteState: async (name) => {
      states.delete(name);
    },
  };
  return { runs, documents, states, backend };
}

/** A small deterministic PRNG, so the generated history is the same every run. */
function random(seed: number): () => number {
  let value = seed;
  return () => {
    value = (value * 1_103_515_245 + 12_345) % 2 ** 31;
    return value / 2 ** 31;
  };
}

const names = (count: number) => Array.from({ length: count }, (_, i) => `E${String(i).padStart(3, '0')}`);

describe('the writer state split by time', () => {
  it('gives the same overview as the whole summary, across day and hour closes, late runs and a new endpoint', async () => {
    const store = memoryStore();
    const next = random(7);
    // The whole summary, applied the same runs at the same times: today's computation.
    const whole = emptySummary();
    // 60 endpoints, 2 blocks (staggered day closes), a run every 23 minutes for 3 days, some down.
    const start = ns('2026-11-22T21:10:00Z');
    const step = 23 * 60e9;
    let endpoints = names(60);
    for (let i = 0; i < 200; i += 1) {
      if (i === 120) endpoints = [...endpoints, 'Newcomer'];
      let t = start + i * step;
      // Every 9th run arrives late: checked 12 minutes before the run stored before it.
      if (i % 9 === 8) t -= step + 12 * 60e9;
      const made = run(
        t,
        endpoints.map((title) =>
          result(title, t, (next() < 0.1 ? 'down' : 'healthy') as Status, 20 + next() * 80),
        ),
      );
      store.runs.set(made.name, [...made.results]);

      const nowMs = Math.floor((start + i * step) / 1e6) + 30_000;
      await syncSummary(store.backend, { nowMs });

      // What the state split changes: the figures, the open days and buckets, the block.
      const figures = (overview: StatusOverview) =>
        overview.endpoints.map(({ title, block, uptime, days, recent }) => ({
          title,
          block,
          uptime,
          days,
          recent,
        }));
      const written = JSON.parse(store.documents.get('overview.json') as string) as StatusOverview;
      applyRunToSummaryInPlace(whole, made, { nowMs });
      expect(figures(written), `after run ${i}`).toEqual(figures(overviewOf(whole)));
      expect(JSON.parse(store.documents.get('recent/open-0.json') as string), `after run ${i}`).toEqual(
        openHoursOf(whole, 0),
      );
    }
    // The states hold what is open: at most two days and the open hours per endpoint.
    for (const body of store.states.values()) {
      const state = JSON.parse(body) as SegmentState;
      for (const block of state.blocks) {
        expect(block.closed?.through).toBeDefined();
        for (const endpoint of block.endpoints) {
          expect(endpoint.days.length).toBeLessThanOrEqual(2);
          expect(endpoint.recent.length).toBeLessThanOrEqual(16);
        }
      }
    }
    // Joined back with the history and recent hour documents: the whole summary.
    const joined = await readWholeSummary(store.backend);
    expect(joined?.endpoints.map(({ title, days, recent }) => ({ title, days, recent }))).toEqual(
      whole.endpoints.map(({ title, days, recent }) => ({ title, days, recent })),
    );
  });
});
