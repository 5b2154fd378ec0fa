import { describe, expect, it } from 'vitest';
import { buildResult } from '../../core/checkers/build-result.js';
import { computeStats } from '../../core/stats.js';
import { judge } from '../../core/verdict.js';

const ms = (n: number) => n * 1e6;

describe('judge', () => {
  it.each([
    { times: [{ rtt: ms(10) }], threshold: undefined, expected: 'healthy' },
    { times: [{ rtt: ms(10) }, { rtt: ms(5), error: 'refused' }], threshold: undefined, expected: 'down' },
    {
      times: [{ rtt: ms(300) }, { rtt: ms(50) }, { rtt: ms(400) }],
      threshold: ms(200),
      expected: 'degraded',
    },
    { times: [{ rtt: ms(300) }, { rtt: ms(50) }, { rtt: ms(60) }], threshold: ms(200), expected: 'healthy' },
    { times: [{ rtt: ms(300) }], threshold: 0, expected: 'healthy' },
    { times: [], threshold: undefined, expected: 'down' },
  ])('judges $times.length attempts against $threshold as $expected', ({ times, threshold, expected }) => {
    expect(judge(times, threshold)).toBe(expected);
  });
});

describe('computeStats', () => {
  it('takes the middle pair mean as the median of an even count, truncated to whole ns as checkup does', () => {
    expect(computeStats([{ rtt: 4 }, { rtt: 1 }, { rtt: 3 }, { rtt: 2 }])).toEqual({
      total: 10,
      mean: 2,
      median: 2,
      min: 1,
      max: 4,
    });
  });
});

describe('buildResult', () => {
  it('sets exactly one verdict and keeps checkup field names', () => {
    const result = buildResult({
      title: 'Site',
      endpoint: 'http://x',
      timestamp: 1,
      times: [{ rtt: ms(300) }],
      thresholdNs: ms(100),
    });
    expect(result).toEqual({
      title: 'Site',
      endpoint: 'http://x',
      timestamp: 1,
      times: [{ rtt: ms(300) }],
      threshold: ms(100),
      degraded: true,
      notice: 'median round trip time exceeded threshold (100ms)',
    });
  });

  it('lets a checker raise the verdict but never lower it', () => {
    const base = { title: 't', endpoint: 'e', timestamp: 1 };
    expect(buildResult({ ...base, times: [{ rtt: 1 }], atLeast: 'degraded' }).degraded).toBe(true);
    expect(buildResult({ ...base, times: [{ rtt: 1, error: 'x' }], atLeast: 'degraded' }).down).toBe(true);
  });
});
