import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamodbStorageConfig } from '../../core/config/storage-schemas.js';
import { DynamodbStorage } from './dynamodb-storage.js';

/**
 * DynamoDB storage as checkup.json describes it, with the SDK's default credential chain and its
 * standard retry strategy (throttling and 5xx are retried with backoff).
 */
export function createDynamodbStorage(config: DynamodbStorageConfig): DynamodbStorage {
  const client = new DynamoDBClient({
    ...(config.region ? { region: config.region } : {}),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  });
  return new DynamodbStorage({
    client,
    table: config.table,
    ...(config.check_expiry !== undefined ? { checkExpiryNs: config.check_expiry } : {}),
  });
}
