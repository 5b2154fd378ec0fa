import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay } from '../../../core/alerts/retry-delay.js';

const policy = {
  ...DEFAULT_RETRY_POLICY,
  attempts: 5,
  baseDelayMs: 100,
  maxDelayMs: 500,
  maxRetryAfterMs: 10_000,
};

describe('retryDelay', () => {
  it.each([
    { attempt: 1, failure: { retryable: true }, random: 0.999999, expected: 100 },
    { attempt: 1, failure: { retryable: true }, random: 0, expected: 50 },
    { attempt: 2, failure: { retryable: true }, random: 0.999999, expected: 200 },
    { attempt: 3, failure: { retryable: true }, random: 0.999999, expected: 400 },
    { attempt: 4, failure: { retryable: true }, random: 0.999999, expected: 500 },
    { attempt: 5, failure: { retryable: true }, random: 0.5, expected: undefined },
    { attempt: 1, failure: { retryable: false }, random: 0.5, expected: undefined },
    { attempt: 1, failure: { retryable: true, retryAfterMs: 3000 }, random: 0.5, expected: 3000 },
    { attempt: 1, failure: { retryable: true, retryAfterMs: 0 }, random: 0.5, expected: 0 },
    { attempt: 1, failure: { retryable: true, retryAfterMs: 60_000 }, random: 0.5, expected: undefined },
    { attempt: 5, failure: { retryable: true, retryAfterMs: 1000 }, random: 0.5, expected: undefined },
  ])(
    'waits $expected ms after try $attempt failed with $failure',
    ({ attempt, failure, random, expected }) => {
      expect(retryDelay(attempt, failure, policy, random)).toBe(expected);
    },
  );
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    { value: '2', expected: 2000 },
    { value: ' 0 ', expected: 0 },
    { value: 'Thu, 01 Jan 2026 00:00:30 GMT', expected: 30_000 },
    { value: 'Wed, 31 Dec 2025 23:00:00 GMT', expected: 0 },
    { value: 'soon', expected: undefined },
    { value: null, expected: undefined },
  ])('reads $value as $expected ms', ({ value, expected }) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
