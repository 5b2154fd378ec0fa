import { link, mkdir, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { unixNs } from '../../core/clock.js';
import { parseRun } from '../../core/parse-run.js';
import { type Result, timestampDigits } from '../../core/result.js';
import { streamResults } from '../../core/result-json.js';
import { historyFromRuns } from '../../core/run-history.js';
import { compareDigits } from '../../core/run-order.js';
import {
  parseRunFileName,
  type RunRef,
  runFileName,
  type Storage,
  type StoredRun,
  type TimeRange,
} from '../../core/storage.js';
import { isPageDocumentName } from '../../core/summary/page-document-types.js';
import { summaryOptions } from '../../core/summary/summary-options.js';
import { isStateName } from '../../core/summary/summary-state-types.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import type { ListedState } from '../../core/summary/sweep-orphan-states.js';
import { syncStoredRun } from '../../core/summary/sync-stored-run.js';
import {
  CorruptSummaryError,
  readWholeSummary,
  rebuildStoredSummary,
  type SummaryBackend,
  type SummaryRead,
  storedPageDocuments,
  syncSummary,
} from '../../core/summary/sync-summary.js';
import { temporaryFiles } from './temporary-files.js';
import { warnOnce } from './warn-once.js';

export interface FsStorageOptions {
  dir: string;
  /** Runs older than this (nanoseconds) are deleted on every store. */
  checkExpiryNs?: number;
  /** The clock, for tests of expiry. */
  now?: () => number;
  /** Keep summary.json up to date on every store (default true; off only to measure its cost). */
  summaries?: boolean;
  /** Where warnings go (an unreadable run skipped, a summary rebuilt); default stderr, each once. */
  warn?: (message: string) => void;
}

const INDEX = 'index.json';
/** The summary document the status page reads (`/data/summary.json`). */
export const SUMMARY_FILE = 'summary.json';

/**
 * checkup's file-system storage: `<dir>/<unix-ns>-check.json` per run and `index.json` mapping
 * each file to its time. Safe for several processes storing into one dir at once: files are
 * written under a temporary name and then linked or renamed into place, and the index is
 * rebuilt from the files on disk until it holds every one. `summary.json` is replaced whole
 * (rename) and kept whole by the verify-after-write loop of core/summary/sync-summary.ts.
 */
export class FsStorage implements Storage {
  readonly dir: string;
  readonly #checkExpiryNs: number | undefined;
  readonly #now: () => number;
  readonly #summaries: boolean;
  readonly #backend: SummaryBackend;
  readonly #warn: (message: string) => void;

  constructor(options: FsStorageOptions) {
    this.dir = options.dir;
    this.#checkExpiryNs = options.checkExpiryNs;
    this.#now = options.now ?? unixNs;
    this.#summaries = options.summaries ?? true;
    this.#warn = warnOnce(options.warn);
    this.#backend = {
      summaryLocation: path.resolve(this.dir, SUMMARY_FILE),
      conditional: false,
      readSummary: () => this.#readSummaryFile(),
      writeSummary: async (summary) => {
        await this.#replace(SUMMARY_FILE, JSON.stringify(summary));
        return true;
      },
      writeDocument: async (name, body) => {
        if (!isPageDocumentName(name)) throw new Error(`not a page document: ${name}`);
        await mkdir(path.dirname(path.join(this.dir, name)), { recursive: true });
        await this.#replace(name, body);
      },
      readDocument: async (name) => {
        if (!isPageDocumentName(name)) throw new Error(`not a page document: ${name}`);
        try {
          return await readFile(path.join(this.dir, name), 'utf8');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw error;
        }
      },
      readState: async (name) => {
        try {
          return await readFile(this.#statePath(name), 'utf8');
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw error;
        }
      },
      writeState: async (name, body) => {
        await mkdir(path.dirname(this.#statePath(name)), { recursive: true });
        await this.#replace(name, body);
      },
      deleteState: (name) =>
        unlink(this.#statePath(name)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      listStates: () => this.#listStates(),
      listRunsSince: async (since) =>
        (await this.#runsOnDisk())
          .filter((run) => compareDigits(run.digits, since) >= 0)
          .map((run) => run.name),
      readRun: (name) =>
        this.read(name).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return undefined;
          throw error;
        }),
    };
  }

  async store(results: readonly Result[]): Promise<StoredRun> {
    await mkdir(this.dir, { recursive: true });
    // File times are wall-clock times, whatever clock the runs are stamped with.
    await temporaryFiles.removeStale(this.dir);
    const first = results[0];
    const ref = await this.#writeRun(
      streamResults(results),
      BigInt(first ? timestampDigits(first) : Math.round(this.#now())),
    );
    await this.#expire();
    await this.#writeIndex();
    if (!this.#summaries) return ref;
    const summary = await syncStoredRun(
      this.#backend,
      { name: ref.name, results },
      summaryOptions(this.#now, this.#warn),
    );
    return { ...ref, summary };
  }

  readSummary(): Promise<StatusSummary | undefined> {
    return readWholeSummary(this.#backend);
  }

  /** The page documents as stored, when the summary says they are current (storedPageDocuments). */
  pageDocuments(): Promise<((name: string) => Promise<string | undefined>) | undefined> {
    return storedPageDocuments(this.#backend);
  }

  /** A state document's path (`<dir>/state/<block>-<generation>.json`). */
  #statePath(name: string): string {
    if (!isStateName(name)) throw new Error(`not a state document: ${name}`);
    return path.join(this.dir, name);
  }

  /** `<dir>/state/` with each file's mtime; one deleted while listed is left out. */
  async #listStates(): Promise<ListedState[]> {
    const folder = path.join(this.dir, 'state');
    const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const listed = await Promise.all(
      names.map((name) =>
        stat(path.join(folder, name)).then(
          (info) => [{ name: `state/${name}`, modified: info.mtimeMs }],
          (error: NodeJS.ErrnoException) => {
            if (error.code === 'ENOENT') return [];
            throw error;
          },
        ),
      ),
    );
    return listed.flat();
  }

  async summaryVersion(): Promise<string | undefined> {
    // The summary is replaced by rename, so a new version is a new inode; mtime and size too, in
    // case something edits it in place.
    try {
      const info = await stat(path.join(this.dir, SUMMARY_FILE), { bigint: true });
      return `${info.ino}:${info.size}:${info.mtimeNs}`;
    } catch (error) {
      // No summary yet is a version too: its arrival is a change.
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'none' : undefined;
    }
  }

  history(title: string, range?: TimeRange): Promise<Result[]> {
    return historyFromRuns(this, title, range, (error) => this.#warn(error.message));
  }

  updateSummary(options: { onlyRunsAtStart?: boolean } = {}): Promise<StatusSummary> {
    return syncSummary(this.#backend, {
      ...summaryOptions(this.#now, this.#warn),
      onlyRunsAtStart: options.onlyRunsAtStart,
    });
  }

  async rebuildSummary(): Promise<StatusSummary> {
    await mkdir(this.dir, { recursive: true });
    return rebuildStoredSummary(this.#backend, summaryOptions(this.#now, this.#warn));
  }

  async #readSummaryFile(): Promise<SummaryRead> {
    try {
      return {
        summary: JSON.parse(
          await readFile(path.join(this.dir, SUMMARY_FILE), 'utf8'),
        ) as SummaryRead['summary'],
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { summary: undefined };
      if (error instanceof SyntaxError)
        throw new CorruptSummaryError(`${path.join(this.dir, SUMMARY_FILE)} is not JSON`, { cause: error });
      throw error;
    }
  }

  async list(range: TimeRange = {}): Promise<RunRef[]> {
    return (await this.#runsOnDisk())
      .filter(
        (run) => (range.since ?? -Infinity) <= run.timestamp && run.timestamp <= (range.until ?? Infinity),
      )
      .map(({ name, timestamp }) => ({ name, timestamp }));
  }

  async read(name: string): Promise<Result[]> {
    if (!parseRunFileName(name)) throw new Error(`not a run file name: ${name}`);
    const file = path.join(this.dir, name);
    return parseRun(await readFile(file, 'utf8'), path.resolve(file));
  }

  /**
   * Writes the run under the name of its first result's exact time, so name and content agree to
   * the nanosecond; a name already taken (same nanosecond) moves one ns on.
   */
  async #writeRun(body: Iterable<string>, timestamp: bigint): Promise<RunRef> {
    const temporary = await this.#writeTemporary(body);
    try {
      // BigInt: at 1.7e18 a JS number cannot tell neighbouring nanoseconds apart.
      for (let ns = timestamp; ; ns += 1n) {
        const name = runFileName(ns);
        try {
          await link(temporary, path.join(this.dir, name));
          return { name, timestamp: Number(ns) };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
      }
    } finally {
      await temporaryFiles.remove(temporary);
    }
  }

  /** Writes a temporary file in the dir; a failed write (a full disk) leaves none behind. */
  #writeTemporary(body: string | Iterable<string>): Promise<string> {
    return temporaryFiles.write(this.dir, '', body);
  }

  /** Replaces `name` whole: readers see the old file or the new one, never half of one. */
  async #replace(name: string, body: string): Promise<void> {
    const temporary = await this.#writeTemporary(body);
    try {
      await rename(temporary, path.join(this.dir, name));
      temporaryFiles.settled(temporary);
    } catch (error) {
      await temporaryFiles.remove(temporary);
      throw error;
    }
  }

  async #runsOnDisk() {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    return names
      .flatMap((name) => parseRunFileName(name) ?? [])
      .sort((a, b) => compareDigits(a.digits, b.digits));
  }

  async #expire(): Promise<void> {
    if (!this.#checkExpiryNs) return;
    const cutoff = this.#now() - this.#checkExpiryNs;
    const expired = (await this.#runsOnDisk()).filter((run) => run.timestamp < cutoff);
    await Promise.all(
      expired.map((run) =>
        unlink(path.join(this.dir, run.name)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
  }

  /**
   * Rebuilds index.json from the run files on disk. Another process may replace the index with
   * an older listing between our write and theirs, so we check after writing and write again
   * until the index on disk names every run we can see: the last writer always leaves it whole.
   */
  async #writeIndex(): Promise<void> {
    for (;;) {
      const runs = await this.#runsOnDisk();
      const body = `{${runs.map((run) => `${JSON.stringify(run.name)}:${run.digits}`).join(',')}}`;
      await this.#replace(INDEX, body);
      const written = new Set(Object.keys(await this.#readIndex()));
      if ((await this.#runsOnDisk()).every((run) => written.has(run.name))) return;
    }
  }

  async #readIndex(): Promise<Record<string, number>> {
    try {
      return JSON.parse(await readFile(path.join(this.dir, INDEX), 'utf8')) as Record<string, number>;
    } catch {
      return {};
    }
  }
}
