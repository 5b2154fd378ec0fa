import { parseMysqlDsn } from '../../core/config/mysql-dsn.js';
import { parsePostgresDsn } from '../../core/config/postgres-dsn.js';
import { sqliteFileOfDsn } from '../../core/config/sqlite-dsn.js';
import type { SqlStorageTypeConfig } from '../../core/config/storage-schemas.js';
import type { SqlClient } from './sql-client.js';

const opened = new WeakMap<SqlStorageTypeConfig, Promise<SqlClient>>();

/**
 * The client of the database a SQL storage config names, opened once per config: the storage
 * and the alert state of one command share it (one pool, one SQLite handle).
 */
export function sqlClientFor(config: SqlStorageTypeConfig): Promise<SqlClient> {
  let client = opened.get(config);
  if (!client) {
    client = openSqlClient(config, { create: config.type !== 'sql' && config.create === true });
    client.catch(() => opened.delete(config));
    opened.set(config, client);
  }
  return client;
}

/** Opens a new client; `create` makes a SQLite file that does not exist yet. */
export async function openSqlClient(
  config: SqlStorageTypeConfig,
  options: { create: boolean },
): Promise<SqlClient> {
  switch (config.type) {
    case 'sqlite3':
      return (await import('./sqlite-client.js')).openSqlite({
        file: sqliteFileOfDsn(config.dsn),
        create: options.create,
      });
    case 'postgres':
      return (await import('./postgres-client.js')).openPostgres(parsePostgresDsn(config.dsn));
    case 'mysql':
      return (await import('./mysql-client.js')).openMysql(parseMysqlDsn(config.dsn));
    case 'sql': {
      if (config.sqlite_db_file !== undefined)
        return (await import('./sqlite-client.js')).openSqlite({
          file: config.sqlite_db_file,
          create: options.create,
        });
      const settings = config.postgresql;
      if (!settings) throw new Error('storage: set sqlite_db_file or postgresql');
      return (await import('./postgres-client.js')).openPostgres({
        ...(settings.host ? { host: settings.host } : {}),
        ...(settings.port ? { port: settings.port } : {}),
        user: settings.user,
        ...(settings.password ? { password: settings.password } : {}),
        database: settings.dbname,
        ...(settings.sslmode ? { sslmode: settings.sslmode } : {}),
        parameters: {},
      });
    }
  }
}
