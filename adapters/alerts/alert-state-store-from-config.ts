import type { AlertStateStore } from '../../core/alerts/alert-state-store.js';
import type { DynamodbStorageConfig, S3StorageConfig } from '../../core/config/storage-schemas.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { awsSdk } from '../aws/aws-sdk.js';
import { s3ClientConfig } from '../storage/s3-client-config.js';
import { DynamoDbAlertStateStore } from './dynamodb-alert-state-store.js';
import { S3AlertStateStore } from './s3-alert-state-store.js';

/**
 * The key of the alert state object in an S3 bucket: outside the runs' and summaries' prefixes,
 * and the key the notify function uses (infra's statePrefix), so the CLI and AWS share one state.
 */
export const S3_ALERT_STATE_KEY = `${RESULTS_LAYOUT.statePrefix}${RESULTS_LAYOUT.alertStateName}`;
/** The primary key of the alert state item in a checkup DynamoDB table (pk, sk). */
export const DYNAMODB_ALERT_STATE_KEY = { pk: { S: 'ALERTS' }, sk: { S: 'state' } };

/** The alert state in the bucket of an S3 storage config, with the same client options. */
export async function createS3AlertStateStore(config: S3StorageConfig): Promise<AlertStateStore> {
  const { S3Client } = await awsSdk.s3();
  const client = new S3Client(s3ClientConfig(config));
  return new S3AlertStateStore({ client, bucket: config.bucket, key: S3_ALERT_STATE_KEY });
}

/** The alert state in the table of a DynamoDB storage config. */
export async function createDynamodbAlertStateStore(config: DynamodbStorageConfig): Promise<AlertStateStore> {
  const { DynamoDBClient } = await awsSdk.dynamodb();
  const client = new DynamoDBClient({
    ...(config.region ? { region: config.region } : {}),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  });
  return new DynamoDbAlertStateStore({ client, table: config.table, key: DYNAMODB_ALERT_STATE_KEY });
}
