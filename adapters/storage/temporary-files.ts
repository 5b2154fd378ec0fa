import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { readdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A temporary file this old was left by a process that died mid-write: no writer takes minutes. */
export const STALE_TEMPORARY_MS = 5 * 60_000;

/** `<anything>.tmp-<pid>-<12 hex>`: the names every fs writer here gives its temporary files. */
const TEMPORARY_NAME = /\.tmp-\d+-[0-9a-f]{12}$/;

/** Temporary files being written or about to be renamed, so a signal handler can remove them. */
const live = new Set<string>();

/**
 * The temporary files behind the fs writers' write-then-rename. A file that fails to write (a
 * full disk) is removed at once; `removeLiveSync` removes those under way when the process is
 * told to stop; `removeStale` removes what a killed process left.
 */
export const temporaryFiles = {
  /**
   * Writes `body` to a fresh `<dir>/<prefix>.tmp-<pid>-<hex>` and returns its path; a body given
   * in pieces is written piece by piece, as they are made.
   */
  async write(dir: string, prefix: string, body: string | Iterable<string>): Promise<string> {
    const file = path.join(dir, `${prefix}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    live.add(file);
    try {
      await writeFile(file, body);
    } catch (error) {
      await temporaryFiles.remove(file);
      throw error;
    }
    return file;
  },

  /** Forgets a temporary file that was renamed into place. */
  settled(file: string): void {
    live.delete(file);
  },

  /** Removes a temporary file (already gone is fine) and forgets it. */
  async remove(file: string): Promise<void> {
    await unlink(file).catch(() => {});
    live.delete(file);
  },

  /** Synchronously removes every temporary file under way: for a signal handler about to exit. */
  removeLiveSync(): void {
    for (const file of live) {
      try {
        unlinkSync(file);
      } catch {
        // Renamed into place already, or the folder is gone: nothing left to clean.
      }
    }
    live.clear();
  },

  /** Removes temporary files in `dir` older than STALE_TEMPORARY_MS, left by a killed writer. */
  async removeStale(dir: string, nowMs = Date.now()): Promise<void> {
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((name) => TEMPORARY_NAME.test(name))
        .map(async (name) => {
          const file = path.join(dir, name);
          const info = await stat(file).catch(() => undefined);
          if (info && nowMs - info.mtimeMs > STALE_TEMPORARY_MS) await unlink(file).catch(() => {});
        }),
    );
  },
};
