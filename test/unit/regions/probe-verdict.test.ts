import { describe, expect, it } from 'vitest';
import { hostOf, probeVerdict } from '../../../core/probe/probe-verdict.js';
import type { Status } from '../../../core/result.js';
import { resultAt } from '../../helpers/results.js';

const run = (entries: [endpoint: string, status: Status][]) =>
  entries.map(([endpoint, status], index) => resultAt(1e18, status, `E${index}`, { endpoint }));

describe('probeVerdict', () => {
  it.each<[string, [string, Status][], Status | undefined, boolean]>([
    [
      'one down of three: nothing doubted',
      [
        ['https://a.example', 'down'],
        ['https://b.example', 'healthy'],
        ['https://c.example', 'healthy'],
      ],
      undefined,
      false,
    ],
    [
      'half down is not many',
      [
        ['https://a.example', 'down'],
        ['https://b.example', 'healthy'],
      ],
      undefined,
      false,
    ],
    [
      'all of three unrelated hosts down',
      [
        ['https://a.example', 'down'],
        ['b.example:5432', 'down'],
        ['https://c.example/x', 'down'],
      ],
      undefined,
      true,
    ],
    [
      'all down, but on one host: that host is down',
      [
        ['https://a.example/1', 'down'],
        ['https://a.example/2', 'down'],
        ['a.example:22', 'down'],
      ],
      undefined,
      false,
    ],
    [
      'all down on two hosts: too few to tell',
      [
        ['https://a.example', 'down'],
        ['https://b.example', 'down'],
      ],
      undefined,
      false,
    ],
    [
      'many down and the canary down',
      [
        ['https://a.example', 'down'],
        ['https://a.example/2', 'down'],
      ],
      'down',
      true,
    ],
    [
      'many down but the canary answers: a real outage',
      [
        ['https://a.example', 'down'],
        ['https://b.example', 'down'],
        ['https://c.example', 'down'],
      ],
      'healthy',
      false,
    ],
    [
      'canary down but few down: nothing doubted',
      [
        ['https://a.example', 'down'],
        ['https://b.example', 'healthy'],
        ['https://c.example', 'healthy'],
      ],
      'down',
      false,
    ],
  ])('%s', (_, entries, canary, offline) => {
    const verdict = probeVerdict(run(entries), canary ? resultAt(1e18, canary, 'canary') : undefined);
    expect(verdict.offline).toBe(offline);
    if (offline) expect(verdict.reason).toMatch(/^probe offline: /);
  });

  it.each([
    ['https://Example.COM:8443/x', 'example.com'],
    ['db.internal:5432', 'db.internal'],
    ['[::1]:53', '::1'],
    ['/usr/bin/true', '/usr/bin/true'],
  ])('hostOf(%s) is %s', (endpoint, host) => {
    expect(hostOf(endpoint)).toBe(host);
  });
});
