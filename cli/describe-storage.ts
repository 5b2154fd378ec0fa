import path from 'node:path';
import { sqliteFileOfDsn } from '../core/config/sqlite-dsn.js';
import type { StorageConfig } from '../core/config/storage-schemas.js';

/**
 * Where a storage keeps runs, for messages: the fs folder or SQLite file (absolute), or the
 * storage type (never a DSN: it may hold a password).
 */
export function describeStorage(config: StorageConfig): string {
  if (config.type === 'fs') return path.resolve(config.dir);
  if (config.type === 'sqlite3') return `sqlite3 storage ${path.resolve(sqliteFileOfDsn(config.dsn))}`;
  if (config.type === 'sql' && config.sqlite_db_file)
    return `sql storage ${path.resolve(config.sqlite_db_file)}`;
  return `${config.type} storage`;
}
