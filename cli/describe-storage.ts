import path from 'node:path';
import type { StorageConfig } from '../core/config/storage-schemas.js';

/** Where a storage keeps runs, for messages: the fs folder (absolute), or the storage type. */
export function describeStorage(config: StorageConfig): string {
  return config.type === 'fs' ? path.resolve(config.dir) : `${config.type} storage`;
}
