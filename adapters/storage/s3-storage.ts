import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CACHE_RULES } from '../../core/cache-rules.js';
import { unixNs } from '../../core/clock.js';
import { parseRun, UnreadableRunError } from '../../core/parse-run.js';
import { type Result, timestampDigits } from '../../core/result.js';
import { stringifyResults } from '../../core/result-json.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { historyFromRuns } from '../../core/run-history.js';
import { compareDigits } from '../../core/run-order.js';
import {
  parseRunFileName,
  type RunRef,
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
import { isCutOffJson, readAgainWhileTorn } from './read-again-while-torn.js';
import { warnOnce } from './warn-once.js';

export interface S3StorageOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix of the run objects; expiry deletes nothing outside it. Default `checks/`. */
  prefix?: string;
  /** Key of the summary document. Default `summaries/summary.json`. */
  summaryKey?: string;
  /** Runs older than this (ns) are deleted on every store. */
  checkExpiryNs?: number;
  /** The clock (unix ns), for tests of expiry. */
  now?: () => number;
  /** Keep the summary document up to date on every store (default true). */
  summaries?: boolean;
  /** Where warnings go (an unreadable run skipped, a summary rebuilt); default stderr, each once. */
  warn?: (message: string) => void;
}

/**
 * S3 storage: one immutable object per run, `<prefix><unix-ns>-check.json`, and one summary
 * document. No shared index is read-modified-written; the summary is kept whole by the
 * verify-after-write loop of core/summary/sync-summary.ts, which needs only S3's read-after-write
 * consistency (not conditional writes, which s3rver ignores).
 */
export class S3Storage implements Storage {
  readonly bucket: string;
  readonly prefix: string;
  readonly summaryKey: string;
  readonly #client: S3Client;
  readonly #checkExpiryNs: number | undefined;
  readonly #now: () => number;
  readonly #summaries: boolean;
  readonly #backend: SummaryBackend;
  readonly #warn: (message: string) => void;

  constructor(options: S3StorageOptions) {
    this.#client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? RESULTS_LAYOUT.runPrefix;
    this.summaryKey = options.summaryKey ?? RESULTS_LAYOUT.summaryKey;
    this.#checkExpiryNs = options.checkExpiryNs;
    this.#now = options.now ?? unixNs;
    this.#summaries = options.summaries ?? true;
    this.#warn = warnOnce(options.warn);
    this.#backend = {
      summaryLocation: `s3://${this.bucket}/${this.summaryKey}`,
      conditional: false,
      readSummary: async () => {
        try {
          return { summary: await this.#getJson<SummaryRead['summary']>(this.summaryKey) };
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw new CorruptSummaryError(`s3://${this.bucket}/${this.summaryKey} is not JSON`, {
            cause: error,
          });
        }
      },
      writeSummary: async (summary) => {
        const answer = await this.#client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.summaryKey,
            Body: JSON.stringify(summary),
            ContentType: 'application/json',
            CacheControl: CACHE_RULES.summary,
          }),
        );
        return answer.ETag ?? true;
      },
      // Beside the summary: `summaries/overview.json`, `summaries/history/0.json`, ...
      writeDocument: async (name, body) => {
        await this.#client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.#besideSummary(name),
            Body: body,
            ContentType: 'application/json',
            CacheControl: CACHE_RULES.summary,
          }),
        );
      },
      readDocument: (name) => {
        if (!isPageDocumentName(name)) throw new Error(`not a page document: ${name}`);
        return this.#getText(this.#besideSummary(name));
      },
      // The writers' block states, beside the summary too: `summaries/state/3-<generation>.json`.
      // Written whole, once, before any root points to it: never read while being written.
      readState: (name) => this.#getText(this.#stateKey(name)),
      writeState: async (name, body) => {
        await this.#client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.#stateKey(name),
            Body: body,
            ContentType: 'application/json',
          }),
        );
      },
      deleteState: async (name) => {
        await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.#stateKey(name) }));
      },
      listStates: () => this.#listStates(),
      // A shortcut only: when the HEAD fails for any reason, the writer verifies by reading the
      // document, which reports a lasting problem itself. (s3rver answers 500 to a HEAD that meets
      // a write in progress, which S3's atomic PUTs never cause.)
      peekToken: async () => {
        try {
          const head = await this.#client.send(
            new HeadObjectCommand({ Bucket: this.bucket, Key: this.summaryKey }),
          );
          return head.ETag;
        } catch {
          return undefined;
        }
      },
      listRunsSince: async (since) =>
        (await this.#listRuns(since))
          .filter((run) => compareDigits(run.digits, since) >= 0)
          .map((run) => run.name),
      readRun: (name) => this.#getRun(name),
    };
  }

  async store(results: readonly Result[]): Promise<StoredRun> {
    const first = results[0];
    const digits = first ? timestampDigits(first) : BigInt(Math.round(this.#now())).toString();
    const name = `${digits}-check.json`;
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.prefix + name,
        Body: stringifyResults(results),
        ContentType: 'application/json',
        CacheControl: CACHE_RULES.run,
      }),
    );
    await this.#expire();
    const ref = { name, timestamp: Number(digits) };
    if (!this.#summaries) return ref;
    const summary = await syncStoredRun(
      this.#backend,
      { name, results },
      summaryOptions(this.#now, this.#warn),
    );
    return { ...ref, summary };
  }

  async list(range: TimeRange = {}): Promise<RunRef[]> {
    const since = range.since === undefined ? '0' : BigInt(Math.max(0, Math.ceil(range.since))).toString();
    const until = range.until === undefined ? undefined : BigInt(Math.floor(range.until)).toString();
    const runs = await this.#listRuns(since, until);
    return runs
      .filter(
        (run) =>
          compareDigits(run.digits, since) >= 0 &&
          (until === undefined || compareDigits(run.digits, until) <= 0),
      )
      .map(({ name, timestamp }) => ({ name, timestamp }));
  }

  async read(name: string): Promise<Result[]> {
    if (!parseRunFileName(name)) throw new Error(`not a run file name: ${name}`);
    const results = await this.#getRun(name);
    if (results === undefined) throw new Error(`no such run: s3://${this.bucket}/${this.prefix}${name}`);
    return results;
  }

  readSummary(): Promise<StatusSummary | undefined> {
    return readWholeSummary(this.#backend);
  }

  /** The page documents as stored, when the summary says they are current (storedPageDocuments). */
  pageDocuments(): Promise<((name: string) => Promise<string | undefined>) | undefined> {
    return storedPageDocuments(this.#backend);
  }

  #stateKey(name: string): string {
    if (!isStateName(name)) throw new Error(`not a state document: ${name}`);
    return this.#besideSummary(name);
  }

  /** The key of `name` in the summary's folder. */
  #besideSummary(name: string): string {
    return this.summaryKey.slice(0, this.summaryKey.lastIndexOf('/') + 1) + name;
  }

  /** The summary's ETag, from a HEAD (undefined when it is not there or the HEAD failed). */
  summaryVersion(): Promise<string | undefined> {
    return this.#backend.peekToken?.() ?? Promise.resolve(undefined);
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
   * Run objects from `sinceDigits` on, oldest first (keys sort by time: the digits have the same
   * length until the year 2286), stopping after `untilDigits`. Lists from StartAfter, so the cost
   * follows the runs in range, not the bucket size.
   */
  async #listRuns(sinceDigits: string, untilDigits?: string) {
    const runs: NonNullable<ReturnType<typeof parseRunFileName>>[] = [];
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix,
          ...(token
            ? { ContinuationToken: token }
            : { StartAfter: this.prefix + previousDigits(sinceDigits) }),
        }),
      );
      for (const object of page.Contents ?? []) {
        const run = parseRunFileName((object.Key ?? '').slice(this.prefix.length));
        if (!run) continue;
        if (untilDigits !== undefined && compareDigits(run.digits, untilDigits) > 0) return runs;
        runs.push(run);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return runs;
  }

  /**
   * Every object under the state documents' prefix (`summaries/state/`), named as the backend's
   * state operations take it, with its LastModified: one LIST per 1,000 objects.
   */
  async #listStates(): Promise<ListedState[]> {
    const folder = this.#besideSummary('');
    const listed: ListedState[] = [];
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: `${folder}state/`,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? [])
        if (object.Key && object.LastModified)
          listed.push({ name: object.Key.slice(folder.length), modified: object.LastModified.getTime() });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return listed;
  }

  /** Deletes runs older than check_expiry, only under the prefix, 1,000 keys per request. */
  async #expire(): Promise<void> {
    if (!this.#checkExpiryNs) return;
    const cutoff = BigInt(Math.round(this.#now() - this.#checkExpiryNs)) - 1n;
    if (cutoff < 0n) return;
    const expired = await this.#listRuns('0', cutoff.toString());
    for (let start = 0; start < expired.length; start += 1000) {
      await this.#client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: {
            Objects: expired.slice(start, start + 1000).map((run) => ({ Key: this.prefix + run.name })),
            Quiet: true,
          },
        }),
      );
    }
  }

  /**
   * Reads a JSON object. S3 never shows a half-written object, but s3rver and some S3-compatible
   * stores write in place, so a read racing a write can see a cut-off body: read it again.
   */
  async #getJson<T>(key: string): Promise<T | undefined> {
    return readAgainWhileTorn(async () => {
      const body = await this.#getText(key);
      return body === undefined ? undefined : (JSON.parse(body) as T);
    }, isCutOffJson);
  }

  /** A run's results (undefined when it is not there), read again while it looks torn. */
  async #getRun(name: string): Promise<Result[] | undefined> {
    const key = this.prefix + name;
    return readAgainWhileTorn(
      async () => {
        const body = await this.#getText(key);
        return body === undefined ? undefined : parseRun(body, `s3://${this.bucket}/${key}`);
      },
      (error) => error instanceof UnreadableRunError,
    );
  }

  async #getText(key: string): Promise<string | undefined> {
    try {
      const object = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await object.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}

/** The key just before the run named by `digits`, for StartAfter (which is exclusive). */
function previousDigits(digits: string): string {
  return digits === '0' ? '' : (BigInt(digits) - 1n).toString();
}
