import type { AlertStateStore } from '../../core/alerts/alert-state-store.js';
import type { SqlStorageTypeConfig } from '../../core/config/storage-schemas.js';
import { sqlClientFor } from '../sql/open-sql-client.js';
import { SqlDocuments } from '../sql/sql-documents.js';
import { SqlAlertStateStore } from './sql-alert-state-store.js';

/** The alert state in the documents table of a SQL storage config's database. */
export async function createSqlAlertStateStore(config: SqlStorageTypeConfig): Promise<AlertStateStore> {
  return new SqlAlertStateStore(new SqlDocuments(await sqlClientFor(config)));
}
