import type { StorageConfig } from '../../core/config/storage-schemas.js';
import type { Storage } from '../../core/storage.js';
import { FsStorage } from './fs-storage.js';
import { lazyStorage } from './lazy-storage.js';

/** Where runs go when the config names no storage: `./checks`, as `npm start` promises. */
export const DEFAULT_STORAGE: StorageConfig = { type: 'fs', dir: 'checks' };

/** Builds the storage a validated config describes. */
export function createStorage(config: StorageConfig = DEFAULT_STORAGE): Storage {
  switch (config.type) {
    case 'fs':
      return new FsStorage({ dir: config.dir, checkExpiryNs: config.check_expiry });
    case 's3':
      return lazyStorage(async () => (await import('./s3-storage-from-config.js')).createS3Storage(config));
    case 'dynamodb':
      return lazyStorage(async () =>
        (await import('./dynamodb-storage-from-config.js')).createDynamodbStorage(config),
      );
    case 'github':
      return lazyStorage(async () =>
        (await import('./github-storage-from-config.js')).createGithubStorage(config),
      );
    case 'appinsights':
      return lazyStorage(
        async () => new (await import('./appinsights-storage.js')).AppInsightsStorage(config),
      );
    case 'sqlite3':
    case 'postgres':
    case 'mysql':
    case 'sql':
      // The driver loads only now: a config storing elsewhere never loads one.
      return lazyStorage(async () => (await import('./sql-storage-from-config.js')).createSqlStorage(config));
  }
}
