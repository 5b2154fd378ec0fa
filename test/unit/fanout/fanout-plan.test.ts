import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../core/config/config-error.js';
import { parseConfig } from '../../../core/config/parse-config.js';
import { planShards } from '../../../core/fanout/plan-shards.js';
import { parseShardMessage, ShardMessageError } from '../../../core/fanout/shard-message.js';
import { tickRounds } from '../../../core/fanout/tick-rounds.js';
import { safeShardSize } from '../../../functions/fan-out.js';

const sizes = (count: number, bytes = 100) => Array.from({ length: count }, () => bytes);

describe('planShards', () => {
  it('splits evenly: 1,050 checks at 500 a shard are 3 shards of 350', () => {
    const plan = planShards(sizes(1050), { maxChecks: 500, maxBytes: 1e9 });
    expect(plan.map((shard) => shard.end - shard.start)).toEqual([350, 350, 350]);
    expect(plan.map((shard) => [shard.index, shard.count])).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    expect(plan.at(-1)?.end).toBe(1050);
  });

  it('keeps every checker in exactly one shard, in config order', () => {
    const plan = planShards(sizes(10_000), { maxChecks: 500, maxBytes: 1e9 });
    expect(plan).toHaveLength(20);
    for (const [index, shard] of plan.entries())
      expect(shard.start).toBe(index === 0 ? 0 : plan[index - 1]?.end);
  });

  it('starts a new shard before a message would pass the byte limit', () => {
    const plan = planShards([60, 60, 60, 60, 60], { maxChecks: 100, maxBytes: 150 });
    expect(plan.map((shard) => [shard.start, shard.end])).toEqual([
      [0, 2],
      [2, 4],
      [4, 5],
    ]);
  });

  it('gives one shard to a config at or under the size', () => {
    expect(planShards(sizes(500), { maxChecks: 500, maxBytes: 1e9 })).toEqual([
      { index: 0, count: 1, start: 0, end: 500 },
    ]);
  });
});

describe('tickRounds', () => {
  it('checks a 10 s interval six times a minute and the others once, at the start', () => {
    const rounds = tickRounds([10_000, undefined, 30_000], 60_000);
    expect(rounds).toEqual([
      { offsetMs: 0, due: [0, 1, 2] },
      { offsetMs: 10_000, due: [0] },
      { offsetMs: 20_000, due: [0] },
      { offsetMs: 30_000, due: [0, 2] },
      { offsetMs: 40_000, due: [0] },
      { offsetMs: 50_000, due: [0] },
    ]);
  });

  it('checks an interval as long as the schedule or longer once a run', () => {
    expect(tickRounds([60_000, 120_000], 60_000)).toEqual([{ offsetMs: 0, due: [0, 1] }]);
  });
});

describe("a checker's interval key", () => {
  function problems(interval: unknown): string[] {
    try {
      parseConfig(
        JSON.stringify({
          checkers: [{ type: 'http', endpoint_name: 'A', endpoint_url: 'https://a.test', interval }],
        }),
      );
    } catch (error) {
      if (error instanceof ConfigError) return error.message.split('\n');
      throw error;
    }
    return [];
  }

  it('takes 10 s and up, in whole seconds, as nanoseconds like every duration', () => {
    expect(problems('10s')).toEqual([]);
    expect(problems(15e9)).toEqual([]);
    const config = parseConfig(
      JSON.stringify({
        checkers: [{ type: 'tcp', endpoint_name: 'A', endpoint_url: 'a.test:1', interval: '30s' }],
      }),
    );
    expect(config.checkers[0] && 'interval' in config.checkers[0] && config.checkers[0].interval).toBe(30e9);
  });

  it('names the place of an interval too short, not whole seconds, or not a duration', () => {
    expect(problems('5s').join('\n')).toMatch(/checkers\[0\]\.interval: must be at least 10s/);
    expect(problems('10500ms').join('\n')).toMatch(/checkers\[0\]\.interval: must be whole seconds/);
    expect(problems('often').join('\n')).toMatch(/checkers\[0\]\.interval: not a duration/);
  });
});

describe('parseShardMessage', () => {
  it('reads what the planner sends', () => {
    const body = JSON.stringify({
      version: 1,
      start: 1,
      periodMs: 60_000,
      shard: { index: 0, count: 2 },
      checkers: [],
    });
    expect(parseShardMessage(body).shard).toEqual({ index: 0, count: 2 });
  });

  it('refuses a message that is not a shard, saying so', () => {
    expect(() => parseShardMessage('{"hello":1}')).toThrow(ShardMessageError);
    expect(() => parseShardMessage('not json')).toThrow(/not JSON/);
  });
});

describe('safeShardSize', () => {
  const config = (checker: Record<string, unknown>, concurrent_checks?: number) =>
    parseConfig(
      JSON.stringify({
        checkers: [{ type: 'http', endpoint_name: 'A', endpoint_url: 'https://a.test', ...checker }],
        concurrent_checks,
      }),
    );

  it('keeps a shard whose every endpoint hangs to its timeout inside the minute', () => {
    // Default: 1 attempt of 10 s, 50 at once: 4 waves fit in the 45 s left of a minute.
    expect(safeShardSize(config({}), 60_000)).toBe(200);
    // 3 attempts of 2 s with 1 s between, 100 at once: 9 s a check, 5 waves.
    expect(safeShardSize(config({ attempts: 3, timeout: '2s', attempt_spacing: '1s' }, 100), 60_000)).toBe(
      500,
    );
  });

  it('still gives each invocation one wave when one check alone could take the whole period', () => {
    expect(safeShardSize(config({ timeout: '2m' }), 60_000)).toBe(50);
  });
});
