import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { AlertState } from '../../core/alerts/alert-state.js';
import { emptyAlertState } from '../../core/alerts/alert-state.js';
import {
  AlertStateConflictError,
  type AlertStateStore,
  type VersionedAlertState,
} from '../../core/alerts/alert-state-store.js';
import { checkAlertState, UnreadableAlertStateError } from '../../core/alerts/parse-alert-state.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { temporaryFiles } from '../storage/temporary-files.js';

export interface FsAlertStateStoreOptions {
  /** The storage dir; the state is `<dir>/alert-state.json`. */
  dir: string;
  /** How long to wait for another writer's lock before giving up (default 10 s). */
  lockTimeoutMs?: number;
  /** A lock older than this was left by a crashed writer and is broken (default 30 s). */
  staleLockMs?: number;
}

/** The alert state file's name in the storage dir. */
export const ALERT_STATE_FILE = RESULTS_LAYOUT.alertStateName;

interface StateFile {
  version: number;
  state: AlertState;
}

/**
 * The alert state in a file beside fs runs. A save takes an exclusive lock file (created with
 * O_EXCL), checks the version on disk is the one read, writes a temporary file and renames it
 * into place, so readers never see half a file and concurrent writers (two `checkup every`
 * loops) never lose each other's changes.
 */
export class FsAlertStateStore implements AlertStateStore {
  readonly file: string;
  readonly #lock: string;
  readonly #lockTimeoutMs: number;
  readonly #staleLockMs: number;
  /** The text last read and its version: a save finding the file unchanged need not parse it again. */
  #lastRead: { text: string; version: number } | undefined;

  constructor(options: FsAlertStateStoreOptions) {
    this.file = path.join(options.dir, ALERT_STATE_FILE);
    this.#lock = `${this.file}.lock`;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
    this.#staleLockMs = options.staleLockMs ?? 30_000;
  }

  async load(): Promise<VersionedAlertState> {
    const stored = await this.#read();
    return stored
      ? { state: stored.state, version: String(stored.version) }
      : { state: emptyAlertState(), version: undefined };
  }

  async save(state: AlertState, expectedVersion: string | undefined): Promise<string> {
    await mkdir(path.dirname(this.file), { recursive: true });
    await this.#acquire();
    try {
      const current = await this.#read({ versionOnly: true });
      const currentVersion = current ? String(current.version) : undefined;
      if (currentVersion !== expectedVersion) {
        throw new AlertStateConflictError(
          `alert state changed (version ${currentVersion ?? 'none'}, expected ${expectedVersion ?? 'none'})`,
        );
      }
      const version = (current?.version ?? 0) + 1;
      const temporary = await temporaryFiles.write(
        path.dirname(this.file),
        ALERT_STATE_FILE,
        JSON.stringify({ version, state } satisfies StateFile),
      );
      try {
        await rename(temporary, this.file);
        temporaryFiles.settled(temporary);
      } catch (error) {
        await temporaryFiles.remove(temporary);
        throw error;
      }
      return String(version);
    } finally {
      await unlink(this.#lock).catch(() => {});
    }
  }

  /**
   * The stored file, parsed and checked; with `versionOnly`, a file whose text is the one last read
   * gives that version alone (a 1,000-endpoint state is parsed and checked once per run, not twice).
   */
  async #read(options: { versionOnly: true }): Promise<Pick<StateFile, 'version'> | undefined>;
  async #read(): Promise<StateFile | undefined>;
  async #read(options?: { versionOnly: true }): Promise<StateFile | Pick<StateFile, 'version'> | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (options?.versionOnly && this.#lastRead?.text === text) return { version: this.#lastRead.version };
    let stored: Partial<StateFile> | null;
    try {
      stored = JSON.parse(text) as Partial<StateFile> | null;
    } catch (error) {
      throw new UnreadableAlertStateError(this.file, `not valid JSON (${(error as Error).message})`, {
        cause: error,
      });
    }
    if (typeof stored?.version !== 'number')
      throw new UnreadableAlertStateError(this.file, 'not an alert state ("version" is not a number)');
    const state = checkAlertState(stored.state, this.file);
    this.#lastRead = { text, version: stored.version };
    return { version: stored.version, state };
  }

  async #acquire(): Promise<void> {
    const deadline = Date.now() + this.#lockTimeoutMs;
    for (;;) {
      try {
        const handle = await open(this.#lock, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const age = await stat(this.#lock).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      if (age > this.#staleLockMs) await unlink(this.#lock).catch(() => {});
      else if (Date.now() > deadline) throw new Error(`${this.#lock}: held by another writer for too long`);
      else await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    }
  }
}
