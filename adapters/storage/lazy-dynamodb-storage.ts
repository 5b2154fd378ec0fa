import { dynamodbSdk } from './dynamodb-sdk.js';
import type { DynamodbStorage } from './dynamodb-storage.js';

export interface LazyDynamodbStorageOptions {
  table: string;
  region?: string;
  endpoint?: string;
  /** TTL: each item gets `expires` this long (ns) after its run. */
  checkExpiryNs?: number;
  /** Where the page documents go (DynamodbStorageOptions.writeDocument). */
  writeDocument?: (name: string, body: string) => Promise<void>;
  /** Keep the summary item up to date on every store (DynamodbStorageOptions.summaries; default true). */
  summaries?: boolean;
}

/**
 * DynamoDB storage whose SDK is imported only now (see dynamodb-sdk.ts): a Lambda storing in S3
 * never loads the DynamoDB client (~25 ms of a cold start).
 */
export async function lazyDynamodbStorage(options: LazyDynamodbStorageOptions): Promise<DynamodbStorage> {
  const [{ DynamoDBClient }, { DynamodbStorage }] = await Promise.all([
    dynamodbSdk(),
    import('./dynamodb-storage.js'),
  ]);
  const client = new DynamoDBClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  return new DynamodbStorage({
    client,
    table: options.table,
    ...(options.checkExpiryNs ? { checkExpiryNs: options.checkExpiryNs } : {}),
    ...(options.writeDocument ? { writeDocument: options.writeDocument } : {}),
    ...(options.summaries !== undefined ? { summaries: options.summaries } : {}),
  });
}
