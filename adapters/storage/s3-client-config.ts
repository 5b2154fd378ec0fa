import type { S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3StorageConfig } from '../../core/config/storage-schemas.js';

/**
 * The S3 client options an s3 storage config asks for: region, endpoint and path style when
 * set, the access keys when both are given, else the SDK's default credential chain.
 */
export function s3ClientConfig(config: S3StorageConfig): S3ClientConfig {
  return {
    ...(config.region ? { region: config.region } : {}),
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.force_path_style !== undefined ? { forcePathStyle: config.force_path_style } : {}),
    ...(config.access_key_id && config.secret_access_key
      ? { credentials: { accessKeyId: config.access_key_id, secretAccessKey: config.secret_access_key } }
      : {}),
  };
}
