import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startCli } from './run-cli.js';

export interface RunningServe {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The project folder (checkup.json) and its fs storage folder (`<dir>/checks`). */
  dir: string;
  dataDir: string;
  /** What it wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Runs the real `checkup serve --listen 127.0.0.1:0` in `dir` (which gets a checkup.json with fs
 * storage in `checks/` and `extraConfig` merged in; `extraArgs` such as `--every 1s`), and resolves once it says where it listens.
 */
export async function startServe(
  dir: string,
  extraConfig: Record<string, unknown> = {},
  extraArgs: readonly string[] = [],
): Promise<RunningServe> {
  const dataDir = path.join(dir, 'checks');
  await mkdir(dataDir, { recursive: true });
  await writeFile(
    path.join(dir, 'checkup.json'),
    JSON.stringify({ checkers: [], storage: { type: 'fs', dir: 'checks' }, ...extraConfig }),
  );
  const { child, outcome } = startCli(['serve', '--listen', '127.0.0.1:0', ...extraArgs], dir);
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`checkup serve did not start: ${stderr}`)), 20_000);
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
      const match = /serving the status page at (http:\/\/127\.0\.0\.1:\d+)\//.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`checkup serve exited: ${stderr}`));
    });
  });
  return {
    url,
    dir,
    dataDir,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await outcome;
    },
  };
}
