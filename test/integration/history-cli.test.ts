import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../core/result.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { runCli } from '../helpers/run-cli.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

let server: RunningServer;
let requests = 0;

beforeAll(async () => {
  server = await startHttpServer((_request, response) => {
    requests += 1;
    response.statusCode = requests === 2 ? 500 : 200;
    response.end('ok');
  });
});
afterAll(() => server.close());
afterEach(removeTempDirs);

async function projectWithRuns(): Promise<string> {
  requests = 0;
  const project = await makeProject({
    checkers: [
      { type: 'http', endpoint_name: 'Local API', endpoint_url: server.url },
      { type: 'tcp', endpoint_name: 'Local TCP', endpoint_url: `127.0.0.1:${server.port}` },
    ],
    storage: { type: 'fs', dir: 'checks' },
    concurrent_checks: 1,
  });
  for (let i = 0; i < 3; i += 1) await runCli(['--store'], project);
  return project;
}

describe('checkup history and summaries', () => {
  it('prints the stored results of one endpoint as JSON, oldest first', async () => {
    const project = await projectWithRuns();
    const outcome = await runCli(['history', 'Local API', '--since', '1h', '--json'], project);
    expect(outcome.code).toBe(0);
    const results = JSON.parse(outcome.stdout) as Result[];
    expect(results.map((result) => [result.title, result.down === true])).toEqual([
      ['Local API', false],
      ['Local API', true],
      ['Local API', false],
    ]);
    expect(results.map((result) => result.timestamp)).toEqual(
      results.map((result) => result.timestamp).sort((a, b) => a - b),
    );
  });

  it('prints one line per result with its status and median', async () => {
    const project = await projectWithRuns();
    const outcome = await runCli(['history', 'Local API'], project);
    const lines = outcome.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z {2}down {4} +[\d.]+[µm]?s {2}.*500/);
  });

  it('names a misspelt endpoint with a suggestion and exits 2', async () => {
    const project = await projectWithRuns();
    const outcome = await runCli(['history', 'Local APO'], project);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('no endpoint named "Local APO"; did you mean "Local API"?');
  });

  it('rejects a --since that is not a duration', async () => {
    const project = await projectWithRuns();
    const outcome = await runCli(['history', 'Local API', '--since', 'yesterday'], project);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('history --since: not a duration: "yesterday"');
  });

  it('rebuilds summary.json from the stored runs', async () => {
    const project = await projectWithRuns();
    const file = path.join(project, 'checks', 'summary.json');
    const stored = JSON.parse(await readFile(file, 'utf8')) as StatusSummary;
    await rm(file);
    const outcome = await runCli(['summaries', 'rebuild'], project);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('2 endpoints, 6 results');
    const rebuilt = JSON.parse(await readFile(file, 'utf8')) as StatusSummary;
    expect(rebuilt.endpoints).toEqual(stored.endpoints);
  });
});
