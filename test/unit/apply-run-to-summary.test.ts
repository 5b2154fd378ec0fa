import { describe, expect, it } from 'vitest';
import type { Status } from '../../core/result.js';
import {
  applyRunToSummary,
  emptySummary,
  hasApplied,
  LATE_WINDOW_NS,
  RECENT_RUNS_MAX,
  rebuildSummary,
  TIMELINE_MAX,
} from '../../core/summary/apply-run-to-summary.js';
import { recentBlockOf } from '../../core/summary/page-documents.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { ns, result, run } from '../helpers/make-runs.js';

const T0 = ns('2026-11-24T10:00:00Z');
const MINUTE = 60e9;

function applyAll(runs: ReturnType<typeof run>[], start?: StatusSummary): StatusSummary {
  return (
    runs.reduce<StatusSummary | undefined>((summary, item) => applyRunToSummary(summary, item), start) ??
    emptySummary()
  );
}

function withoutWriter(summary: StatusSummary) {
  const { writer: _writer, updated: _updated, ...rest } = summary;
  return rest;
}

describe('applyRunToSummary', () => {
  it('records the current status, since when, and the newest check of each endpoint', () => {
    const summary = applyAll(
      [
        run(T0, [result('API', T0, 'healthy'), result('Web', T0, 'healthy')]),
        run(T0 + MINUTE, [result('API', 0, 'down'), result('Web', 0, 'healthy')]),
        run(T0 + 2 * MINUTE, [result('API', 0, 'down'), result('Web', 0, 'degraded')]),
      ].map((item) => ({
        ...item,
        results: item.results.map((r) => ({ ...r, timestamp: Number(item.name.split('-')[0]) })),
      })),
    );
    const api = summary.endpoints.find((endpoint) => endpoint.title === 'API');
    expect(api).toMatchObject({
      status: 'down',
      since: (T0 + MINUTE) / 1e6,
      lastCheck: (T0 + 2 * MINUTE) / 1e6,
    });
    expect(api?.error).toBe('connection refused');
    expect(summary.endpoints.find((endpoint) => endpoint.title === 'Web')?.status).toBe('degraded');
    expect(summary.lastRun).toBe((T0 + 2 * MINUTE) / 1e6);
  });

  it('counts a run applied twice once', () => {
    const first = run(T0, [result('API', T0, 'healthy', 120)]);
    const once = applyAll([first]);
    const twice = applyRunToSummary(once, first);
    expect(twice).toBe(once);
    expect(twice.endpoints[0]?.days[0]?.checks).toBe(1);
    expect(hasApplied(twice, first.name)).toBe(true);
  });

  it('counts a run applied again after the late window has moved on once', () => {
    const first = run(T0, [result('API', T0)]);
    const later = run(T0 + LATE_WINDOW_NS + MINUTE, [result('API', T0 + LATE_WINDOW_NS + MINUTE)]);
    const summary = applyRunToSummary(applyAll([first, later]), first);
    expect(summary.writer?.applied).toEqual([later.name]);
    expect(summary.endpoints[0]?.days[0]?.checks).toBe(2);
  });

  it.each([
    { statuses: ['healthy', 'healthy', 'healthy'], day: { checks: 3, healthy: 3, degraded: 0, down: 0 } },
    { statuses: ['healthy', 'down', 'degraded'], day: { checks: 3, healthy: 1, degraded: 1, down: 1 } },
    { statuses: ['down', 'down'], day: { checks: 2, healthy: 0, degraded: 0, down: 2 } },
  ] as const)('counts a day of $statuses', ({ statuses, day }) => {
    const summary = applyAll(
      statuses.map((status, i) => run(T0 + i * MINUTE, [result('API', T0 + i * MINUTE, status)])),
    );
    expect(summary.endpoints[0]?.days).toEqual([expect.objectContaining({ day: '2026-11-24', ...day })]);
  });

  it('gives day percentiles of the results median RTTs', () => {
    const runs = Array.from({ length: 100 }, (_, i) =>
      run(T0 + i * 1e9, [result('API', T0 + i * 1e9, 'healthy', i + 1)]),
    );
    const day = applyAll(runs).endpoints[0]?.days[0];
    expect(day?.p50).toBeCloseTo(50, -0.5);
    expect(day?.p95).toBeCloseTo(95, -0.5);
    expect(day?.p99).toBeCloseTo(99, -0.5);
  });

  it('puts results into 5-minute buckets with their median and worst status', () => {
    const at = (minutes: number) => T0 + minutes * MINUTE;
    const summary = applyAll([
      run(at(0), [result('API', at(0), 'healthy', 10)]),
      run(at(1), [result('API', at(1), 'down', 30)]),
      run(at(4), [result('API', at(4), 'healthy', 20)]),
      run(at(5), [result('API', at(5), 'degraded', 200)]),
    ]);
    expect(summary.endpoints[0]?.recent).toEqual([
      { t: at(0) / 1e6, checks: 3, down: 1, p50: expect.any(Number), worst: 'down' },
      { t: at(5) / 1e6, checks: 1, p50: expect.any(Number), worst: 'degraded' },
    ]);
    const medians = summary.endpoints[0]?.recent.map((bucket) => bucket.p50) ?? [];
    expect(Math.abs((medians[0] ?? 0) / 20 - 1)).toBeLessThan(0.01);
    expect(Math.abs((medians[1] ?? 0) / 200 - 1)).toBeLessThan(0.01);
  });

  it.each([
    { statuses: ['healthy', 'down', 'down', 'degraded'], down: 2 },
    { statuses: ['down'], down: 1 },
    { statuses: ['healthy', 'degraded'], down: undefined },
  ] as const)('counts the down results of a bucket: $statuses', ({ statuses, down }) => {
    const summary = applyAll(
      statuses.map((status, i) => run(T0 + i * 3e9, [result('API', T0 + i * 3e9, status)])),
    );
    expect(summary.endpoints[0]?.recent).toHaveLength(1);
    expect(summary.endpoints[0]?.recent[0]?.down).toBe(down);
    expect(summary.endpoints[0]?.recent[0]?.checks).toBe(statuses.length);
  });

  it('counts results inside a maintenance window apart, so uptime leaves them out', () => {
    const at = (minutes: number) => T0 + minutes * MINUTE;
    const inWindow = (r: ReturnType<typeof result>) => ({ ...r, maintenance: 'DB upgrade' });
    const summary = applyAll([
      run(at(0), [result('API', at(0), 'healthy')]),
      run(at(1), [inWindow(result('API', at(1), 'down'))]),
      run(at(2), [inWindow(result('API', at(2), 'down'))]),
      run(at(6), [inWindow(result('API', at(6), 'down'))]),
    ]);
    const [endpoint] = summary.endpoints;
    expect(endpoint?.days[0]).toMatchObject({ checks: 1, healthy: 1, down: 0, maintenance: 3 });
    expect(
      endpoint?.recent.map(({ checks, down, maintenance, worst }) => ({ checks, down, maintenance, worst })),
    ).toEqual([
      { checks: 1, down: undefined, maintenance: 2, worst: 'healthy' },
      { checks: 0, down: undefined, maintenance: 1, worst: 'healthy' },
    ]);
    expect(endpoint).toMatchObject({ status: 'down', maintenance: 'DB upgrade' });
  });

  it('leaves results inside a maintenance window out of the latency figures, as out of uptime', () => {
    const at = (minutes: number) => T0 + minutes * MINUTE;
    const inWindow = (r: ReturnType<typeof result>) => ({ ...r, maintenance: 'DB upgrade' });
    const summary = applyAll([
      run(at(0), [result('API', at(0), 'healthy', 20)]),
      run(at(1), [inWindow(result('API', at(1), 'degraded', 5_000))]),
      run(at(2), [inWindow(result('API', at(2), 'degraded', 5_000))]),
      run(at(3), [result('API', at(3), 'healthy', 20)]),
      run(at(5), [inWindow(result('API', at(5), 'degraded', 9_000))]),
      // A regional result in a window, voted on its tick, is left out the same way.
      run(at(10), [inWindow(result('API', at(10), 'degraded', 7_000, { region: 'eu', tick: at(10) / 1e6 }))]),
    ]);
    const [endpoint] = summary.endpoints;
    const near20 = (ms: number | undefined) => Math.abs((ms ?? 0) / 20 - 1) < 0.01;
    expect(near20(endpoint?.days[0]?.p50)).toBe(true);
    expect(near20(endpoint?.days[0]?.p95)).toBe(true);
    expect(near20(endpoint?.days[0]?.p99)).toBe(true);
    // The chart reads a bucket's p50 only when it has checks: one of maintenance only says none.
    expect(endpoint?.recent.map(({ checks, maintenance, p50 }) => ({ checks, maintenance, p50 }))).toEqual([
      { checks: 2, maintenance: 2, p50: expect.any(Number) },
      { checks: 0, maintenance: 1, p50: 0 },
      { checks: 0, maintenance: 1, p50: 0 },
    ]);
    expect(near20(endpoint?.recent[0]?.p50)).toBe(true);
    // The page documents are drawn from these figures.
    const hour = Math.floor(at(0) / 1e6 / 3_600_000) * 3_600_000;
    expect(
      recentBlockOf(summary, 0, hour).endpoints[0]?.recent.map((bucket) => near20(bucket.p50) || bucket.p50),
    ).toEqual([true, 0, 0]);
  });

  it('goes on counting in a bucket of a summary written before down results were counted', () => {
    const old = applyAll([
      run(T0, [result('API', T0, 'down')]),
      run(T0 + 3e9, [result('API', T0 + 3e9, 'down')]),
    ]);
    const bucket = old.endpoints[0]?.recent[0];
    if (bucket) delete bucket.down;
    const summary = applyAll(
      [run(T0 + 6e9, [result('API', T0 + 6e9, 'healthy')]), run(T0 + 9e9, [result('API', T0 + 9e9, 'down')])],
      old,
    );
    // The two old results count as down, as the old document's reading had it.
    expect(summary.endpoints[0]?.recent[0]).toMatchObject({ checks: 4, down: 3 });
  });

  it('keeps the recent buckets of the last 24 hours only', () => {
    const summary = applyAll([
      run(T0, [result('API', T0)]),
      run(T0 + 25 * 60 * MINUTE, [result('API', T0 + 25 * 60 * MINUTE)]),
    ]);
    expect(summary.endpoints[0]?.recent.map((bucket) => bucket.t)).toEqual([(T0 + 25 * 60 * MINUTE) / 1e6]);
  });

  it('keeps 90 days of daily history', () => {
    const runs = Array.from({ length: 100 }, (_, i) =>
      run(T0 + i * 86_400e9, [result('API', T0 + i * 86_400e9)]),
    );
    const days = applyAll(runs).endpoints[0]?.days ?? [];
    expect(days).toHaveLength(90);
    expect(days[89]?.day).toBe(new Date((T0 + 99 * 86_400e9) / 1e6).toISOString().slice(0, 10));
  });

  it('puts status changes and messages on the timeline, newest first', () => {
    const summary = applyAll([
      run(T0, [result('API', T0, 'healthy')]),
      run(T0 + MINUTE, [result('API', T0 + MINUTE, 'down')]),
      run(T0 + 2 * MINUTE, [result('API', T0 + 2 * MINUTE, 'down', 100, { message: 'Investigating' })]),
      run(T0 + 3 * MINUTE, [result('API', T0 + 3 * MINUTE, 'healthy')]),
    ]);
    expect(summary.timeline).toEqual([
      { t: (T0 + 3 * MINUTE) / 1e6, title: 'API', kind: 'status', status: 'healthy', previous: 'down' },
      { t: (T0 + 2 * MINUTE) / 1e6, title: 'API', kind: 'message', text: 'Investigating' },
      { t: (T0 + MINUTE) / 1e6, title: 'API', kind: 'status', status: 'down', previous: 'healthy' },
    ]);
  });

  it('caps the timeline and the recent runs', () => {
    const runs = Array.from({ length: 250 }, (_, i) =>
      run(T0 + i * MINUTE, [result('API', T0 + i * MINUTE, i % 2 ? 'down' : 'healthy')]),
    );
    const summary = applyAll(runs);
    expect(summary.timeline).toHaveLength(TIMELINE_MAX);
    expect(summary.recentRuns).toHaveLength(RECENT_RUNS_MAX);
    expect(summary.recentRuns[0]).toBe(runs[249]?.name);
  });

  it('does not let a late older result change the current status, but counts it', () => {
    const summary = applyAll([
      run(T0 + MINUTE, [result('API', T0 + MINUTE, 'healthy')]),
      run(T0, [result('API', T0, 'down')]),
    ]);
    expect(summary.endpoints[0]).toMatchObject({ status: 'healthy', lastCheck: (T0 + MINUTE) / 1e6 });
    expect(summary.endpoints[0]?.days[0]).toMatchObject({ checks: 2, down: 1, healthy: 1 });
  });

  it('gives the same counts and percentiles whatever order runs inside the late window arrive in', () => {
    const runs = Array.from({ length: 10 }, (_, i) =>
      run(T0 + i * MINUTE, [result('API', T0 + i * MINUTE, 'healthy', 10 + ((i * 37) % 11))]),
    );
    const forward = applyAll(runs);
    const shuffled = applyAll(
      [runs[3], runs[9], runs[0], runs[5], runs[1], runs[8], runs[2], runs[7], runs[4], runs[6]].flatMap(
        (r) => (r ? [r] : []),
      ),
    );
    expect(shuffled.endpoints[0]?.days).toEqual(forward.endpoints[0]?.days);
    expect(shuffled.endpoints[0]?.recent).toEqual(forward.endpoints[0]?.recent);
  });

  it('rebuilds from runs in any order to what applying them in order gives', () => {
    const runs = Array.from({ length: 30 }, (_, i) =>
      run(T0 + i * 7 * MINUTE, [
        result('API', T0 + i * 7 * MINUTE, i % 5 === 0 ? 'down' : 'healthy', 50 + i),
        result('Web', T0 + i * 7 * MINUTE, 'healthy', 80 - i),
      ]),
    );
    expect(withoutWriter(rebuildSummary([...runs].reverse()))).toEqual(withoutWriter(applyAll(runs)));
  });

  it('records the regions that checked an endpoint', () => {
    const summary = applyAll([
      run(T0, [result('API', T0, 'healthy', 100, { region: 'us-east-1' })]),
      run(T0 + 1e6, [result('API', T0 + 1e6, 'healthy', 100, { region: 'eu-west-1' })]),
    ]);
    expect(summary.endpoints[0]?.regions).toEqual([
      { name: 'eu-west-1', status: 'healthy', rttMs: 100, lastCheck: (T0 + 1e6) / 1e6 },
      { name: 'us-east-1', status: 'healthy', rttMs: 100, lastCheck: T0 / 1e6 },
    ]);
  });

  it('shows a probe found offline as unknown with its reason, never counted as down', () => {
    const summary = applyAll([
      run(T0, [result('API', T0, 'healthy')]),
      run(T0 + MINUTE, [
        result('API', T0 + MINUTE, 'down', 100, {
          probeOffline: true,
          notice: 'probe offline: canary x is down too',
        }),
      ]),
    ]);
    expect(summary.endpoints[0]).toMatchObject({
      status: 'unknown',
      reason: 'probe offline: canary x is down too',
      since: (T0 + MINUTE) / 1e6,
    });
    expect(summary.endpoints[0]?.days[0]).toMatchObject({ checks: 1, healthy: 1, down: 0 });
    expect(summary.timeline).toEqual([]);
    const back = applyAll([run(T0 + 2 * MINUTE, [result('API', T0 + 2 * MINUTE, 'healthy')])], summary);
    expect(back.endpoints[0]).toMatchObject({ status: 'healthy' });
    expect(back.endpoints[0]?.reason).toBeUndefined();
  });

  describe('with several regions', () => {
    const TICK = T0 / 1e6;
    /** Region `region`'s run of tick n (minutes after T0), stored `offset` ms after the tick. */
    const regional = (region: string, n: number, status: Status, offset = 1000) => {
      const at = T0 + n * MINUTE + offset * 1e6;
      return run(at, [result('API', at, status, 100, { region, tick: TICK + n * 60_000 })]);
    };

    it('shows the vote of each tick, the minority named, and counts a tick once', () => {
      const summary = applyAll([
        regional('a', 0, 'healthy', 1000),
        regional('b', 0, 'healthy', 1001),
        regional('c', 0, 'healthy', 1002),
        regional('a', 1, 'healthy', 1000),
        regional('b', 1, 'down', 1001),
        regional('c', 1, 'healthy', 1002),
      ]);
      const api = summary.endpoints[0];
      expect(api).toMatchObject({ status: 'degraded', notice: 'down from b', lastCheck: TICK + 60_000 });
      expect(api?.days[0]).toMatchObject({ checks: 2, healthy: 1, degraded: 1, down: 0 });
      expect(api?.regions?.map((region) => `${region.name}:${region.status}`)).toEqual([
        'a:healthy',
        'b:down',
        'c:healthy',
      ]);
    });

    it('waits for the regions expected; one that misses a tick does not vote and is shown not reporting', () => {
      const before = [
        regional('a', 0, 'healthy', 1000),
        regional('b', 0, 'healthy', 1001),
        regional('c', 0, 'healthy', 1002),
        regional('a', 1, 'down', 1000),
        regional('b', 1, 'down', 1001),
      ];
      // c has not reported tick 1 yet: the page still shows tick 0's vote.
      expect(applyAll(before).endpoints[0]).toMatchObject({ status: 'healthy', lastCheck: TICK });
      const next = applyAll([...before, regional('a', 2, 'down', 1000)]);
      expect(next.endpoints[0]).toMatchObject({ status: 'down', lastCheck: TICK + 60_000 });
      expect(next.endpoints[0]?.regions?.find((region) => region.name === 'c')).toMatchObject({
        name: 'c',
        status: 'unknown',
      });
    });

    it("leaves a region whose probe was offline out of the vote, shown unknown, the endpoint's status kept", () => {
      const offline = regional('c', 1, 'down', 1002);
      const marked = {
        ...offline,
        results: offline.results.map((item) => ({ ...item, probeOffline: true as const })),
      };
      const summary = applyAll([
        regional('a', 0, 'healthy', 1000),
        regional('b', 0, 'healthy', 1001),
        regional('c', 0, 'healthy', 1002),
        regional('a', 1, 'healthy', 1000),
        regional('b', 1, 'healthy', 1001),
        marked,
      ]);
      expect(summary.endpoints[0]).toMatchObject({ status: 'healthy', lastCheck: TICK + 60_000 });
      expect(summary.endpoints[0]?.reason).toBeUndefined();
      expect(summary.endpoints[0]?.regions?.map((region) => `${region.name}:${region.status}`)).toEqual([
        'a:healthy',
        'b:healthy',
        'c:unknown',
      ]);
    });

    it('votes a tick alike whichever order its regions stored in', () => {
      const first = [
        regional('a', 0, 'healthy', 1000),
        regional('b', 0, 'healthy', 1001),
        regional('c', 0, 'healthy', 1002),
      ];
      const tick = [
        regional('a', 1, 'down', 1000),
        regional('b', 1, 'down', 1001),
        regional('c', 1, 'healthy', 1002),
      ];
      const statuses = [
        [0, 1, 2],
        [2, 0, 1],
        [1, 2, 0],
      ].map(
        (order) =>
          applyAll([...first, ...order.map((i) => tick[i] as (typeof tick)[number])]).endpoints[0]?.status,
      );
      expect(statuses).toEqual(['down', 'down', 'down']);
    });
  });

  it('rejects a name that is not a run file', () => {
    expect(() => applyRunToSummary(undefined, { name: 'index.json', results: [] })).toThrow(
      /not a run file name/,
    );
  });
});
