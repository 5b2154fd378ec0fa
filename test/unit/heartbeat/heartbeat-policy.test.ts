import { describe, expect, it } from 'vitest';
import { heartbeatVerdict } from '../../../core/heartbeat/heartbeat-verdict.js';
import { matchToken } from '../../../core/heartbeat/match-token.js';
import { MAX_PING_MESSAGE, parsePing } from '../../../core/heartbeat/parse-ping.js';
import { PingRateLimiter } from '../../../core/heartbeat/ping-rate-limiter.js';

const TOKEN = 'abcdefghijklmnop1234';
const HOUR = 3600e9;
const schedule = { periodNs: HOUR, graceNs: 5 * 60e9 };
const NOW = Date.UTC(2026, 0, 1, 12);
const minutesAgo = (n: number) => NOW - n * 60_000;

describe('heartbeatVerdict', () => {
  it.each([
    {
      name: 'is down when no ping ever came',
      ping: undefined,
      status: 'down',
      error: /^no ping received yet \(expected every 1h0m0s, grace 5m0s\)$/,
    },
    {
      name: 'is healthy with a ping inside the period',
      ping: { at: minutesAgo(30), ok: true },
      status: 'healthy',
    },
    {
      name: 'is healthy, with a notice, when late but inside the grace',
      ping: { at: minutesAgo(63), ok: true },
      status: 'healthy',
      notice: /^late: last ping 1h3m0s ago/,
    },
    {
      name: 'is down past period plus grace',
      ping: { at: minutesAgo(66), ok: true },
      status: 'down',
      error: /^no ping for 1h6m0s/,
    },
    {
      name: 'is down when the last ping said the job failed',
      ping: { at: minutesAgo(1), ok: false },
      status: 'down',
      error: /reported a failure 1m0s ago/,
    },
    {
      name: 'takes a ping from a clock slightly ahead as fresh',
      ping: { at: NOW + 5000, ok: true },
      status: 'healthy',
    },
  ])('$name', ({ ping, status, error, notice }) => {
    const verdict = heartbeatVerdict(schedule, ping, NOW);
    expect(verdict.status).toBe(status);
    if (error) expect(verdict.error).toMatch(error);
    else expect(verdict.error).toBeUndefined();
    if (notice) expect(verdict.notice).toMatch(notice);
    else expect(verdict.notice).toBeUndefined();
  });

  it('carries the job’s message, fresh or failed', () => {
    expect(
      heartbeatVerdict(schedule, { at: minutesAgo(1), ok: false, message: 'disk full' }, NOW),
    ).toMatchObject({
      status: 'down',
      message: 'disk full',
    });
  });
});

describe('parsePing', () => {
  it.each([
    {
      name: 'a GET is a success',
      request: { method: 'GET', path: `/ping/${TOKEN}` },
      expected: { ok: true, token: TOKEN, ping: { ok: true } },
    },
    {
      name: '/fail is a failure',
      request: { method: 'POST', path: `/ping/${TOKEN}/fail` },
      expected: { ok: true, ping: { ok: false } },
    },
    {
      name: 'the POST body is the message',
      request: { method: 'POST', path: `/ping/${TOKEN}`, body: 'copied 12 files\n' },
      expected: { ping: { ok: true, message: 'copied 12 files' } },
    },
    {
      name: '?msg= is the message of a GET',
      request: { method: 'GET', path: `/ping/${TOKEN}`, query: 'hello' },
      expected: { ping: { message: 'hello' } },
    },
    {
      name: 'control characters leave the message',
      request: { method: 'POST', path: `/ping/${TOKEN}`, body: 'a\u001b[31mb\u202ec\r\nd' },
      expected: { ping: { message: 'a [31mb c d' } },
    },
    {
      name: 'another method is 405',
      request: { method: 'DELETE', path: `/ping/${TOKEN}` },
      expected: { ok: false, status: 405 },
    },
    {
      name: 'a short token is 404',
      request: { method: 'GET', path: '/ping/short' },
      expected: { ok: false, status: 404 },
    },
    {
      name: 'another path is 404',
      request: { method: 'GET', path: `/ping/${TOKEN}/start/x` },
      expected: { ok: false, status: 404 },
    },
  ])('$name', ({ request, expected }) => {
    expect(parsePing(request)).toMatchObject(expected);
  });

  it(`clips a message to ${MAX_PING_MESSAGE} characters`, () => {
    const parsed = parsePing({ method: 'POST', path: `/ping/${TOKEN}`, body: 'é'.repeat(1000) });
    expect(parsed.ok && [...(parsed.ping.message ?? '')]).toHaveLength(MAX_PING_MESSAGE);
  });
});

describe('matchToken', () => {
  it.each([
    { candidate: TOKEN, tokens: ['x'.repeat(16), TOKEN], expected: 1 },
    { candidate: `${TOKEN}5`, tokens: [TOKEN], expected: undefined },
    { candidate: TOKEN.slice(0, -1), tokens: [TOKEN], expected: undefined },
    { candidate: TOKEN, tokens: [], expected: undefined },
  ])('finds $candidate among $tokens.length token(s): $expected', ({ candidate, tokens, expected }) => {
    expect(matchToken(candidate, tokens)).toBe(expected);
  });
});

describe('PingRateLimiter', () => {
  it('admits the limit per window and per heartbeat, then refuses until the window passes', () => {
    const limiter = new PingRateLimiter({ pings: 3, windowMs: 1000 });
    const answers = [0, 10, 20, 30, 40].map((at) => limiter.admit('a', at));
    expect(answers).toEqual([true, true, true, false, false]);
    expect(limiter.admit('b', 50)).toBe(true);
    expect(limiter.admit('a', 1000)).toBe(true);
  });
});
