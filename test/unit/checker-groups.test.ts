import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChecker } from '../../core/checkers/create-checker.js';
import { ConfigError } from '../../core/config/config-error.js';
import { parseConfig } from '../../core/config/parse-config.js';
import { applyRunToSummary } from '../../core/summary/apply-run-to-summary.js';
import { ns, result, run } from '../helpers/make-runs.js';

function problems(config: unknown): string[] {
  try {
    parseConfig(JSON.stringify(config));
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

let server: Server;
let url: string;
beforeAll(async () => {
  server = createServer((_request, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('checker groups', () => {
  it('accepts a group on any checker, exec included', () => {
    const config = parseConfig(
      JSON.stringify({
        checkers: [
          { type: 'http', endpoint_name: 'API', endpoint_url: 'https://example.com', group: ' Backend ' },
          { type: 'exec', name: 'Disk', command: 'true', group: 'Hosts' },
        ],
      }),
    );
    expect(config.checkers.map((checker) => checker.group)).toEqual(['Backend', 'Hosts']);
  });

  it('names the place of a group that is empty or not text', () => {
    const lines = problems({
      checkers: [
        { type: 'http', endpoint_name: 'A', endpoint_url: 'https://example.com', group: '  ' },
        { type: 'tcp', endpoint_name: 'B', endpoint_url: 'db:5432', group: 3 },
      ],
    });
    expect(lines.some((line) => line.startsWith('checkers[0].group: must not be empty'))).toBe(true);
    expect(lines.some((line) => line.startsWith('checkers[1].group: expected a string'))).toBe(true);
  });

  it('puts the group on each result of a grouped checker, and none on the others', async () => {
    const grouped = createChecker(
      { type: 'http', endpoint_name: 'API', endpoint_url: url, group: 'Backend' },
      { allowExec: false },
    );
    const plain = createChecker(
      { type: 'http', endpoint_name: 'Web', endpoint_url: url },
      { allowExec: false },
    );
    const timestamp = Date.now() * 1e6;
    const [a, b] = await Promise.all([grouped.check({ timestamp }), plain.check({ timestamp })]);
    expect(a.group).toBe('Backend');
    expect(a.healthy).toBe(true);
    expect(b).not.toHaveProperty('group');
  });

  it('carries the newest result’s group into the summary, and drops it when the config does', () => {
    const t0 = ns('2026-11-24T10:00:00Z');
    const first = applyRunToSummary(
      undefined,
      run(t0, [result('API', t0, 'healthy', 100, { group: 'Backend' })]),
    );
    expect(first.endpoints[0]?.group).toBe('Backend');
    const later = applyRunToSummary(first, run(t0 + 60e9, [result('API', t0 + 60e9)]));
    expect(later.endpoints[0]).not.toHaveProperty('group');
  });
});
