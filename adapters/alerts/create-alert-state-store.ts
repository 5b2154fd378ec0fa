import type { AlertStateStore } from '../../core/alerts/alert-state-store.js';
import type { StorageConfig } from '../../core/config/storage-schemas.js';
import { DEFAULT_STORAGE } from '../storage/create-storage.js';
import { FsAlertStateStore } from './fs-alert-state-store.js';

/**
 * The alert state store beside the runs of the storage a validated config describes: a file in
 * the fs dir, an object in the S3 bucket, an item in the DynamoDB table, a file committed beside
 * the GitHub runs, a row of the SQL database's documents table; for appinsights, which keeps
 * nothing, a file in `./checks`.
 */
export function createAlertStateStore(config: StorageConfig = DEFAULT_STORAGE): AlertStateStore {
  switch (config.type) {
    case 'fs':
      return new FsAlertStateStore({ dir: config.dir });
    case 's3':
      return lazyAlertStateStore(async () =>
        (await import('./alert-state-store-from-config.js')).createS3AlertStateStore(config),
      );
    case 'dynamodb':
      return lazyAlertStateStore(async () =>
        (await import('./alert-state-store-from-config.js')).createDynamodbAlertStateStore(config),
      );
    case 'github':
      return lazyAlertStateStore(async () =>
        (await import('../storage/github-storage-from-config.js')).createGithubAlertStateStore(config),
      );
    case 'appinsights':
      // Application Insights keeps nothing to read back: the state stays in the default folder.
      return new FsAlertStateStore({ dir: (DEFAULT_STORAGE as { dir: string }).dir });
    case 'sqlite3':
    case 'postgres':
    case 'mysql':
    case 'sql':
      return lazyAlertStateStore(async () =>
        (await import('./sql-alert-state-store-from-config.js')).createSqlAlertStateStore(config),
      );
  }
}

/** A store imported on first use, so the AWS SDK or a SQL driver loads only where the state lives there. */
function lazyAlertStateStore(load: () => Promise<AlertStateStore>): AlertStateStore {
  let loading: Promise<AlertStateStore> | undefined;
  const store = () => {
    if (!loading) loading = load();
    return loading;
  };
  return {
    load: async () => (await store()).load(),
    save: async (state, expectedVersion) => (await store()).save(state, expectedVersion),
  };
}
