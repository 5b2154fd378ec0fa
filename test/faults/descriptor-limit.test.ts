import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { checkConcurrency } from '../../adapters/host/descriptor-budget.js';
import { runAttempts } from '../../core/checkers/run-attempts.js';
import { BIN } from '../helpers/run-cli.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  await removeTempDirs();
});

/** Runs the built command under `ulimit -n <limit>`, as a user's shell would. */
function runUnderLimit(
  limit: number,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', ['-c', `ulimit -n ${limit} && exec "$0" "$1"`, process.execPath, BIN], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the open-file limit', () => {
  it('bounds concurrent_checks by ulimit -n, says so once, and stores no endpoint down with EMFILE', async () => {
    // Every answer takes a second, so 300 checks at once would hold 300 sockets under a limit of 256.
    server = await startHttpServer((_, res) => {
      setTimeout(() => res.end('ok'), 1000);
    });
    const checkers = Array.from({ length: 300 }, (_, index) => ({
      type: 'http',
      endpoint_name: `Site ${index}`,
      endpoint_url: `${server?.url}/${index}`,
    }));
    const cwd = await makeProject({ concurrent_checks: 2000, checkers });
    const { code, stdout, stderr } = await runUnderLimit(256, cwd);
    expect(stdout).not.toContain('EMFILE');
    expect(stdout.match(/Assessment: healthy/g)).toHaveLength(300);
    expect(code).toBe(0);
    expect(
      stderr.match(/concurrent_checks 2000 lowered to \d+: this process may open only 256 files/g),
    ).toHaveLength(1);
  }, 120_000);

  it('lowers concurrent_checks only when the limit cannot hold it', () => {
    expect(checkConcurrency(10, 65_536)).toEqual({ concurrency: 10 });
    expect(checkConcurrency(2000, undefined)).toEqual({ concurrency: 2000 });
    const lowered = checkConcurrency(2000, 1024);
    expect(lowered.concurrency).toBeGreaterThan(100);
    expect(lowered.concurrency).toBeLessThan(512);
    expect(lowered.lowered).toContain('may open only 1024 files');
  });

  it.each(['EMFILE', 'ENFILE', 'ENOMEM', 'ENOBUFS'])(
    'makes an attempt again after %s instead of recording it',
    async (code) => {
      let calls = 0;
      const times = await runAttempts({ attempts: 1, spacingNs: 0 }, async () => {
        calls += 1;
        if (calls < 3) throw Object.assign(new Error(`connect ${code} 127.0.0.1:80`), { code });
        return { rtt: 5 };
      });
      expect(times).toEqual([{ rtt: 5 }]);
      expect(calls).toBe(3);
    },
  );

  it('still records an error of the endpoint (ECONNREFUSED) at once', async () => {
    let calls = 0;
    const times = await runAttempts({ attempts: 1, spacingNs: 0 }, async () => {
      calls += 1;
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    expect(times).toEqual([{ rtt: 0, error: 'connect ECONNREFUSED' }]);
    expect(calls).toBe(1);
  });
});
