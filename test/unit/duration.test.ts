import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../core/duration.js';

describe('parseDuration', () => {
  it.each([
    [1500000000, 1.5e9],
    ['500ms', 500e6],
    ['2s', 2e9],
    ['1m', 60e9],
    ['1h30m', 5400e9],
    ['14d', 14 * 86_400e9],
    ['1.5s', 1.5e9],
    ['250us', 250e3],
    ['0', 0],
  ])('reads %j as %d ns', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  it.each([['10'], ['ten seconds'], ['5x'], [''], [-1], [true], ['1m garbage']])('rejects %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [850, '850ns'],
    [1_500, '1.5µs'],
    [203_400_000, '203.4ms'],
    [1.5e9, '1.5s'],
    [5400e9, '1h30m0s'],
    [100, '100ns'],
    [850_000, '850µs'],
    [999_999, '999.999µs'],
    [9_302_433, '9.302433ms'],
    [90e9, '1m30s'],
    [3600e9, '1h0m0s'],
    [3_723_000_000_005, '1h2m3.000000005s'],
    [59_999_999_999, '59.999999999s'],
    [-1_500_000, '-1.5ms'],
    [1.6, '2ns'],
    [999_999_999, '999.999999ms'],
    [999_999_999.6, '1s'],
    [1_000_000_001, '1.000000001s'],
    [-999_999_999, '-999.999999ms'],
    [-850, '-850ns'],
    [100_000_000, '100ms'],
    [1_000_000, '1ms'],
    [1_000, '1µs'],
    [-0.4, '0s'],
  ])('prints %d ns as %s, as Go does', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });
});
