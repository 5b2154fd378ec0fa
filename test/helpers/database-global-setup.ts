import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { type SharedServerState, stopSharedServer } from './shared-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where test files meet to share one database server of each kind for the whole run. */
    databaseRunDir: string;
    /** This vitest's process: a server it started stops when it is gone, even after a crash. */
    vitestPid: number;
  }
}

/**
 * Once per test run: a folder where the first test file that needs PostgreSQL or MariaDB starts
 * it (test/helpers/shared-server.ts) and the others find it; after the run, every server started
 * is stopped and its data folder removed. Starts nothing itself, so a run that uses no database
 * costs nothing.
 */
export default async function setup(project: TestProject) {
  const runDir = await mkdtemp(path.join(tmpdir(), 'checkup-databases-'));
  project.provide('databaseRunDir', runDir);
  project.provide('vitestPid', process.pid);
  return async () => {
    const states = (await readdir(runDir)).filter((name) => name.endsWith('.json'));
    await Promise.all(
      states.map(async (name) =>
        stopSharedServer(JSON.parse(await readFile(path.join(runDir, name), 'utf8')) as SharedServerState),
      ),
    );
    await rm(runDir, { recursive: true, force: true });
  };
}
