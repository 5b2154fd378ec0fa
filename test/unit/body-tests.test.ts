import { describe, expect, it } from 'vitest';
import { bodyTests, MAX_BODY_BYTES } from '../../core/checkers/body-tests.js';

const running = new AbortController().signal;
const page = 'hello world, version 2.4.1';
const health = JSON.stringify({ status: 'ok', checks: [{ name: 'db', latency_ms: 12 }] });

describe('bodyTests', () => {
  it('needs no body when there are no body tests', () => {
    expect(bodyTests({})).toBeUndefined();
    expect(bodyTests({ json: [] })).toBeUndefined();
  });

  it.each<{
    name: string;
    config: Parameters<typeof bodyTests>[0];
    text: string;
    truncated?: boolean;
    error: string | undefined;
  }>([
    { name: 'text it contains', config: { must_contain: 'world' }, text: page, error: undefined },
    {
      name: 'text it lacks',
      config: { must_contain: 'moon' },
      text: page,
      error: 'response does not contain "moon"',
    },
    {
      name: 'text it lacks in a cut body',
      config: { must_contain: 'moon' },
      text: page,
      truncated: true,
      error: `response does not contain "moon" in the first ${MAX_BODY_BYTES} bytes`,
    },
    {
      name: 'text it must not contain',
      config: { must_not_contain: 'world' },
      text: page,
      error: 'response contains "world"',
    },
    {
      name: 'a pattern it matches',
      config: { must_match: 'version 2\\.\\d+' },
      text: page,
      error: undefined,
    },
    {
      name: 'a pattern it does not match',
      config: { must_match: '^version' },
      text: page,
      error: 'response does not match /^version/',
    },
    {
      name: 'the first failing test of several',
      config: { must_contain: 'hello', must_not_contain: 'version', must_match: 'x' },
      text: page,
      error: 'response contains "version"',
    },
    {
      name: 'json that holds',
      config: { json: [{ path: 'status', equals: 'ok' }] },
      text: health,
      error: undefined,
    },
    {
      name: 'json matched against a pattern',
      config: { json: [{ path: 'checks[0].name', matches: '^d' }] },
      text: health,
      error: undefined,
    },
    {
      name: 'a body that is not json',
      config: { json: [{ path: 'status', exists: true }] },
      text: page,
      error: expect.stringMatching(/^response is not JSON: /),
    },
    {
      name: 'json in a cut body',
      config: { json: [{ path: 'status', exists: true }] },
      text: health,
      truncated: true,
      error: `response is over ${MAX_BODY_BYTES} bytes, too large for the json tests`,
    },
  ])('judges $name', async ({ config, text, truncated, error }) => {
    const test = bodyTests(config);
    if (!test) throw new Error('no body test');
    expect(await test({ text, truncated: truncated ?? false }, running)).toEqual(error);
  });

  it('stops a pattern that backtracks without end when the attempt stops', async () => {
    const test = bodyTests({ must_match: '^(a+)+$' });
    if (!test) throw new Error('no body test');
    const stopper = new AbortController();
    const verdict = test({ text: `${'a'.repeat(40)}!`, truncated: false }, stopper.signal);
    setTimeout(() => stopper.abort('timed out after 50ms'), 50);
    expect(await verdict).toBe('timed out after 50ms matching the body against /^(a+)+$/');
  });
});
