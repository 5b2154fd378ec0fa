import { describe, expect, it } from 'vitest';
import { emptyAlertState } from '../../../core/alerts/alert-state.js';
import { applyRunToAlertState } from '../../../core/alerts/apply-run-to-alert-state.js';
import type { Checker } from '../../../core/checker.js';
import { planShards } from '../../../core/fanout/plan-shards.js';
import { runTick } from '../../../core/fanout/run-tick.js';
import { expectTicks, markNotChecked, tickCoverage } from '../../../core/fanout/tick-coverage.js';
import { tickRounds } from '../../../core/fanout/tick-rounds.js';
import type { Result } from '../../../core/result.js';

const START = Date.UTC(2026, 10, 30, 7, 0, 0);
const titles = ['A', 'B', 'C', 'D', 'E', 'F'];
const shards = planShards([1, 1, 1, 1, 1, 1], { maxChecks: 2, maxBytes: 1e9 });

function result(title: string, status: 'healthy' | 'down', shard: number, tick = START): Result {
  return {
    title,
    endpoint: `https://${title}.test`,
    timestamp: tick * 1e6 + 1,
    times: [{ rtt: 1e6 }],
    [status]: true,
    tick,
    shard: { index: shard, count: 3 },
  };
}

describe('tickCoverage', () => {
  const [expected] = expectTicks(
    START,
    shards,
    tickRounds(
      titles.map(() => undefined),
      60_000,
    ),
    titles,
  );

  it('counts an endpoint whose shard did not report as unknown, naming the shard, never healthy', () => {
    const results = [
      result('A', 'healthy', 0),
      result('B', 'down', 0),
      result('E', 'healthy', 2),
      result('F', 'healthy', 2),
    ];
    const coverage = tickCoverage(expected as NonNullable<typeof expected>, results);
    expect(coverage.missingShards).toEqual([1]);
    expect(coverage.counts).toEqual({ healthy: 3, degraded: 0, down: 1, unknown: 2 });
    expect(coverage.statuses.get('C')).toEqual({
      status: 'unknown',
      reason: 'not checked: shard 2 of 3 did not report for tick 2026-11-30T07:00:00.000Z',
    });
  });

  it("marks the overview's endpoints of a missing shard unknown with the reason, and no other", () => {
    const results = [
      result('A', 'healthy', 0),
      result('B', 'down', 0),
      result('E', 'healthy', 2),
      result('F', 'healthy', 2),
    ];
    const coverage = tickCoverage(expected as NonNullable<typeof expected>, results);
    const card = (title: string) => ({
      title,
      endpoint: title,
      status: 'healthy' as const,
      since: 0,
      lastCheck: START - 60_000,
      block: 0,
      index: 0,
    });
    const marked = markNotChecked(['A', 'C', 'D'].map(card) as never, coverage);
    expect(marked.map((endpoint) => [endpoint.title, endpoint.status, endpoint.since])).toEqual([
      ['A', 'healthy', 0],
      ['C', 'unknown', START],
      ['D', 'unknown', START],
    ]);
    expect(marked[1]?.reason).toMatch(/^not checked: shard 2 of 3 did not report/);
  });

  it('ignores results of another tick: an old run of the shard does not stand in for this one', () => {
    const results = [0, 1, 2].flatMap((shard) =>
      titles
        .slice(shard * 2, shard * 2 + 2)
        .map((title) => result(title, 'healthy', shard, shard === 1 ? START - 60_000 : START)),
    );
    const coverage = tickCoverage(expected as NonNullable<typeof expected>, results);
    expect(coverage.missingShards).toEqual([1]);
    expect(coverage.counts.unknown).toBe(2);
  });

  it('finds a tick whole when every shard reported', () => {
    const results = titles.map((title, index) => result(title, 'healthy', Math.floor(index / 2)));
    const coverage = tickCoverage(expected as NonNullable<typeof expected>, results);
    expect(coverage.missingShards).toEqual([]);
    expect(coverage.counts).toEqual({ healthy: 6, degraded: 0, down: 0, unknown: 0 });
  });

  it('expects in a sub-minute round only the shards with a checker due then', () => {
    const rounds = tickRounds([10_000, undefined, undefined, undefined, undefined, undefined], 60_000);
    const ticks = expectTicks(START, shards, rounds, titles);
    expect(ticks).toHaveLength(6);
    expect(ticks[1]).toEqual({ tick: START + 10_000, shards: [{ index: 0, titles: ['A'] }] });
  });
});

describe('alerts over a tick with a missing shard', () => {
  it('keep a down endpoint down (no recovery) when its shard did not report', () => {
    const policies = { hook: { threshold: 1, recoveryThreshold: 1, degraded: false } } as never;
    const first = applyRunToAlertState(
      emptyAlertState(),
      [result('C', 'down', 1), result('A', 'healthy', 0)],
      policies,
    );
    // The next tick: shard 0 reported, shard 1 (C's) did not.
    const next = applyRunToAlertState(first.state, [result('A', 'healthy', 0, START + 60_000)], policies);
    expect(next.state.endpoints.C?.status).toBe('down');
    expect(next.alerts).toEqual([]);
  });
});

describe('runTick', () => {
  const checker = (title: string): Checker => ({
    type: 'test',
    title,
    endpoint: title,
    check: async ({ timestamp }) => ({
      title,
      endpoint: title,
      timestamp,
      times: [{ rtt: 1 }],
      healthy: true,
    }),
  });

  it('runs each round at its time and stores it as its own run, marked with its tick', async () => {
    let now = START;
    const stored: Array<{ tick: number; titles: string[] }> = [];
    const outcome = await runTick([checker('fast'), checker('slow')], {
      start: START,
      rounds: tickRounds([20_000, undefined], 60_000),
      concurrency: 2,
      deadline: START + 55_000,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      decorate: (r) => ({ ...r, region: 'here' }),
      store: async (results, tick) => {
        stored.push({ tick, titles: results.map((r) => r.title) });
        expect(results.every((r) => r.tick === tick && r.region === 'here')).toBe(true);
      },
    });
    expect(stored).toEqual([
      { tick: START, titles: ['fast', 'slow'] },
      { tick: START + 20_000, titles: ['fast'] },
      { tick: START + 40_000, titles: ['fast'] },
    ]);
    expect(outcome.skipped).toEqual([]);
  });

  it('leaves out a round that would end after the deadline, and says so', async () => {
    let now = START;
    const skipped: number[] = [];
    const slowRound: Checker = {
      ...checker('fast'),
      check: async (context) => {
        now += 12_000;
        return checker('fast').check(context);
      },
    };
    const outcome = await runTick([slowRound], {
      start: START,
      rounds: tickRounds([10_000], 60_000),
      concurrency: 1,
      deadline: START + 55_000,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      onSkipped: (tick) => skipped.push(tick),
      store: async () => {},
    });
    // Each round takes 12 s: they start at 0, 12, 24, 36 (late, at once); at 48 and 50 a round would end past 55.
    expect(outcome.stored.map((round) => round.tick - START)).toEqual([0, 10_000, 20_000, 30_000]);
    expect(skipped.map((tick) => tick - START)).toEqual([40_000, 50_000]);
  });
});
