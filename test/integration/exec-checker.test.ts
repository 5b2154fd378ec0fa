import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChecker, createCheckers } from '../../core/checkers/create-checker.js';
import { MAX_OUTPUT_BYTES } from '../../core/checkers/exec-checker.js';
import { validateConfig } from '../../core/config/parse-config.js';
import { statusOf } from '../../core/result.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

let dir: string;

beforeAll(async () => {
  dir = await makeTempDir();
});
afterAll(removeTempDirs);

async function script(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

async function check(fields: Record<string, unknown>) {
  const config = validateConfig({ checkers: [{ type: 'exec', name: 'job', ...fields }] });
  return createChecker(config.checkers[0] as never, { allowExec: true }).check({ timestamp: 1 });
}

/** Whether a process is running (a zombie left for init to reap counts as gone). */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('exec checker', () => {
  it('reports healthy when the command exits 0 and its output contains must_contain', async () => {
    const ok = await script('ok.sh', 'echo "all systems $1"');
    const result = await check({ command: ok, arguments: ['go'], must_contain: 'systems go', attempts: 2 });
    expect(statusOf(result)).toBe('healthy');
    expect(result.title).toBe('job');
    expect(result.endpoint).toBe(`${ok} go`);
    expect(result.times).toHaveLength(2);
    expect(result.times.every((t) => t.error === undefined && t.rtt > 0)).toBe(true);
  });

  it('reports down with the exit status and the end of the output when the command fails', async () => {
    const fail = await script('fail.sh', 'echo "checking"; echo "database unreachable" >&2; exit 3');
    const result = await check({ command: fail });
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toBe('exited with status 3: checking database unreachable');
  });

  it('checks must_not_contain against stderr too', async () => {
    const warn = await script('warn.sh', 'echo "WARNING: disk 91% full" >&2');
    const result = await check({ command: warn, must_not_contain: 'WARNING' });
    expect(result.times[0]?.error).toBe('output contains "WARNING"');
  });

  it('reports degraded instead of down with raise "warn", giving the failure as the notice', async () => {
    const fail = await script('fail-warn.sh', 'exit 1');
    const result = await check({ command: fail, raise: 'warn' });
    expect(statusOf(result)).toBe('degraded');
    expect(result.notice).toBe('exited with status 1');
    expect(result.times[0]?.error).toBeUndefined();
  });

  it('kills the whole process group at the timeout, the command and what it started', async () => {
    const pidFile = path.join(dir, 'child.pid');
    const hang = await script('hang.sh', `sleep 300 & echo $! > ${pidFile}; wait`);
    const result = await check({ command: hang, timeout: '2s' });
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toBe('timed out after 2s');
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    await expect.poll(() => alive(grandchild), { timeout: 5000 }).toBe(false);
  });

  it('keeps only the first 1 MiB of a flood of output and still finishes', async () => {
    const flood = await script('flood.sh', "head -c 5000000 /dev/zero | tr '\\0' x; echo END");
    const found = await check({ command: flood, must_contain: 'xxxx' });
    expect(found.times[0]?.error).toBeUndefined();
    expect(statusOf(found)).toBe('healthy');
    const missing = await check({ command: flood, must_contain: 'END' });
    expect(missing.times[0]?.error).toBe(
      `output does not contain "END" in the first ${MAX_OUTPUT_BYTES} bytes`,
    );
  });

  it('reports down with a clear error when the command does not exist', async () => {
    const result = await check({ command: path.join(dir, 'no-such-command') });
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toMatch(/^cannot run .*no-such-command: .*ENOENT/);
  });

  it('is refused where exec is not allowed, naming the checker entry', () => {
    const config = validateConfig({
      checkers: [
        { type: 'tcp', endpoint_name: 'a', endpoint_url: '127.0.0.1:1' },
        { type: 'exec', name: 'b', command: '/bin/true' },
      ],
    });
    expect(() => createCheckers(config.checkers, { allowExec: false })).toThrow(
      /^checkers\[1\]: exec checkers run local commands/,
    );
    expect(createCheckers(config.checkers, { allowExec: true })).toHaveLength(2);
  });

  it('reports a duplicate exec name at its name key and suggests a misspelt key', () => {
    expect(() =>
      validateConfig({
        checkers: [
          { type: 'exec', name: 'b', command: '/bin/true' },
          { type: 'exec', name: 'b', command: '/bin/true', must_contian: 'x' },
        ],
      }),
    ).toThrow(
      /checkers\[1\]\.must_contian: unknown key; did you mean "must_contain"\?\ncheckers\[1\]\.name: "b" is already used/,
    );
  });
});
