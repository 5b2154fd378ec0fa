import { unixNs } from '../../core/clock.js';
import { parseRun, UnreadableRunError } from '../../core/parse-run.js';
import { type Result, timestampDigits } from '../../core/result.js';
import { stringifyResults } from '../../core/result-json.js';
import { compareDigits } from '../../core/run-order.js';
import {
  parseRunFileName,
  type RunRef,
  runFileName,
  type Storage,
  type TimeRange,
} from '../../core/storage.js';
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
  storedPageDocuments,
  syncSummary,
} from '../../core/summary/sync-summary.js';
import { runDdl } from '../sql/sql-catalog.js';
import {
  digitsOf,
  isDuplicateKey,
  isMissingTable,
  type SqlClient,
  type SqlValue,
  textOf,
} from '../sql/sql-client.js';
import { SqlDocuments } from '../sql/sql-documents.js';
import { CHECKS_TABLE, checksTableStatements, documentsTableStatements } from '../sql/sql-schema.js';
import { warnOnce } from './warn-once.js';

/** The summary's name in the documents table: the path the page reads it at. */
export const SQL_SUMMARY_DOCUMENT = 'summary.json';

export interface SqlStorageOptions {
  client: SqlClient;
  /** Create checkup's table `checks` (and our documents table) on first use, as checkup's `create` key. */
  create?: boolean;
  /** Runs older than this (ns) are deleted on every store. */
  checkExpiryNs?: number;
  /** The clock (unix ns). */
  now?: () => number;
  /** Keep the summary document up to date on every store (default true). */
  summaries?: boolean;
  /** Where warnings go (an unreadable run skipped, a summary rebuilt); default stderr, each once. */
  warn?: (message: string) => void;
}

/**
 * Runs in checkup's own SQL table, `checks(name, timestamp, results)`: one row per run, named
 * `<unix-ns>-check.json`, `timestamp` its unix-ns time, `results` the JSON array checkup writes.
 * checkup's own queries (`SELECT name,timestamp FROM checks`, `SELECT results FROM checks WHERE
 * name=?`) read what is stored here, and rows checkup wrote read back digit for digit.
 *
 * A run is one INSERT: the primary key on `name` and the unique index on `timestamp` refuse a
 * second run in the same nanosecond, which then moves one ns on, so concurrent writers never
 * overwrite each other. Listing and history are ranges on the `timestamp` index. The summary
 * lives in the documents table, updated by compare-and-swap on its version.
 */
export class SqlStorage implements Storage {
  readonly #client: SqlClient;
  readonly #create: boolean;
  readonly #checkExpiryNs: number | undefined;
  readonly #now: () => number;
  readonly #summaries: boolean;
  readonly #documents: SqlDocuments;
  readonly #backend: SummaryBackend;
  readonly #warn: (message: string) => void;
  #ready: Promise<void> | undefined;

  constructor(options: SqlStorageOptions) {
    this.#client = options.client;
    this.#create = options.create ?? false;
    this.#checkExpiryNs = options.checkExpiryNs;
    this.#now = options.now ?? unixNs;
    this.#summaries = options.summaries ?? true;
    this.#warn = warnOnce(options.warn);
    this.#documents = new SqlDocuments(this.#client);
    this.#backend = {
      summaryLocation: this.#documents.where(SQL_SUMMARY_DOCUMENT),
      conditional: true,
      readSummary: () => this.#readSummaryDocument(),
      writeSummary: async (summary, token) =>
        (await this.#documents.write(SQL_SUMMARY_DOCUMENT, JSON.stringify(summary), token)) !== undefined,
      writeDocument: (name, body) => this.#documents.put(name, body),
      readDocument: async (name) => (await this.#documents.read(name))?.body,
      // Block states are documents of their own, `state/<block>-<generation>.json`, each written once.
      readState: async (name) => (await this.#documents.read(stateDocument(name)))?.body,
      writeState: (name, body) => this.#documents.put(stateDocument(name), body),
      deleteState: (name) => this.#documents.delete(stateDocument(name)),
      listRunsSince: async (since) =>
        (await this.#runsBetween({ from: BigInt(since) }))
          .filter((run) => compareDigits(run.digits, since) >= 0)
          .map((run) => run.name),
      readRun: (name) => this.#readRun(name),
    };
  }

  async store(results: readonly Result[]): Promise<RunRef> {
    await this.#prepare();
    const body = stringifyResults(results);
    const first = results[0];
    let digits = BigInt(first ? timestampDigits(first) : Math.round(this.#now()));
    for (; ; digits += 1n) {
      try {
        await this.#onChecks(() =>
          this.#client.run('INSERT INTO checks (name, timestamp, results) VALUES (?, ?, ?)', [
            runFileName(digits),
            digits,
            body,
          ]),
        );
        break;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    const ref = { name: runFileName(digits), timestamp: Number(digits) };
    await this.#expire();
    if (this.#summaries)
      await syncStoredRun(this.#backend, { name: ref.name, results }, summaryOptions(this.#now, this.#warn));
    return ref;
  }

  /** The runs whose `timestamp` is in the range, oldest first: one range scan of the index. */
  async list(range: TimeRange = {}): Promise<RunRef[]> {
    await this.#prepare();
    return (await this.#runsBetween(bounds(range))).map(({ name, timestamp }) => ({ name, timestamp }));
  }

  async read(name: string): Promise<Result[]> {
    await this.#prepare();
    const results = await this.#readRun(name);
    if (!results) throw new Error(`no such run: ${name} in ${this.#client.location}`);
    return results;
  }

  async readSummary(): Promise<StatusSummary | undefined> {
    return readWholeSummary(this.#backend);
  }

  /** The page documents as stored, when the summary says they are current (storedPageDocuments). */
  pageDocuments(): Promise<((name: string) => Promise<string | undefined>) | undefined> {
    return storedPageDocuments(this.#backend);
  }

  async summaryVersion(): Promise<string | undefined> {
    return (await this.#documents.version(SQL_SUMMARY_DOCUMENT)) ?? 'none';
  }

  /**
   * The endpoint's results in the range, oldest first: the runs in the range come in one query on
   * the `timestamp` index; an unreadable run is skipped and reported.
   */
  async history(title: string, range: TimeRange = {}): Promise<Result[]> {
    await this.#prepare();
    const where = timeWhere(bounds(range));
    const rows = await this.#checks(
      `SELECT name, results FROM checks${where.sql} ORDER BY timestamp`,
      where.params,
    );
    const found: Result[] = [];
    for (const row of rows) {
      try {
        const results = parseRun(textOf(row.results) ?? '', this.#runLocation(String(row.name)));
        found.push(...results.filter((result) => result.title === title));
      } catch (error) {
        if (!(error instanceof UnreadableRunError)) throw error;
        this.#warn(error.message);
      }
    }
    return found
      .filter(
        (result) =>
          (range.since ?? -Infinity) <= result.timestamp && result.timestamp <= (range.until ?? Infinity),
      )
      .sort((a, b) => a.timestamp - b.timestamp);
  }

  async updateSummary(options: { onlyRunsAtStart?: boolean } = {}): Promise<StatusSummary> {
    await this.#prepare();
    return syncSummary(this.#backend, {
      ...summaryOptions(this.#now, this.#warn),
      onlyRunsAtStart: options.onlyRunsAtStart,
    });
  }

  async rebuildSummary(): Promise<StatusSummary> {
    await this.#prepare();
    return rebuildStoredSummary(this.#backend, summaryOptions(this.#now, this.#warn));
  }

  /**
   * With `create`, makes checkup's table and ours once, before the first statement, as checkup
   * did on every connection.
   */
  #prepare(): Promise<void> {
    if (!this.#create) return Promise.resolve();
    this.#ready ??= runDdl(this.#client, [
      ...checksTableStatements(this.#client.dialect),
      ...documentsTableStatements(this.#client.dialect),
    ]).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #runsBetween(range: { from?: bigint; to?: bigint }) {
    const where = timeWhere(range);
    const rows = await this.#checks(
      `SELECT name, timestamp FROM checks${where.sql} ORDER BY timestamp`,
      where.params,
    );
    // A row whose name is not checkup's `<unix-ns>-check.json` is no run of ours or checkup's.
    return rows.flatMap((row) => {
      const run = parseRunFileName(String(row.name));
      return run ? [{ name: run.name, digits: run.digits, timestamp: Number(digitsOf(row.timestamp)) }] : [];
    });
  }

  async #readRun(name: string): Promise<Result[] | undefined> {
    if (!parseRunFileName(name)) throw new Error(`not a run file name: ${name}`);
    const rows = await this.#checks('SELECT results FROM checks WHERE name = ?', [name]);
    const row = rows[0];
    if (!row) return undefined;
    return parseRun(textOf(row.results) ?? '', this.#runLocation(name));
  }

  #runLocation(name: string): string {
    return `run ${name} in ${CHECKS_TABLE} (${this.#client.location})`;
  }

  async #readSummaryDocument(): Promise<SummaryRead> {
    const stored = await this.#documents.read(SQL_SUMMARY_DOCUMENT);
    if (!stored) return { summary: undefined };
    try {
      return { summary: JSON.parse(stored.body) as SummaryRead['summary'], token: stored.version };
    } catch (error) {
      throw new CorruptSummaryError(`${this.#documents.where(SQL_SUMMARY_DOCUMENT)} is not JSON`, {
        cause: error,
        token: stored.version,
      });
    }
  }

  async #expire(): Promise<void> {
    if (!this.#checkExpiryNs) return;
    const cutoff = BigInt(Math.round(this.#now() - this.#checkExpiryNs));
    await this.#onChecks(() => this.#client.run('DELETE FROM checks WHERE timestamp < ?', [cutoff]));
  }

  /** A query on `checks`. */
  #checks(sql: string, params: readonly SqlValue[]) {
    return this.#onChecks(() => this.#client.query(sql, params));
  }

  /** A statement on `checks`; the table's absence is said with what to do about it. */
  async #onChecks<T>(statement: () => Promise<T>): Promise<T> {
    try {
      return await statement();
    } catch (error) {
      if (!isMissingTable(error)) throw error;
      throw new Error(
        `${this.#client.location}: there is no table ${CHECKS_TABLE}: set "create": true in storage, or run "checkup provision"`,
        { cause: error },
      );
    }
  }
}

/** The WHERE clause of a range on `timestamp` (empty when open at both ends), and its values. */
function timeWhere(range: { from?: bigint; to?: bigint }): { sql: string; params: bigint[] } {
  const clauses: string[] = [];
  const params: bigint[] = [];
  if (range.from !== undefined) {
    clauses.push('timestamp >= ?');
    params.push(range.from);
  }
  if (range.to !== undefined) {
    clauses.push('timestamp <= ?');
    params.push(range.to);
  }
  return { sql: clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : '', params };
}

/** A time range as integer bounds on `timestamp`: at or after `since`, at or before `until`. */
function bounds(range: TimeRange): { from?: bigint; to?: bigint } {
  return {
    ...(range.since !== undefined ? { from: BigInt(Math.max(0, Math.ceil(range.since))) } : {}),
    ...(range.until !== undefined ? { to: BigInt(Math.floor(range.until)) } : {}),
  };
}

/** A block state's document name, checked (core/summary/summary-state-types.ts). */
function stateDocument(name: string): string {
  if (!isStateName(name)) throw new Error(`not a state document: ${name}`);
  return name;
}
