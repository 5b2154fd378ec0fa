import { describe, expect, it } from 'vitest';
import {
  evaluateJsonAssertion,
  type JsonAssertion,
  parseJsonPath,
} from '../../core/checkers/json-assertion.js';

const DOC = {
  status: 'ok',
  version: '2.4.1',
  uptime: 3600,
  maintenance: false,
  checks: [
    { name: 'db', latency_ms: 12 },
    { name: 'cache', latency_ms: 250 },
  ],
  'odd.key': { value: null },
  tags: ['a', 'b'],
};

describe('parseJsonPath', () => {
  it.each([
    { path: 'status', segments: ['status'] },
    { path: '$.checks[1].latency_ms', segments: ['checks', 1, 'latency_ms'] },
    { path: '$["odd.key"].value', segments: ['odd.key', 'value'] },
    { path: '[0].id', segments: [0, 'id'] },
    { path: '$', segments: [] },
    { path: 'a..b', segments: 'not a JSON path at "..b" (use a.b[0]["c d"])' },
    { path: 'a[x]', segments: 'not a JSON path at "[x]" (use a.b[0]["c d"])' },
    { path: '', segments: 'empty JSON path (use $ for the whole document)' },
  ])('reads $path', ({ path, segments }) => {
    expect(parseJsonPath(path)).toEqual(segments);
  });
});

describe('evaluateJsonAssertion', () => {
  it.each<{ assertion: JsonAssertion; error: string | undefined }>([
    { assertion: { path: 'status', equals: 'ok' }, error: undefined },
    { assertion: { path: 'status', equals: 'degraded' }, error: 'json status is "ok", want "degraded"' },
    { assertion: { path: 'checks[0]', equals: { latency_ms: 12, name: 'db' } }, error: undefined },
    { assertion: { path: 'tags', equals: ['a', 'b'] }, error: undefined },
    { assertion: { path: 'tags', equals: ['b', 'a'] }, error: 'json tags is ["a","b"], want ["b","a"]' },
    { assertion: { path: 'maintenance', not_equals: true }, error: undefined },
    { assertion: { path: 'status', not_equals: 'ok' }, error: 'json status is "ok", want anything else' },
    { assertion: { path: 'checks[0].latency_ms', lt: 200 }, error: undefined },
    {
      assertion: { path: 'checks[1].latency_ms', lt: 200 },
      error: 'json checks[1].latency_ms is 250, want < 200',
    },
    { assertion: { path: 'uptime', gte: 3600 }, error: undefined },
    { assertion: { path: 'uptime', gt: 3600 }, error: 'json uptime is 3600, want > 3600' },
    { assertion: { path: 'checks.length', lte: 2 }, error: undefined },
    { assertion: { path: 'status', gt: 1 }, error: 'json status is "ok", not a number' },
    { assertion: { path: 'version', matches: '^2\\.' }, error: undefined },
    {
      assertion: { path: 'version', matches: '^3\\.' },
      error: 'json version is "2.4.1", want a match for /^3\\./',
    },
    {
      assertion: { path: 'checks', matches: 'db' },
      error: expect.stringMatching(/not text to match$/) as never,
    },
    { assertion: { path: '$["odd.key"].value', exists: true }, error: undefined },
    { assertion: { path: 'error', exists: false }, error: undefined },
    { assertion: { path: 'status', exists: false }, error: 'json status: present ("ok"), want absent' },
    { assertion: { path: 'checks[5].name', equals: 'x' }, error: 'json checks[5].name: not found' },
    { assertion: { path: 'missing', lt: 1 }, error: 'json missing: not found' },
  ])('judges $assertion', async ({ assertion, error }) => {
    expect(await evaluateJsonAssertion(DOC, assertion)).toEqual(error);
  });
});
