import type { StorageConfig } from '../../core/config/storage-schemas.js';
import type { Storage } from '../../core/storage.js';
import { createDynamodbStorage } from './dynamodb-storage-from-config.js';
import { FsStorage } from './fs-storage.js';
import { createS3Storage } from './s3-storage-from-config.js';

/** Where runs go when the config names no storage: `./checks`, as `npm start` promises. */
export const DEFAULT_STORAGE: StorageConfig = { type: 'fs', dir: 'checks' };

/** Builds the storage a validated config describes. */
export function createStorage(config: StorageConfig = DEFAULT_STORAGE): Storage {
  switch (config.type) {
    case 'fs':
      return new FsStorage({ dir: config.dir, checkExpiryNs: config.check_expiry });
    case 's3':
      return createS3Storage(config);
    case 'dynamodb':
      return createDynamodbStorage(config);
  }
}
