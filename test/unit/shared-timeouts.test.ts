import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setSharedTimeout } from '../../core/shared-timeouts.js';

describe('setSharedTimeout', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls each timeout at its own time, in order, and never one that was cleared', () => {
    const fired: string[] = [];
    setSharedTimeout(() => fired.push(`a at ${performance.now()}`), 100);
    vi.advanceTimersByTime(30);
    const b = setSharedTimeout(() => fired.push('b'), 100);
    vi.advanceTimersByTime(30);
    setSharedTimeout(() => fired.push(`c at ${performance.now()}`), 100);
    b.clear();
    vi.advanceTimersByTime(99);
    expect(fired).toEqual(['a at 100']);
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(['a at 100', 'c at 160']);
  });

  it('keeps no timer once every timeout is cleared, so a process can exit', () => {
    const timers = Array.from({ length: 5 }, () => setSharedTimeout(() => {}, 10_000));
    expect(vi.getTimerCount()).toBe(1);
    for (const timer of timers) timer.clear();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sets a timeout on time from inside a callback that is firing', () => {
    const fired: number[] = [];
    setSharedTimeout(() => {
      fired.push(performance.now());
      setSharedTimeout(() => fired.push(performance.now()), 50);
    }, 50);
    setSharedTimeout(() => fired.push(performance.now()), 50);
    vi.advanceTimersByTime(200);
    expect(fired).toEqual([50, 50, 100]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps each delay apart, and waits out a delay longer than a node timer takes', () => {
    const fired: string[] = [];
    setSharedTimeout(() => fired.push('long'), 100);
    setSharedTimeout(() => fired.push('short'), 10);
    setSharedTimeout(() => fired.push('past a timer'), 2 ** 31 + 5);
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(['short', 'long']);
    vi.advanceTimersByTime(2 ** 31);
    expect(fired).toEqual(['short', 'long', 'past a timer']);
  });

  it('clears a timeout that has fired or was cleared without effect', () => {
    const fired: string[] = [];
    const a = setSharedTimeout(() => fired.push('a'), 10);
    const b = setSharedTimeout(() => fired.push('b'), 20);
    vi.advanceTimersByTime(15);
    a.clear();
    a.clear();
    vi.advanceTimersByTime(10);
    b.clear();
    expect(fired).toEqual(['a', 'b']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
