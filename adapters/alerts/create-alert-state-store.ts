import type { AlertStateStore } from '../../core/alerts/alert-state-store.js';
import type { StorageConfig } from '../../core/config/storage-schemas.js';
import { DEFAULT_STORAGE } from '../storage/create-storage.js';
import { FsAlertStateStore } from './fs-alert-state-store.js';

/** The alert state store beside the runs of the storage a validated config describes. */
export function createAlertStateStore(config: StorageConfig = DEFAULT_STORAGE): AlertStateStore {
  switch (config.type) {
    case 'fs':
      return new FsAlertStateStore({ dir: config.dir });
    default:
      throw new Error(`storage type "${(config as { type: string }).type}" keeps no alert state yet`);
  }
}
