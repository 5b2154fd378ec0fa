import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/checkup.js', import.meta.url));

export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `checkup` bin as a user would, in `cwd`, with `env` over this process's (`bin`:
 * another copy of the command).
 */
export function runCli(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
  bin = BIN,
): Promise<CliOutcome> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return collect(child);
}

/** Starts the bin and returns the child, for commands that run until signalled. */
export function startCli(args: readonly string[], cwd: string) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { child, outcome: collect(child) };
}

function collect(child: ReturnType<typeof spawn>): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
}
