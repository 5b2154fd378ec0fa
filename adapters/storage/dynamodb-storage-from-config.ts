import type { DynamodbStorageConfig } from '../../core/config/storage-schemas.js';
import { awsSdk } from '../aws/aws-sdk.js';
import { DynamodbStorage } from './dynamodb-storage.js';

/**
 * DynamoDB storage as checkup.json describes it, with the SDK's default credential chain and its
 * standard retry strategy (throttling and 5xx are retried with backoff).
 */
export async function createDynamodbStorage(config: DynamodbStorageConfig): Promise<DynamodbStorage> {
  const { DynamoDBClient } = await awsSdk.dynamodb();
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
