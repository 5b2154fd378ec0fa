import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

afterEach(removeTempDirs);

/** Whether a process is running (a zombie left for init to reap counts as gone). */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** A project with one exec checker running `body` as a shell script. */
async function execProject(body: string, extra: Record<string, unknown> = {}): Promise<string> {
  const cwd = await makeProject({});
  const script = path.join(cwd, 'job.sh');
  await writeFile(script, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  await writeFile(
    path.join(cwd, 'checkup.json'),
    JSON.stringify({ checkers: [{ type: 'exec', name: 'Job', command: script, ...extra }] }),
  );
  return cwd;
}

describe('exec checker processes and output', () => {
  it('quotes the true last line of an output longer than 1 MiB', async () => {
    const cwd = await execProject(
      "head -c 3000000 /dev/zero | tr '\\0' x; echo; echo 'database unreachable'; exit 3",
    );
    const { code, stdout } = await runCli([], cwd);
    expect(code).toBe(1);
    expect(stdout).toMatch(/exited with status 3: …x+ database unreachable\}/);
  });

  it('kills a grandchild that left the process group with setsid, at the timeout', async () => {
    const cwd = await execProject('setsid sleep 300 & echo $! > escaped.pid; sleep 300', { timeout: '1s' });
    const { code, stdout } = await runCli([], cwd);
    expect(code).toBe(1);
    expect(stdout).toContain('timed out after 1s');
    const escaped = Number(await readFile(path.join(cwd, 'escaped.pid'), 'utf8'));
    await expect.poll(() => alive(escaped), { timeout: 5000 }).toBe(false);
  });

  it('judges a command by its exit even when a background child holds its output open', async () => {
    const cwd = await execProject('sleep 300 & echo $! > background.pid; echo ready; exit 0', {
      timeout: '5s',
      must_contain: 'ready',
    });
    const { code, stdout } = await runCli([], cwd);
    expect(stdout).not.toContain('timed out');
    expect(stdout).toContain('Assessment: healthy');
    expect(code).toBe(0);
    const background = Number(await readFile(path.join(cwd, 'background.pid'), 'utf8'));
    await expect.poll(() => alive(background), { timeout: 5000 }).toBe(false);
  });

  it('kills what the command left behind in its own session when it exits', async () => {
    const cwd = await execProject('setsid sleep 300 & echo $! > orphan.pid; exit 0', { timeout: '5s' });
    const { code } = await runCli([], cwd);
    expect(code).toBe(0);
    const orphan = Number(await readFile(path.join(cwd, 'orphan.pid'), 'utf8'));
    await expect.poll(() => alive(orphan), { timeout: 5000 }).toBe(false);
  });
});
