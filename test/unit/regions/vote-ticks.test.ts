import { describe, expect, it } from 'vitest';
import { voteTicks } from '../../../core/regions/vote-ticks.js';
import type { Result, Status } from '../../../core/result.js';
import { resultAt } from '../../helpers/results.js';

const T0 = Date.UTC(2026, 0, 1);
const tick = (n: number) => T0 + n * 60_000;

/** Region `region`'s result for Site at tick n, stored `delayMs` after it. */
function regional(region: string, n: number, status: Status, title = 'Site', delayMs = 1000): Result {
  return resultAt((tick(n) + delayMs) * 1e6, status, title, { region, tick: tick(n) });
}

const summary = (results: readonly Result[]) =>
  voteTicks(results).map((voted) => ({
    tick: (voted.tick - T0) / 60_000,
    title: voted.title,
    status: voted.down ? 'down' : voted.degraded ? 'degraded' : 'healthy',
    notice: voted.notice,
    regions: voted.regions.map((region) => `${region.name}:${region.status}`).join(' '),
  }));

describe('voteTicks', () => {
  it('decides a tick from every region that reported, with the minority named', () => {
    expect(
      summary([regional('a', 0, 'healthy'), regional('b', 0, 'down'), regional('c', 0, 'healthy')]),
    ).toEqual([
      {
        tick: 0,
        title: 'Site',
        status: 'degraded',
        notice: 'down from b',
        regions: 'a:healthy b:down c:healthy',
      },
    ]);
  });

  it('waits for every region that reported before, then decides', () => {
    const before = [regional('a', 0, 'healthy'), regional('b', 0, 'healthy')];
    // Only a has reported tick 1: b is expected, so tick 1 is not decided yet.
    expect(summary([...before, regional('a', 1, 'down')]).map((vote) => vote.tick)).toEqual([0]);
    expect(summary([...before, regional('a', 1, 'down'), regional('b', 1, 'down')]).at(-1)).toMatchObject({
      tick: 1,
      status: 'down',
    });
  });

  it('decides a tick a region missed once a newer tick has results: the missing region does not vote', () => {
    const votes = summary([
      regional('a', 0, 'healthy'),
      regional('b', 0, 'healthy'),
      regional('c', 0, 'healthy'),
      regional('a', 1, 'down'),
      regional('b', 1, 'healthy'),
      regional('a', 2, 'down'),
    ]);
    expect(votes[1]).toEqual({
      tick: 1,
      title: 'Site',
      status: 'degraded',
      notice: 'down from a',
      regions: 'a:down b:healthy c:unknown',
    });
    // Tick 2 still waits for b (which reported tick 1); c stopped reporting and is no longer waited for.
    expect(votes).toHaveLength(2);
  });

  it('passes over results with no region or no tick, and those of a probe found offline', () => {
    expect(
      summary([
        resultAt(tick(0) * 1e6, 'down'),
        resultAt(tick(0) * 1e6, 'down', 'Site', { region: 'a' }),
        regional('a', 0, 'healthy'),
        { ...regional('b', 0, 'down'), probeOffline: true },
      ]),
    ).toEqual([{ tick: 0, title: 'Site', status: 'healthy', notice: undefined, regions: 'a:healthy' }]);
  });

  it('gives a tick the same result whichever region reported last, timed at the tick', () => {
    const one = voteTicks([regional('a', 0, 'down', 'Site', 900), regional('b', 0, 'down', 'Site', 2000)]);
    const other = voteTicks([regional('b', 0, 'down', 'Site', 2000), regional('a', 0, 'down', 'Site', 900)]);
    expect(one).toEqual(other);
    expect(one[0]?.timestamp).toBe(tick(0) * 1e6);
    expect(one[0]?.region).toBeUndefined();
    expect(voteTicks([regional('a', 0, 'down')])[0]?.region).toBe('a');
    expect(one[0]?.times[0]?.error).toBe('connection refused');
  });

  it('votes each endpoint apart, with its own quorum', () => {
    const results = [
      regional('a', 0, 'down', 'API'),
      regional('b', 0, 'healthy', 'API'),
      regional('a', 0, 'down', 'Web'),
      regional('b', 0, 'healthy', 'Web'),
    ];
    const votes = voteTicks(results, (title) => (title === 'API' ? 1 : undefined));
    expect(votes.map((vote) => [vote.title, vote.down === true])).toEqual([
      ['API', true],
      ['Web', false],
    ]);
  });
});
