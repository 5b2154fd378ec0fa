import type { S3StorageConfig } from '../../core/config/storage-schemas.js';
import { awsSdk } from '../aws/aws-sdk.js';
import { s3ClientConfig } from './s3-client-config.js';
import { S3Storage } from './s3-storage.js';

/**
 * S3 storage as checkup.json describes it: the access keys when given, else the SDK's default
 * credential chain (environment, profile, instance or Lambda role). The SDK's standard retry
 * strategy retries throttling and 5xx answers with backoff.
 */
export async function createS3Storage(config: S3StorageConfig): Promise<S3Storage> {
  const { S3Client } = await awsSdk.s3();
  const client = new S3Client(s3ClientConfig(config));
  return new S3Storage({
    client,
    bucket: config.bucket,
    ...(config.prefix !== undefined ? { prefix: config.prefix } : {}),
    ...(config.summary_key !== undefined ? { summaryKey: config.summary_key } : {}),
    ...(config.check_expiry !== undefined ? { checkExpiryNs: config.check_expiry } : {}),
  });
}
