import path from 'node:path';
import Database from 'better-sqlite3';
import type { SqlStorageTypeConfig } from '../../core/config/storage-schemas.js';
import { useMariadb } from './mariadb-server.js';
import { usePostgres } from './postgres-server.js';
import { makeTempDir } from './temp-dir.js';

/** A database to test in, and a direct line to it that bypasses the storage under test. */
export interface SqlTestDatabase {
  /** checkup.json's `storage`, with `create` as asked. */
  storage(options?: { create?: boolean }): SqlStorageTypeConfig;
  /** Other ways a checkup.json names the same database (checkup's older `sql` type, the other DSN form). */
  otherForms: SqlStorageTypeConfig[];
  /** A query as checkup's Go code sends it (`?` placeholders, rebound per dialect as sqlx did). */
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Ends every other session on the database from the server's side, as a server restart would. */
  dropConnections(): Promise<void>;
  /** Inserts a run row the way checkup (Go) did: its name, its time, its JSON as bytes. */
  insertAsCheckup(name: string, timestamp: bigint, json: string): Promise<void>;
  close(): Promise<void>;
}

/** One of the SQL storages, as the shared suite (sql-storage-suite.ts) tests each. */
export interface SqlBackend {
  /** The storage type checkup.json names. */
  type: 'sqlite3' | 'postgres' | 'mysql';
  /** A fresh, empty database (with checkup's table when `create` is set in its config). */
  fresh(): Promise<SqlTestDatabase>;
}

export const sqliteBackend: SqlBackend = {
  type: 'sqlite3',
  async fresh() {
    const file = path.join(await makeTempDir(), 'checkup.db');
    let db: Database.Database | undefined;
    const open = () => {
      db ??= new Database(file, { timeout: 10_000 });
      db.defaultSafeIntegers(true);
      return db;
    };
    return {
      storage: ({ create = true } = {}) => ({ type: 'sqlite3', dsn: file, create }),
      otherForms: [
        { type: 'sql', sqlite_db_file: file },
        { type: 'sqlite3', dsn: `file:${file}?cache=shared&_busy_timeout=5000` },
      ],
      async query(sql, params = []) {
        const statement = open().prepare(sql);
        if (!statement.reader) {
          statement.run(...(params as unknown[]));
          return [];
        }
        return statement.all(...(params as unknown[])) as Record<string, unknown>[];
      },
      async dropConnections() {
        // A file has no sessions to end.
      },
      async insertAsCheckup(name, timestamp, json) {
        // go-sqlite3 binds a []byte as a BLOB: checkup's rows hold BLOBs in a TEXT column.
        open()
          .prepare('INSERT INTO checks (name, timestamp, results) VALUES (?, ?, ?)')
          .run(name, timestamp, Buffer.from(json));
      },
      async close() {
        db?.close();
      },
    };
  },
};

export const postgresBackend: SqlBackend = {
  type: 'postgres',
  async fresh() {
    const server = await usePostgres();
    const database = await server.createDatabase();
    const client = await server.connect(database);
    let index = 0;
    const rebind = (sql: string) => sql.replace(/\?/g, () => `$${++index}`);
    return {
      storage: ({ create = true } = {}) => ({ type: 'postgres', dsn: server.url(database), create }),
      otherForms: [
        { type: 'postgres', dsn: server.keywords(database) },
        {
          type: 'sql',
          postgresql: {
            host: '127.0.0.1',
            port: server.port,
            user: server.user,
            password: server.password,
            dbname: database,
            sslmode: 'disable',
          },
        },
      ],
      async query(sql, params = []) {
        index = 0;
        return (
          await client.query(
            rebind(sql),
            params.map((value) => (typeof value === 'bigint' ? String(value) : value)),
          )
        ).rows;
      },
      async dropConnections() {
        await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
      },
      async insertAsCheckup(name, timestamp, json) {
        await client.query('INSERT INTO checks (name, timestamp, results) VALUES ($1, $2, $3)', [
          name,
          String(timestamp),
          json,
        ]);
      },
      close: () => client.end(),
    };
  },
};

export const mysqlBackend: SqlBackend = {
  type: 'mysql',
  async fresh() {
    const server = await useMariadb();
    const database = await server.createDatabase();
    const connection = await server.connect(database);
    const bound = (params: readonly unknown[]) =>
      params.map((value) => (typeof value === 'bigint' ? { toSqlString: () => String(value) } : value));
    return {
      storage: ({ create = true } = {}) => ({ type: 'mysql', dsn: server.dsn(database), create }),
      otherForms: [
        {
          type: 'mysql',
          dsn: `mysql://${server.user}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/${database}`,
        },
      ],
      async query(sql, params = []) {
        return (await connection.query(sql, bound(params)))[0] as Record<string, unknown>[];
      },
      async dropConnections() {
        const [sessions] = await connection.query(
          'SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()',
        );
        for (const { id } of sessions as Array<{ id: number }>) await connection.query(`KILL ${Number(id)}`);
      },
      async insertAsCheckup(name, timestamp, json) {
        await connection.query(
          'INSERT INTO checks (name, timestamp, results) VALUES (?, ?, ?)',
          bound([name, timestamp, Buffer.from(json)]),
        );
      },
      close: () => connection.end(),
    };
  },
};
