import { describe, expect, it } from 'vitest';
import { summaryOptions } from '../../core/summary/summary-options.js';

describe('summaryOptions', () => {
  it("records the storage's unix-ns clock as unix ms, rounded down", () => {
    const warn = (_message: string) => undefined;
    // 0.9 ms into the millisecond: rounding would say the next one.
    expect(summaryOptions(() => 1_764_504_000_123_900_000, warn)).toEqual({ nowMs: 1_764_504_000_123, warn });
  });

  it('reads the clock on every call, not once', () => {
    let ns = 1_764_504_000_000_000_000;
    const clock = () => ns;
    const warn = (_message: string) => undefined;
    const first = summaryOptions(clock, warn).nowMs;
    ns += 60e9;
    expect(summaryOptions(clock, warn).nowMs - first).toBe(60_000);
  });

  it("passes the storage's warn through as it is", () => {
    const said: string[] = [];
    summaryOptions(Date.now, (message) => said.push(message)).warn('run 1 unreadable');
    expect(said).toEqual(['run 1 unreadable']);
  });
});
