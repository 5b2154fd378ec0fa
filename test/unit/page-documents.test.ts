import { describe, expect, it } from 'vitest';
import type { Result } from '../../core/result.js';
import { compareDigits } from '../../core/run-order.js';
import { rebuildSummary } from '../../core/summary/apply-run-to-summary.js';
import type {
  HistoryBlock,
  OpenHours,
  OverviewPart,
  RecentBlock,
  StatusOverview,
} from '../../core/summary/page-document-types.js';
import { pageDocument } from '../../core/summary/page-documents.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { type SummaryBackend, syncSummary } from '../../core/summary/sync-summary.js';
import { ns, result, run } from '../helpers/make-runs.js';

const T0 = ns('2026-11-24T10:00:00Z');
const MINUTE = 60e9;

/** A store in memory that records which page documents each sync wrote. */
function memoryBackend(runs: Map<string, Result[]>, initial?: StatusSummary) {
  let stored = initial ? JSON.stringify(initial) : undefined;
  const state = {
    documents: new Map<string, string>(),
    written: [] as string[],
    states: new Map<string, string>(),
  };
  const backend: SummaryBackend = {
    conditional: false,
    readSummary: async () => ({ summary: stored === undefined ? undefined : JSON.parse(stored) }),
    writeSummary: async (summary) => {
      stored = JSON.stringify(summary);
      return true;
    },
    listRunsSince: async (since) =>
      [...runs.keys()].filter((name) => compareDigits(name.split('-')[0] as string, since) >= 0).sort(),
    readRun: async (name) => runs.get(name),
    writeDocument: async (name, body) => {
      state.documents.set(name, body);
      state.written.push(name);
    },
    readState: async (name) => state.states.get(name),
    writeState: async (name, body) => {
      state.states.set(name, body);
    },
    deleteState: async (name) => {
      state.states.delete(name);
    },
  };
  const take = () => state.written.splice(0).sort();
  const doc = <T>(name: string) => JSON.parse(state.documents.get(name) as string) as T;
  return { backend, state, take, doc };
}

const titles = (count: number) => Array.from({ length: count }, (_, i) => `E${String(i).padStart(3, '0')}`);

function add(
  runs: Map<string, Result[]>,
  t: number,
  names: string[],
  status: 'healthy' | 'down' = 'healthy',
) {
  const made = run(
    t,
    names.map((title) => result(title, t, status)),
  );
  runs.set(made.name, [...made.results]);
}

describe('page documents written by the summary writer', () => {
  it('writes the overview and open hours each run, a recent hour once when it closes, a block history when a day closes', async () => {
    const runs = new Map<string, Result[]>();
    const store = memoryBackend(runs);
    const names = titles(120);
    add(runs, T0, names);
    await syncSummary(store.backend);
    // First write: everything (3 blocks of 50) but the current hour, which is still open.
    expect(store.take()).toEqual([
      'history/0.json',
      'history/1.json',
      'history/2.json',
      'overview.json',
      'recent/open-0.json',
    ]);

    add(runs, T0 + MINUTE, names);
    await syncSummary(store.backend);
    expect(store.take()).toEqual(['overview.json', 'recent/open-0.json']);

    add(runs, T0 + 2 * MINUTE, ['E060']);
    await syncSummary(store.backend);
    expect(store.take()).toEqual(['overview.json', 'recent/open-0.json']);

    const overview = store.doc<StatusOverview>('overview.json');
    expect(overview.endpoints).toHaveLength(120);
    expect(overview.endpoints[60]).toMatchObject({ title: 'E060', block: 1, status: 'healthy' });
    expect(overview.endpoints[60]?.uptime).toEqual({ h24: 1, d7: 1, d30: 1, d90: 1 });
    expect(overview.endpoints[60]?.days.map((day) => [day.day, day.checks])).toEqual([['2026-11-24', 3]]);
    // The open hour's buckets are in the segment's open hours, not the overview, for the page to
    // lay over the closed hours when it shows a 24-hour chart.
    expect(overview.endpoints.filter((endpoint) => endpoint.recent !== undefined)).toEqual([]);
    const open = store.doc<OpenHours>('recent/open-0.json');
    // From the oldest hour a late run (15 min) can still change: 09:00 at 10:02.
    expect(overview.openHoursFrom).toBe(Date.parse('2026-11-24T09:00:00Z'));
    expect(open).toMatchObject({ segment: 0, from: overview.openHoursFrom });
    expect(open.endpoints).toHaveLength(120);
    expect(
      open.endpoints
        .find((entry) => entry.title === 'E060')
        ?.recent.map((bucket) => [bucket.t, bucket.checks]),
    ).toEqual([[T0 / 1e6, 3]]);

    // 11:16: the 10:00 hour's end plus the late window (15 min) is past: each block's hour is
    // written once, and the open hours no longer carry its buckets.
    const closing = ns('2026-11-24T11:16:00Z');
    add(runs, closing, names);
    await syncSummary(store.backend);
    expect(store.take()).toEqual([
      'overview.json',
      'recent/0-4.json',
      'recent/1-4.json',
      'recent/2-4.json',
      'recent/open-0.json',
    ]);
    const recent = store.doc<RecentBlock>('recent/1-4.json');
    expect(recent.hour).toBe(Date.parse('2026-11-24T10:00:00Z'));
    expect(recent.endpoints.find((entry) => entry.title === 'E060')?.recent[0]?.checks).toBe(3);
    expect(
      store
        .doc<OpenHours>('recent/open-0.json')
        .endpoints.find((entry) => entry.title === 'E060')
        ?.recent.map((bucket) => bucket.t),
    ).toEqual([Date.parse('2026-11-24T11:15:00Z')]);
    add(runs, closing + MINUTE, names);
    await syncSummary(store.backend);
    expect(store.take()).toEqual(['overview.json', 'recent/open-0.json']);

    // The next day, past the late window (15 min) and block 2's stagger (2 min): each block's
    // history takes the closed day once, one minute apart, and the overview drops it.
    const nextDay = ns('2026-11-25T00:16:00Z');
    add(runs, nextDay, names);
    await syncSummary(store.backend);
    expect(store.take().filter((name) => name.startsWith('history/'))).toEqual([
      'history/0.json',
      'history/1.json',
    ]);
    add(runs, nextDay + 2 * MINUTE, names);
    await syncSummary(store.backend);
    expect(store.take().filter((name) => name.startsWith('history/'))).toEqual(['history/2.json']);
    const history = store.doc<HistoryBlock>('history/2.json');
    expect(history.through).toBe('2026-11-24');
    expect(history.endpoints[0]?.days.map((day) => day.day)).toEqual(['2026-11-24']);
    expect(store.doc<StatusOverview>('overview.json').endpoints[0]?.days.map((day) => day.day)).toEqual([
      '2026-11-25',
    ]);
  });

  it('writes every document for a summary stored before they existed, with no new run', async () => {
    const runs = new Map<string, Result[]>();
    add(runs, T0, ['API'], 'down');
    const old = rebuildSummary([...runs].map(([name, results]) => ({ name, results })));
    delete old.writer?.pageDocuments;
    const store = memoryBackend(runs, old);
    await syncSummary(store.backend);
    expect(store.take()).toEqual(['history/0.json', 'overview.json', 'recent/open-0.json']);
    expect(store.doc<StatusOverview>('overview.json').endpoints[0]).toMatchObject({
      title: 'API',
      status: 'down',
    });
    // Now marked: a sync with nothing new writes nothing.
    await syncSummary(store.backend);
    expect(store.take()).toEqual([]);
  });

  it('keeps each region’s newest result in the overview', async () => {
    const runs = new Map<string, Result[]>();
    const made = run(T0, [
      result('API', T0, 'healthy', 40, { region: 'eu-west-1' }),
      result('API', T0 + 1e9, 'down', 0, { region: 'us-east-1' }),
    ]);
    runs.set(made.name, [...made.results]);
    const store = memoryBackend(runs);
    await syncSummary(store.backend);
    expect(store.doc<StatusOverview>('overview.json').endpoints[0]?.regions).toEqual([
      { name: 'eu-west-1', status: 'healthy', rttMs: 40, lastCheck: T0 / 1e6 },
      { name: 'us-east-1', status: 'down', rttMs: 0, lastCheck: T0 / 1e6 + 1000 },
    ]);
  });

  it("carries each endpoint's group into the overview, and none for an endpoint without one", () => {
    const summary = rebuildSummary([
      run(T0, [result('API', T0, 'healthy', 40, { group: 'Backend <b>' }), result('Site', T0)]),
    ]);
    const overview = pageDocument(summary, 'overview.json') as StatusOverview;
    expect(overview.endpoints.map((endpoint) => [endpoint.title, endpoint.group])).toEqual([
      ['API', 'Backend <b>'],
      ['Site', undefined],
    ]);
    expect('group' in (overview.endpoints[1] ?? {})).toBe(false);
  });

  it('draws any page document from the summary by name, and nothing for other names', () => {
    const runs = [run(T0, [result('API', T0)])];
    const summary = rebuildSummary(runs);
    expect((pageDocument(summary, 'overview.json') as StatusOverview).endpoints[0]?.title).toBe('API');
    expect((pageDocument(summary, 'recent/0-4.json') as RecentBlock).endpoints[0]?.title).toBe('API');
    expect((pageDocument(summary, 'history/0.json') as HistoryBlock).through).toBe('2026-11-23');
    expect(pageDocument(summary, 'history/1.json')).toBeUndefined();
    expect(pageDocument(summary, 'recent/0-25.json')).toBeUndefined();
    expect(pageDocument(summary, '../summary.json')).toBeUndefined();
  });

  it('draws a split overview above 4 blocks: an index of parts and one part per segment of 10 blocks', () => {
    const names = titles(1060);
    const summary = rebuildSummary([
      run(
        T0,
        names.map((title) => result(title, T0)),
      ),
    ]);
    const index = pageDocument(summary, 'overview.json') as StatusOverview;
    expect(index.endpoints).toEqual([]);
    expect(index.parts).toEqual([0, 1, 2]);
    const part = pageDocument(summary, 'overview/2.json') as OverviewPart;
    expect(part.endpoints.map((entry) => [entry.title, entry.block])).toEqual(
      names.slice(1000).map((title, i) => [title, 20 + Math.floor(i / 50)]),
    );
    expect((pageDocument(summary, 'overview/0.json') as OverviewPart).endpoints).toHaveLength(500);
    expect(pageDocument(summary, 'overview/3.json')).toBeUndefined();
    // The open hours by segment too: segment 2's 60 endpoints, none for a segment without any.
    const open = pageDocument(summary, 'recent/open-2.json') as OpenHours;
    expect(open.endpoints.map((entry) => entry.title)).toEqual(names.slice(1000));
    expect(open.endpoints[0]?.recent.map((bucket) => bucket.t)).toEqual([T0 / 1e6]);
    expect(pageDocument(summary, 'recent/open-3.json')).toBeUndefined();
    // At 4 blocks and fewer the overview is one document, as the page's first render wants.
    const small = rebuildSummary([
      run(
        T0,
        names.slice(0, 200).map((title) => result(title, T0)),
      ),
    ]);
    expect((pageDocument(small, 'overview.json') as StatusOverview).endpoints).toHaveLength(200);
    expect(pageDocument(small, 'overview/0.json')).toBeUndefined();
  });
});
