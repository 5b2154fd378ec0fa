import type { ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { freePort, waitUntil } from './shared-server.js';

export interface DatabaseOnFreePortOptions {
  /** The server's name in the error when it does not start (`MariaDB`). */
  name: string;
  /** Its folder: its output goes to `server.log` there. */
  dir: string;
  /** Starts the server, detached, on `port`, its output to the file descriptor `output`. */
  spawnOn(port: number, output: number): ChildProcess;
  /** Logs in once (and ends the session): resolves once the server takes logins. */
  logIn(port: number): Promise<void>;
}

/**
 * Starts a database server on a free loopback port, waiting up to 30 s for a login to work; tries
 * another port (three in all) when the server exits, as it does when the port was taken meanwhile.
 */
export async function startDatabaseOnFreePort(
  options: DatabaseOnFreePortOptions,
): Promise<{ child: ChildProcess; port: number }> {
  const log = path.join(options.dir, 'server.log');
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const child = options.spawnOn(port, openSync(log, 'a'));
    child.unref();
    let exited = false;
    child.once('exit', () => {
      exited = true;
    });
    try {
      await waitUntil(
        async () => {
          if (exited) throw new Error('exited');
          await options.logIn(port);
          return true;
        },
        30_000,
        async () => `${options.name} did not start on port ${port}:\n${await readFile(log, 'utf8')}`,
      );
      return { child, port };
    } catch (error) {
      if (exited && attempt < 3) continue; // the port was taken meanwhile: another
      if (!exited) child.kill('SIGKILL');
      throw error;
    }
  }
}
