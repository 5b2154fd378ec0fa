import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { excerpt } from '../../core/excerpt.js';
import { runCli } from '../helpers/run-cli.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

const HUGE = 'needle '.repeat(50_000); // 350,000 bytes

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await removeTempDirs();
});

async function storedRun(cwd: string): Promise<{ size: number; text: string }> {
  const dir = path.join(cwd, 'checks');
  const [name] = (await readdir(dir)).filter((file) => file.endsWith('-check.json'));
  const file = path.join(dir, name as string);
  return { size: (await stat(file)).size, text: await readFile(file, 'utf8') };
}

describe('messages quote config and body text in bounded excerpts', () => {
  it('a huge must_contain, must_match or must_not_contain is not copied into every stored error', async () => {
    server = await startHttpServer((_, res) => res.end(HUGE));
    const http = { type: 'http', endpoint_url: '', attempts: 3 };
    const cwd = await makeProject({
      checkers: [
        { ...http, endpoint_name: 'Contains', endpoint_url: server.url, must_contain: `x${HUGE}` },
        { ...http, endpoint_name: 'NotContains', endpoint_url: server.url, must_not_contain: HUGE },
        { ...http, endpoint_name: 'Matches', endpoint_url: server.url, must_match: `x${HUGE}` },
        { type: 'exec', name: 'Exec', command: 'echo', arguments: ['hi'], attempts: 3, must_contain: HUGE },
      ],
    });
    const { code, stdout } = await runCli(['--store'], cwd);
    expect(code).toBe(1);
    expect(stdout).toContain(`response does not contain "xneedle needle`);
    expect(stdout).toContain('… (350001 bytes)');
    expect(stdout).toContain('response contains "needle needle');
    expect(stdout).toContain('response does not match /xneedle');
    expect(stdout).toContain('output does not contain "needle');
    expect(stdout.length).toBeLessThan(20_000);
    const run = await storedRun(cwd);
    expect(run.size).toBeLessThan(20_000);
    expect(run.text).toContain('(350000 bytes)');
  });

  it.each([
    ['short', '"short"'],
    ['a'.repeat(100), JSON.stringify('a'.repeat(100))],
    ['é'.repeat(150), `${JSON.stringify('é'.repeat(100))}… (300 bytes)`],
  ])('excerpt of %j', (text, shown) => {
    expect(excerpt(text)).toBe(shown);
  });
});
