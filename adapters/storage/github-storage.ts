import { unixNs } from '../../core/clock.js';
import { parseRun } from '../../core/parse-run.js';
import { type Result, timestampDigits } from '../../core/result.js';
import { stringifyResults } from '../../core/result-json.js';
import { historyFromRuns } from '../../core/run-history.js';
import { compareDigits } from '../../core/run-order.js';
import {
  parseRunFileName,
  type RunRef,
  runFileName,
  type Storage,
  type TimeRange,
} from '../../core/storage.js';
import { isPageDocumentName } from '../../core/summary/page-document-types.js';
import { summaryOptions } from '../../core/summary/summary-options.js';
import { isStateName } from '../../core/summary/summary-state-types.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { syncStoredRun } from '../../core/summary/sync-stored-run.js';
import {
  CorruptSummaryError,
  readWholeSummary,
  rebuildStoredSummary,
  type SummaryBackend,
  type SummaryRead,
  syncSummary,
} from '../../core/summary/sync-summary.js';
import type { Committer, GitHubContents } from './github-contents.js';
import { warnOnce } from './warn-once.js';

/** checkup's suffix when `commit_message_suffix` is left out: keeps CI from running on each run. */
export const DEFAULT_COMMIT_MESSAGE_SUFFIX = '[ci skip]';
const INDEX = 'index.json';
const SUMMARY = 'summary.json';
/** Rounds of read-merge-write on index.json before giving up (each lost only to another writer). */
const INDEX_ROUNDS = 100;

export interface GitHubStorageOptions {
  contents: GitHubContents;
  /** The folder in the repository (checkup's `dir`); '' for its root. */
  dir?: string;
  committer?: Committer | undefined;
  commitMessageSuffix?: string | undefined;
  checkExpiryNs?: number | undefined;
  now?: () => number;
  summaries?: boolean;
  warn?: (message: string) => void;
}

/**
 * checkup's GitHub storage: each run is committed as `<dir>/<unix-ns>-check.json` and listed in
 * `<dir>/index.json` (`{"<file>": <unix-ns>}`), as checkup commits them, through the contents API;
 * the page's summary is `<dir>/summary.json`. Every update names the sha it replaces, so two
 * writers cannot lose each other's changes: the loser gets a 409, reads again and merges.
 */
export class GitHubStorage implements Storage {
  readonly dir: string;
  readonly #contents: GitHubContents;
  readonly #committer: Committer | undefined;
  readonly #suffix: string;
  readonly #checkExpiryNs: number | undefined;
  readonly #now: () => number;
  readonly #summaries: boolean;
  readonly #warn: (message: string) => void;
  readonly #backend: SummaryBackend;

  constructor(options: GitHubStorageOptions) {
    this.#contents = options.contents;
    this.dir = (options.dir ?? '').replace(/^\/+|\/+$/g, '');
    this.#committer = options.committer;
    this.#suffix = options.commitMessageSuffix || DEFAULT_COMMIT_MESSAGE_SUFFIX;
    this.#checkExpiryNs = options.checkExpiryNs;
    this.#now = options.now ?? unixNs;
    this.#summaries = options.summaries ?? true;
    this.#warn = warnOnce(options.warn);
    this.#backend = {
      summaryLocation: this.#location(SUMMARY),
      conditional: true,
      readSummary: async () => {
        const file = await this.#contents.readFile(this.#path(SUMMARY));
        if (!file) return { summary: undefined };
        try {
          return { summary: JSON.parse(file.text) as SummaryRead['summary'], token: file.sha };
        } catch (error) {
          throw new CorruptSummaryError(`${this.#location(SUMMARY)} is not JSON`, {
            cause: error,
            token: file.sha,
          });
        }
      },
      writeSummary: async (summary, token) =>
        (await this.#commit(SUMMARY, JSON.stringify(summary), token)) !== 'conflict',
      writeDocument: (name, body) => this.#commitDocument(name, body),
      // Block states: files of their own, each committed once under a fresh name.
      readState: async (name) => (await this.#contents.readFile(this.#path(stateFile(name))))?.text,
      writeState: (name, body) => this.#commitState(stateFile(name), body),
      deleteState: (name) => this.#deleteFiles([stateFile(name)]),
      listRunsSince: async (since) =>
        (await this.#indexedRuns())
          .filter((run) => compareDigits(run.digits, since) >= 0)
          .map((run) => run.name),
      readRun: (name) => this.#readRun(name),
    };
  }

  async store(results: readonly Result[]): Promise<RunRef> {
    const first = results[0];
    const body = stringifyResults(results);
    // Named by its first result's exact time; a name already taken (same ns) moves one ns on.
    let ns = BigInt(first ? timestampDigits(first) : Math.round(this.#now()));
    for (let round = 0; (await this.#commit(runFileName(ns), body, undefined)) === 'conflict'; round += 1) {
      if (round >= INDEX_ROUNDS)
        throw new Error(`${this.#location(runFileName(ns))}: still refused by GitHub after ${round} tries`);
      // Taken by another run: the next ns. Holding this run (a retried PUT whose first answer was
      // lost): done. Not there: the branch moved under another commit; the same name again.
      const there = await this.#contents.readFile(this.#path(runFileName(ns)));
      if (there?.text === body) break;
      if (there) ns += 1n;
    }
    const name = runFileName(ns);
    const expired = await this.#updateIndex(name);
    await this.#deleteFiles(expired);
    if (this.#summaries)
      await syncStoredRun(this.#backend, { name, results }, summaryOptions(this.#now, this.#warn));
    return { name, timestamp: Number(ns) };
  }

  async list(range: TimeRange = {}): Promise<RunRef[]> {
    return (await this.#indexedRuns())
      .filter(
        (run) => (range.since ?? -Infinity) <= run.timestamp && run.timestamp <= (range.until ?? Infinity),
      )
      .map(({ name, timestamp }) => ({ name, timestamp }));
  }

  async read(name: string): Promise<Result[]> {
    if (!parseRunFileName(name)) throw new Error(`not a run file name: ${name}`);
    const results = await this.#readRun(name);
    if (!results) throw new Error(`no such run: ${this.#location(name)}`);
    return results;
  }

  readSummary(): Promise<StatusSummary | undefined> {
    return readWholeSummary(this.#backend);
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

  rebuildSummary(): Promise<StatusSummary> {
    return rebuildStoredSummary(this.#backend, summaryOptions(this.#now, this.#warn));
  }

  /**
   * Adds `name` to index.json and drops the runs past check_expiry, merging into whatever the
   * index holds now and naming its sha: a writer that lost the race (409) merges again. Returns
   * the expired run names, deleted once the index no longer lists them.
   */
  async #updateIndex(name: string): Promise<string[]> {
    const cutoff =
      this.#checkExpiryNs === undefined || this.#checkExpiryNs <= 0
        ? undefined
        : BigInt(Math.round(this.#now() - this.#checkExpiryNs));
    for (let round = 0; round < INDEX_ROUNDS; round += 1) {
      const file = await this.#contents.readFile(this.#path(INDEX));
      const entries = file ? parseIndex(file.text, this.#location(INDEX)) : new Map<string, string>();
      entries.set(name, parseRunFileName(name)?.digits ?? '0');
      const expired = [...entries].filter(
        ([key]) => cutoff !== undefined && BigInt(parseRunFileName(key)?.digits ?? cutoff) < cutoff,
      );
      for (const [old] of expired) if (old !== name) entries.delete(old);
      const body = `{${[...entries]
        .sort(([a], [b]) =>
          compareDigits(parseRunFileName(a)?.digits ?? '0', parseRunFileName(b)?.digits ?? '0'),
        )
        .map(([key, value]) => `${JSON.stringify(key)}:${value}`)
        .join(',')}}`;
      if ((await this.#commit(INDEX, body, file?.sha)) !== 'conflict')
        return expired.map(([old]) => old).filter((old) => old !== name);
    }
    throw new Error(`${this.#location(INDEX)}: still changed by other writers after ${INDEX_ROUNDS} tries`);
  }

  /**
   * Commits a page document over whatever is there (the last writer wins: every document is drawn
   * from the summary); an unchanged one makes no commit.
   */
  async #commitDocument(name: string, body: string): Promise<void> {
    if (!isPageDocumentName(name)) throw new Error(`not a page document: ${name}`);
    for (let round = 0; round < INDEX_ROUNDS; round += 1) {
      const file = await this.#contents.readFile(this.#path(name));
      if (file?.text === body) return;
      if ((await this.#commit(name, body, file?.sha)) !== 'conflict') return;
    }
    throw new Error(`${this.#location(name)}: still changed by other writers after ${INDEX_ROUNDS} tries`);
  }

  /**
   * Commits a new state document. GitHub answers 409 when the branch moved under another commit:
   * the same create again. The name is fresh, so a file already there is ours (a retried PUT
   * whose first answer was lost).
   */
  async #commitState(name: string, body: string): Promise<void> {
    for (let round = 0; round < INDEX_ROUNDS; round += 1) {
      if ((await this.#commit(name, body, undefined)) !== 'conflict') return;
      if ((await this.#contents.readFile(this.#path(name)))?.text === body) return;
    }
    throw new Error(`${this.#location(name)}: still refused by GitHub after ${INDEX_ROUNDS} tries`);
  }

  /** Deletes files (each at its current sha; one already gone is fine). */
  async #deleteFiles(names: readonly string[]): Promise<void> {
    for (const name of names) {
      for (let round = 0; round < INDEX_ROUNDS; round += 1) {
        const file = await this.#contents.readFile(this.#path(name));
        if (!file) break;
        const done = await this.#contents.deleteFile(
          this.#path(name),
          file.sha,
          this.#message('delete', name),
          this.#committer,
        );
        if (done !== 'conflict') break;
      }
    }
  }

  /** The runs index.json lists, oldest first; keys that are not run file names are ignored. */
  async #indexedRuns() {
    const file = await this.#contents.readFile(this.#path(INDEX));
    if (!file) return [];
    return [...parseIndex(file.text, this.#location(INDEX)).keys()]
      .flatMap((key) => parseRunFileName(key) ?? [])
      .sort((a, b) => compareDigits(a.digits, b.digits));
  }

  async #readRun(name: string): Promise<Result[] | undefined> {
    const file = await this.#contents.readFile(this.#path(name));
    return file ? parseRun(file.text, this.#location(name)) : undefined;
  }

  /** Commits one file (a create when `sha` is undefined), with checkup's commit message. */
  #commit(name: string, text: string, sha: string | undefined): Promise<string | 'conflict'> {
    return this.#contents.writeFile(
      this.#path(name),
      text,
      sha,
      this.#message('store', name),
      this.#committer,
    );
  }

  #message(verb: 'store' | 'delete', name: string): string {
    return `[checkup] ${verb} ${this.#path(name)} ${this.#suffix}`;
  }

  #path(name: string): string {
    return this.dir ? `${this.dir}/${name}` : name;
  }

  #location(name: string): string {
    const { owner, repo, branch } = this.#contents;
    return `github:${owner}/${repo}${branch ? `@${branch}` : ''}/${this.#path(name)}`;
  }
}

/**
 * index.json's entries, file name to the JSON of its value. A run's value is written as its name's
 * digits (JSON.parse would round checkup's 19-digit store times, and a run's time is in its name);
 * a key that is no run file keeps its value and is never expired.
 */
function parseIndex(text: string, where: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not JSON`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${where} is not an object of file names`);
  const entries = new Map<string, string>();
  for (const key of Object.keys(parsed)) {
    const run = parseRunFileName(key);
    entries.set(key, run ? run.digits : JSON.stringify((parsed as Record<string, unknown>)[key]));
  }
  return entries;
}

/** A block state's file name, checked (core/summary/summary-state-types.ts). */
function stateFile(name: string): string {
  if (!isStateName(name)) throw new Error(`not a state document: ${name}`);
  return name;
}
