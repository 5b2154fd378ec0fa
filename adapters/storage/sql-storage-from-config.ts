import type { SqlStorageTypeConfig } from '../../core/config/storage-schemas.js';
import { sqlClientFor } from '../sql/open-sql-client.js';
import { SqlStorage } from './sql-storage.js';

/** SQL storage as checkup.json describes it (sqlite3, postgres, mysql, or checkup's older sql). */
export async function createSqlStorage(config: SqlStorageTypeConfig): Promise<SqlStorage> {
  return new SqlStorage({
    client: await sqlClientFor(config),
    create: config.type !== 'sql' && config.create === true,
    ...(config.check_expiry !== undefined ? { checkExpiryNs: config.check_expiry } : {}),
  });
}
