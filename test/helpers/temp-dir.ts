import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A fresh temporary folder; `removeTempDirs` (in afterEach) deletes every one made. */
export async function makeTempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'checkup-test-'));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A temporary folder holding a checkup.json with `config` (an object, or raw text). */
export async function makeProject(config: unknown): Promise<string> {
  const dir = await makeTempDir();
  await writeFile(
    path.join(dir, 'checkup.json'),
    typeof config === 'string' ? config : JSON.stringify(config),
  );
  return dir;
}
