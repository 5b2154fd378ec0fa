import { gunzipSync, gzipSync } from 'node:zlib';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AlertState } from '../../core/alerts/alert-state.js';
import { emptyAlertState } from '../../core/alerts/alert-state.js';
import {
  AlertStateConflictError,
  type AlertStateStore,
  type VersionedAlertState,
} from '../../core/alerts/alert-state-store.js';
import { parseAlertState } from '../../core/alerts/parse-alert-state.js';
import { dynamodbSdk, isConditionFailure } from '../storage/dynamodb-sdk.js';

export interface DynamoDbAlertStateStoreOptions {
  /** Built once by the caller (module scope in a Lambda) and reused. */
  client: DynamoDBClient;
  table: string;
  /** The item's full primary key in the table's own attribute names, e.g. `{pk: {S: 'alert-state'}}`. */
  key: Record<string, AttributeValue>;
}

/**
 * The alert state as one DynamoDB item: `state` (gzipped JSON, so hundreds of endpoints fit in
 * an item's 400 KB) and a numeric `state_version`. A save is a PutItem conditional on the version
 * read (or on the item not existing), so concurrent notify functions never lose an update. The
 * SDK's commands are imported on first use (dynamodb-sdk.ts): a function bundling this store for
 * a table deployment does not load them when it stores in S3.
 */
export class DynamoDbAlertStateStore implements AlertStateStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #key: Record<string, AttributeValue>;

  constructor(options: DynamoDbAlertStateStoreOptions) {
    this.#client = options.client;
    this.#table = options.table;
    this.#key = options.key;
  }

  async load(): Promise<VersionedAlertState> {
    const { GetItemCommand } = await dynamodbSdk();
    const answer = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: this.#key, ConsistentRead: true }),
    );
    const item = answer.Item;
    const version = item?.state_version?.N;
    const body = item?.state?.B;
    if (!item || version === undefined || body === undefined)
      return { state: emptyAlertState(), version: undefined };
    return {
      state: parseAlertState(gunzipSync(body).toString('utf8'), `the alert state item in ${this.#table}`),
      version,
    };
  }

  async save(state: AlertState, expectedVersion: string | undefined): Promise<string> {
    const version = String(Number(expectedVersion ?? 0) + 1);
    const { PutItemCommand } = await dynamodbSdk();
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#table,
          Item: {
            ...this.#key,
            state: { B: gzipSync(JSON.stringify(state)) },
            state_version: { N: version },
          },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(state_version)' }
            : {
                ConditionExpression: 'state_version = :expected',
                ExpressionAttributeValues: { ':expected': { N: expectedVersion } },
              }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new AlertStateConflictError(`alert state changed since version ${expectedVersion ?? 'none'}`, {
          cause: error,
        });
      }
      throw error;
    }
    return version;
  }
}
