import { gunzipSync, gzipSync } from 'node:zlib';
import type {
  AttributeValue,
  CreateTableCommandInput,
  DynamoDBClient,
  QueryCommandInput,
  WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { unixNs } from '../../core/clock.js';
import { mapLimit } from '../../core/map-limit.js';
import { parseRun } from '../../core/parse-run.js';
import { type Result, timestampDigits } from '../../core/result.js';
import { parseResult, stringifyResults } from '../../core/result-json.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { compareDigits } from '../../core/run-order.js';
import {
  parseRunFileName,
  type RunRef,
  type Storage,
  type StoredRun,
  type TimeRange,
} from '../../core/storage.js';
import { summaryOptions } from '../../core/summary/summary-options.js';
import { isStateName, type SummaryRoot } from '../../core/summary/summary-state-types.js';
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
import { dynamodbSdk, isConditionFailure } from './dynamodb-sdk.js';
import { warnOnce } from './warn-once.js';

/**
 * The table's key schema and TTL attribute, for whoever creates the table (CDK, tests):
 * partition key `pk` and sort key `sk`, both strings; TTL on `expires` (epoch seconds).
 */
export const DYNAMODB_TABLE = RESULTS_LAYOUT.table;

/** The table checkup needs, as a CreateTable request: string keys `pk` and `sk`, on-demand billing. */
export function resultsTableDefinition(TableName: string): CreateTableCommandInput {
  return {
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: DYNAMODB_TABLE.partitionKey, AttributeType: 'S' },
      { AttributeName: DYNAMODB_TABLE.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: DYNAMODB_TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: DYNAMODB_TABLE.sortKey, KeyType: 'RANGE' },
    ],
  };
}

/** Partition of the run items (sort key: the run's unix-ns digits). */
const RUNS = DYNAMODB_TABLE.runPartition;
/** Partition of each endpoint's results (sort key: result unix-ns digits `#` run digits). */
const ENDPOINT = DYNAMODB_TABLE.endpointPartitionPrefix;
/** Partition holding the newest result of every endpoint (sort key: the title). */
const LATEST = DYNAMODB_TABLE.latestPartition;
/** The summary document: gzipped JSON with a version number for conditional writes. */
const SUMMARY_KEY = { pk: { S: 'SUMMARY' }, sk: { S: 'summary' } };

/** A block state's item (core/summary/summary-state-types.ts). */
/** The item of a state document's chunk `chunk` (0: the first, which says how many there are). */
function stateKey(name: string, chunk = 0) {
  if (!isStateName(name)) throw new Error(`not a state document: ${name}`);
  return { pk: { S: 'STATE' }, sk: { S: chunk === 0 ? name : `${name}#${chunk}` } };
}

/**
 * Gzipped state bytes per item: under DynamoDB's 400 KB item limit with room for the keys. A
 * segment of 500 endpoints holding 7 days gzips to ~0.9 MB (90 days: ~1.5 MB), so a state is
 * split over items; copy-on-write names make that safe: no root points to it before it is whole.
 */
export const STATE_CHUNK_BYTES = 350 * 1024;

export interface DynamodbStorageOptions {
  client: DynamoDBClient;
  table: string;
  /** TTL: each run and result item gets `expires` this long (ns) after its time. */
  checkExpiryNs?: number;
  /** The clock (unix ns). */
  now?: () => number;
  /** Keep the summary item up to date on every store (default true). */
  summaries?: boolean;
  /** Where warnings go (an unreadable run skipped, a summary rebuilt); default stderr, each once. */
  warn?: (message: string) => void;
  /**
   * Where the page documents go (the check function: the results bucket, which CloudFront
   * serves). Default: not kept, since an overview can outgrow an item's 400 KB; `checkup serve`
   * draws them from the summary item.
   */
  writeDocument?: (name: string, body: string) => Promise<void>;
  /** Gzipped state bytes per item (default STATE_CHUNK_BYTES); tests make it small. */
  stateChunkBytes?: number;
}

/**
 * DynamoDB storage, one table, single-table design:
 *
 * | pk           | sk                                | holds                                        |
 * | ------------ | --------------------------------- | -------------------------------------------- |
 * | `RUN`        | `<run unix-ns>`                   | the run (results JSON)                       |
 * | `EP#<title>` | `<result unix-ns>#<run ns>`       | one result of that endpoint                  |
 * | `LATEST`     | `<title>`                         | that endpoint's newest result                |
 * | `SUMMARY`    | `summary`                         | the summary root (gzipped JSON) + `version`  |
 * | `STATE`      | `state/<segment>-<gen>.json`      | a segment's writer state (gzipped), `chunks` |
 * | `STATE`      | `state/<segment>-<gen>.json#<n>`  | its further chunks of 350 KB, when it has    |
 *
 * "History of X between t1 and t2" is one Query on `EP#X` with `sk BETWEEN`; "latest result of
 * every endpoint" is one Query on `LATEST`; listing runs in a range is one Query on `RUN`. No Scan.
 * The summary is updated with conditional writes on its version (compare-and-swap).
 */
export class DynamodbStorage implements Storage {
  readonly table: string;
  readonly #client: DynamoDBClient;
  readonly #checkExpiryNs: number | undefined;
  readonly #now: () => number;
  readonly #summaries: boolean;
  readonly #backend: SummaryBackend;
  readonly #warn: (message: string) => void;
  readonly #stateChunkBytes: number;

  constructor(options: DynamodbStorageOptions) {
    this.#client = options.client;
    this.table = options.table;
    this.#checkExpiryNs = options.checkExpiryNs;
    this.#now = options.now ?? unixNs;
    this.#summaries = options.summaries ?? true;
    this.#warn = warnOnce(options.warn);
    this.#stateChunkBytes = options.stateChunkBytes ?? STATE_CHUNK_BYTES;
    this.#backend = {
      summaryLocation: `the summary item in ${this.table}`,
      conditional: true,
      readSummary: () => this.#readSummaryItem(),
      writeSummary: (summary, token) => this.#writeSummaryItem(summary, token),
      writeDocument: options.writeDocument ?? (async () => {}),
      // Segment states: gzipped like the summary, in as many items as they need (stateChunks).
      readState: (name) => this.#readState(name),
      writeState: (name, body) => this.#writeState(name, body),
      deleteState: (name) => this.#deleteState(name),
      listRunsSince: async (since) =>
        (await this.#query({ pk: RUNS, from: since })).flatMap((item) => {
          const name = item.name?.S;
          return name && compareDigits(item.sk?.S ?? '0', since) >= 0 && !this.#expired(item) ? [name] : [];
        }),
      readRun: async (name) => {
        const item = await this.#getRunItem(name);
        return item?.results?.S ? parseRun(item.results.S, `run ${name} in table ${this.table}`) : undefined;
      },
    };
  }

  async store(results: readonly Result[]): Promise<StoredRun> {
    const ref = await this.#putRun(results);
    const runDigits = ref.name.slice(0, ref.name.indexOf('-'));
    const writes: WriteRequest[] = results.map((result) => ({
      PutRequest: {
        Item: {
          pk: { S: ENDPOINT + result.title },
          sk: { S: `${timestampDigits(result)}#${runDigits}` },
          run: { S: ref.name },
          result: { S: stringifyResults(result) },
          ...this.#expiry(result.timestamp),
        },
      },
    }));
    await this.#batchWrite(writes);
    await mapLimit(results, 8, (result) => this.#putLatest(result, ref.name));
    if (!this.#summaries) return ref;
    // What the writer worked on: the caller (badges, the mirrored head) need not read it all back.
    const summary = await syncStoredRun(
      this.#backend,
      { name: ref.name, results },
      summaryOptions(this.#now, this.#warn),
    );
    return { ...ref, summary };
  }

  async list(range: TimeRange = {}): Promise<RunRef[]> {
    const items = await this.#query({ pk: RUNS, ...bounds(range) });
    return items.flatMap((item) => {
      const run = parseRunFileName(item.name?.S ?? '');
      return run && !this.#expired(item) ? [{ name: run.name, timestamp: run.timestamp }] : [];
    });
  }

  async read(name: string): Promise<Result[]> {
    const results = await this.#backend.readRun(name);
    if (!results) throw new Error(`no such run: ${name} in table ${this.table}`);
    return results;
  }

  readSummary(): Promise<StatusSummary | undefined> {
    return readWholeSummary(this.#backend);
  }

  /** One Query on the endpoint's partition, between the range's ends. */
  async history(title: string, range: TimeRange = {}): Promise<Result[]> {
    const items = await this.#query({ pk: ENDPOINT + title, ...bounds(range) });
    return items.flatMap((item) =>
      item.result?.S && !this.#expired(item) ? [parseResult(item.result.S)] : [],
    );
  }

  /** The newest result of every endpoint: one Query on the LATEST partition. */
  async latest(): Promise<Result[]> {
    const items = await this.#query({ pk: LATEST });
    return items.flatMap((item) => (item.result?.S ? [parseResult(item.result.S)] : []));
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

  /** Puts the run item under a fresh sort key; a key already taken (same ns) moves one ns on. */
  async #putRun(results: readonly Result[]): Promise<RunRef> {
    const body = stringifyResults(results);
    const { PutItemCommand } = await dynamodbSdk();
    const first = results[0];
    const timestamp = first ? first.timestamp : Math.round(this.#now());
    for (let digits = BigInt(first ? timestampDigits(first) : timestamp); ; digits += 1n) {
      const name = `${digits}-check.json`;
      try {
        await this.#client.send(
          new PutItemCommand({
            TableName: this.table,
            Item: {
              pk: { S: RUNS },
              sk: { S: digits.toString() },
              name: { S: name },
              results: { S: body },
              ...this.#expiry(timestamp),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { name, timestamp: Number(digits) };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
  }

  /** Replaces the endpoint's LATEST item unless a newer result is there already (another region). */
  async #putLatest(result: Result, run: string): Promise<void> {
    const at = timestampDigits(result);
    const { PutItemCommand } = await dynamodbSdk();
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: { S: LATEST },
            sk: { S: result.title },
            at: { S: at },
            run: { S: run },
            result: { S: stringifyResults(result) },
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #at <= :at',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': { S: at } },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  async #getRunItem(name: string): Promise<Record<string, AttributeValue> | undefined> {
    const run = parseRunFileName(name);
    if (!run) throw new Error(`not a run file name: ${name}`);
    const { GetItemCommand } = await dynamodbSdk();
    const answer = await this.#client.send(
      new GetItemCommand({
        TableName: this.table,
        Key: { pk: { S: RUNS }, sk: { S: run.digits } },
        ConsistentRead: true,
      }),
    );
    return answer.Item && !this.#expired(answer.Item) ? answer.Item : undefined;
  }

  async #readState(name: string): Promise<string | undefined> {
    const { GetItemCommand } = await dynamodbSdk();
    const get = async (chunk: number) =>
      (
        await this.#client.send(
          new GetItemCommand({ TableName: this.table, Key: stateKey(name, chunk), ConsistentRead: true }),
        )
      ).Item;
    const first = await get(0);
    if (!first?.doc?.B) return undefined;
    const count = Number(first.chunks?.N ?? 1);
    const rest = await Promise.all(Array.from({ length: count - 1 }, (_, index) => get(index + 1)));
    const parts = [first, ...rest].map((item) => item?.doc?.B);
    // A chunk missing (deleted under us): as a missing state, which the writer rebuilds.
    if (parts.some((part) => part === undefined)) return undefined;
    return gunzipSync(Buffer.concat(parts as Uint8Array[])).toString('utf8');
  }

  async #writeState(name: string, body: string): Promise<void> {
    const { PutItemCommand } = await dynamodbSdk();
    const zipped = gzipSync(body);
    const chunks: Buffer[] = [];
    const size = this.#stateChunkBytes;
    for (let at = 0; at === 0 || at < zipped.length; at += size) chunks.push(zipped.subarray(at, at + size));
    const put = (chunk: number, extra: Record<string, { N: string }> = {}) =>
      this.#client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...stateKey(name, chunk), doc: { B: chunks[chunk] as Buffer }, ...extra },
        }),
      );
    // The first item, which says how many there are, goes last: a reader never sees it half written.
    await Promise.all(chunks.slice(1).map((_, index) => put(index + 1)));
    await put(0, chunks.length > 1 ? { chunks: { N: String(chunks.length) } } : {});
  }

  async #deleteState(name: string): Promise<void> {
    const { DeleteItemCommand, GetItemCommand } = await dynamodbSdk();
    const first = await this.#client.send(
      new GetItemCommand({ TableName: this.table, Key: stateKey(name), ProjectionExpression: 'chunks' }),
    );
    const count = Number(first.Item?.chunks?.N ?? 1);
    await Promise.all(
      Array.from({ length: count }, (_, chunk) =>
        this.#client.send(new DeleteItemCommand({ TableName: this.table, Key: stateKey(name, chunk) })),
      ),
    );
  }

  async #readSummaryItem() {
    const { GetItemCommand } = await dynamodbSdk();
    const answer = await this.#client.send(
      new GetItemCommand({ TableName: this.table, Key: SUMMARY_KEY, ConsistentRead: true }),
    );
    const item = answer.Item;
    if (!item) return { summary: undefined };
    const token = item.version?.N;
    try {
      const doc = item.doc?.B;
      if (!doc) throw new SyntaxError('no doc attribute');
      return { summary: JSON.parse(gunzipSync(doc).toString('utf8')) as SummaryRead['summary'], token };
    } catch (error) {
      throw new CorruptSummaryError(`the summary item in ${this.table} is not gzipped JSON`, {
        cause: error,
        ...(token ? { token } : {}),
      });
    }
  }

  /** Compare-and-swap on `version`: false when another writer changed the item since `token`. */
  async #writeSummaryItem(summary: SummaryRoot, token: string | undefined): Promise<boolean> {
    const version = token === undefined ? 1 : Number(token) + 1;
    const { PutItemCommand } = await dynamodbSdk();
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.table,
          // Gzipped: the 50-endpoint, 90-day document is about 1 MB as JSON, over the 400 KB item limit.
          Item: {
            ...SUMMARY_KEY,
            doc: { B: gzipSync(JSON.stringify(summary)) },
            version: { N: String(version) },
          },
          ...(token === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :token',
                ExpressionAttributeValues: { ':token': { N: token } },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Writes items 25 at a time, resending what DynamoDB leaves unprocessed (throttling). */
  async #batchWrite(writes: WriteRequest[]): Promise<void> {
    const { BatchWriteItemCommand } = await dynamodbSdk();
    for (let start = 0; start < writes.length; start += 25) {
      let pending = writes.slice(start, start + 25);
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * 2 ** attempt)));
        if (attempt > 8)
          throw new Error(`DynamoDB left ${pending.length} writes unprocessed after ${attempt} tries`);
        const answer = await this.#client.send(
          new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } }),
        );
        pending = answer.UnprocessedItems?.[this.table] ?? [];
      }
    }
  }

  async #query(options: {
    pk: string;
    from?: string;
    to?: string;
  }): Promise<Record<string, AttributeValue>[]> {
    const values: Record<string, AttributeValue> = { ':pk': { S: options.pk } };
    const { QueryCommand } = await dynamodbSdk();
    let condition = 'pk = :pk';
    if (options.from !== undefined && options.to !== undefined) {
      condition += ' AND sk BETWEEN :from AND :to';
      values[':from'] = { S: options.from };
      values[':to'] = { S: options.to };
    } else if (options.from !== undefined) {
      condition += ' AND sk >= :from';
      values[':from'] = { S: options.from };
    } else if (options.to !== undefined) {
      condition += ' AND sk <= :to';
      values[':to'] = { S: options.to };
    }
    const items: Record<string, AttributeValue>[] = [];
    let start: QueryCommandInput['ExclusiveStartKey'];
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: condition,
          ExpressionAttributeValues: values,
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  #expiry(timestampNs: number): Record<string, AttributeValue> {
    if (!this.#checkExpiryNs) return {};
    return { expires: { N: String(Math.floor((timestampNs + this.#checkExpiryNs) / 1e9)) } };
  }

  /** TTL deletes items up to days late, so expired items are skipped when read. */
  #expired(item: Record<string, AttributeValue>): boolean {
    const expires = item.expires?.N;
    return expires !== undefined && Number(expires) * 1e9 <= this.#now();
  }
}

/** A unix-ns time as the 19 digits that sort keys use. */
function digitsOf(timestampNs: number): string {
  return BigInt(Math.round(timestampNs)).toString();
}

/** Sort-key bounds for a range: `sk` starts with the unix-ns digits (all 19 digits long). */
function bounds(range: TimeRange): { from?: string; to?: string } {
  return {
    ...(range.since !== undefined ? { from: digitsOf(Math.max(0, Math.ceil(range.since))) } : {}),
    ...(range.until !== undefined ? { to: `${digitsOf(Math.floor(range.until))}~` } : {}),
  };
}
