import { afterEach, describe, expect, it } from 'vitest';
import { MatchStoppedError, matchInWorker } from '../../core/checkers/match-in-worker.js';
import { type CliOutcome, startCli } from '../helpers/run-cli.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

/** A body on which `^(a+)+$` backtracks for hours: 41 `a` and a newline that `$` will not pass. */
const EVIL_BODY = `${'a'.repeat(41)}\n`;

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await removeTempDirs();
});

/** Runs the command, killing it if it has not finished within `limitMs` (a hang is the defect). */
async function runWithin(
  args: string[],
  cwd: string,
  limitMs: number,
): Promise<CliOutcome & { hung: boolean }> {
  const { child, outcome } = startCli(args, cwd);
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, limitMs);
  const result = await outcome;
  clearTimeout(timer);
  return { ...result, hung };
}

describe('a regular expression that backtracks without end', () => {
  it('makes its endpoint down at the timeout while the other endpoints are checked', async () => {
    server = await startHttpServer((req, res) => {
      if (req.url === '/json') return void res.end(JSON.stringify({ name: EVIL_BODY }));
      res.end(req.url === '/evil' ? EVIL_BODY : 'fine');
    });
    const cwd = await makeProject({
      checkers: [
        {
          type: 'http',
          endpoint_name: 'Evil',
          endpoint_url: `${server.url}/evil`,
          must_match: '^(a+)+$',
          timeout: '2s',
        },
        {
          type: 'http',
          endpoint_name: 'EvilJson',
          endpoint_url: `${server.url}/json`,
          json: [{ path: 'name', matches: '^(a+)+$' }],
          timeout: '2s',
        },
        { type: 'http', endpoint_name: 'Fine', endpoint_url: `${server.url}/fine`, must_match: '^fi' },
      ],
    });
    const { hung, code, stdout } = await runWithin([], cwd, 30_000);
    expect(hung).toBe(false);
    expect(code).toBe(1);
    expect(stdout).toContain('timed out after 2s matching the body against /^(a+)+$/}');
    expect(stdout).toContain('timed out after 2s testing json name}');
    expect(stdout).toMatch(/== Fine - [^\n]+\n(?:[^=\n][^\n]*\n)*? Assessment: healthy/);
  }, 60_000);

  it('does not stop every from answering SIGTERM', async () => {
    server = await startHttpServer((_, res) => res.end(EVIL_BODY));
    const cwd = await makeProject({
      checkers: [
        {
          type: 'http',
          endpoint_name: 'Evil',
          endpoint_url: server.url,
          must_match: '^(a+)+$',
          timeout: '1h',
        },
      ],
    });
    const { child, outcome } = startCli(['every', '1h'], cwd);
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    // Give the run time to fetch the body and start matching.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    // The first SIGTERM is heard (the run under way is waited for); the second quits at once.
    child.kill('SIGTERM');
    const deadline = Date.now() + 15_000;
    while (!stderr.includes('stopping') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    const { code, signal } = await outcome;
    clearTimeout(killer);
    expect(stderr).toContain('stopping');
    expect(signal).toBeNull();
    expect(code).toBe(143);
  }, 60_000);

  it('stops many at once, queued ones too, and leaves the workers usable', async () => {
    const evil = Array.from({ length: 8 }, () =>
      matchInWorker('^(a+)+$', '', EVIL_BODY, AbortSignal.timeout(500)).then(
        () => 'finished',
        (error: unknown) => (error instanceof MatchStoppedError ? 'stopped' : String(error)),
      ),
    );
    expect(await Promise.all(evil)).toEqual(Array(8).fill('stopped'));
    expect(await matchInWorker('^fi', '', 'fine', new AbortController().signal)).toBe(true);
  }, 30_000);
});
