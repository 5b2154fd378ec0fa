import type { StorageConfig } from '../../core/config/storage-schemas.js';
import type { HeartbeatStore } from '../../core/heartbeat/heartbeat-store.js';
import { awsSdk } from '../aws/aws-sdk.js';
import { DEFAULT_STORAGE } from '../storage/create-storage.js';
import { s3ClientConfig } from '../storage/s3-client-config.js';
import { FsHeartbeatStore } from './fs-heartbeat-store.js';

/**
 * Where pings wait beside the runs of the storage a validated config describes: files in the fs
 * dir, objects in the S3 bucket. Undefined for the other storages, which keep none (yet).
 */
export function createHeartbeatStore(config: StorageConfig = DEFAULT_STORAGE): HeartbeatStore | undefined {
  switch (config.type) {
    case 'fs':
      return new FsHeartbeatStore({ dir: config.dir });
    case 's3': {
      // Imported on first use, so the AWS SDK loads only where the pings live in AWS.
      let loading: Promise<HeartbeatStore> | undefined;
      const store = () => {
        loading ??= Promise.all([awsSdk.s3(), import('./s3-heartbeat-store.js')]).then(
          ([{ S3Client }, { S3HeartbeatStore }]) =>
            new S3HeartbeatStore({ client: new S3Client(s3ClientConfig(config)), bucket: config.bucket }),
        );
        return loading;
      };
      return {
        record: async (key, ping) => (await store()).record(key, ping),
        latest: async (key) => (await store()).latest(key),
      };
    }
    default:
      return undefined;
  }
}
