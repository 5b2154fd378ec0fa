import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runAttempts } from '../../core/checkers/run-attempts.js';
import { MAX_TIMER_MS, setLongTimeout } from '../../core/long-timer.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

const DAY_MS = 86_400_000;

let server: RunningServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
  await removeTempDirs();
});

describe('waits longer than a timer can hold (about 24.8 days)', () => {
  it('fires a 30-day timer after 30 days, not at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fired = vi.fn();
    setLongTimeout(fired, 30 * DAY_MS);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 1000);
    expect(fired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(30 * DAY_MS - MAX_TIMER_MS);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('a cleared long timer never fires, even past its first link', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fired = vi.fn();
    const timer = setLongTimeout(fired, 40 * DAY_MS);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 1000);
    timer.clear();
    await vi.advanceTimersByTimeAsync(40 * DAY_MS);
    expect(fired).not.toHaveBeenCalled();
  });

  it('spaces attempts by an attempt_spacing of 30 days', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const attempt = vi.fn(async () => ({ rtt: 1 }));
    const done = runAttempts({ attempts: 2, spacingNs: 30 * DAY_MS * 1e6 }, attempt);
    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(29 * DAY_MS);
    await expect(done).resolves.toHaveLength(2);
  });

  it('a timeout of 25 days does not time out a slow answer (the built command)', async () => {
    server = await startHttpServer((_, res) => {
      setTimeout(() => res.end('ok'), 300);
    });
    const cwd = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Slow', endpoint_url: server.url, timeout: '25d' }],
    });
    const { code, stdout } = await runCli([], cwd);
    expect(stdout).not.toContain('timed out');
    expect(stdout).toContain('Assessment: healthy');
    expect(code).toBe(0);
  });

  it('every 4w runs once and then waits (the built command)', async () => {
    server = await startHttpServer((_, res) => res.end('ok'));
    const cwd = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Home', endpoint_url: server.url }],
    });
    const checks = path.join(cwd, 'checks');
    const { child, outcome } = startCli(['every', '4w'], cwd);
    const stored = async () =>
      existsSync(checks) ? (await readdir(checks)).filter((name) => name.endsWith('-check.json')) : [];
    const deadline = Date.now() + 30_000;
    while ((await stored()).length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Were the interval to overflow, runs would follow every millisecond or so.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    child.kill('SIGINT');
    expect((await outcome).code).toBe(0);
    expect(await stored()).toHaveLength(1);
  }, 60_000);
});
