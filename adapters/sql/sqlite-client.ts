import path from 'node:path';
import type { Statement } from 'better-sqlite3';
import type { SqlClient, SqlValue } from './sql-client.js';
import { sqlDrivers } from './sql-drivers.js';

export interface SqliteClientOptions {
  file: string;
  /** Make the file when it does not exist (`create`, provisioning); otherwise its absence is an error. */
  create: boolean;
  /** How long a statement waits for another process's write lock (default 10 s). */
  busyTimeoutMs?: number;
}

/**
 * A SQLite file through better-sqlite3: SQLite's own locking, so several processes (two
 * `checkup every` loops, checkup's Go binary, the sqlite3 shell) can share the file; a writer
 * waits up to `busyTimeoutMs` for another's lock instead of failing. The journal mode is left as
 * the file has it. Integers come back as bigints, so int64 times keep every digit.
 */
export async function openSqlite(options: SqliteClientOptions): Promise<SqlClient> {
  const Database = await sqlDrivers.sqlite();
  const location = path.resolve(options.file);
  let db: InstanceType<typeof Database>;
  try {
    db = new Database(options.file, {
      fileMustExist: !options.create,
      timeout: options.busyTimeoutMs ?? 10_000,
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_CANTOPEN' && !options.create)
      throw new Error(
        `${location}: no such SQLite database: set "create": true in storage, or run "checkup provision"`,
        { cause: error },
      );
    throw new Error(`${location}: ${(error as Error).message}`, { cause: error });
  }
  db.defaultSafeIntegers(true);
  const statements = new Map<string, Statement<unknown[]>>();
  const prepare = (sql: string): Statement<unknown[]> => {
    const known = statements.get(sql);
    if (known) return known;
    const statement = db.prepare<unknown[]>(sql);
    statements.set(sql, statement);
    return statement;
  };
  const bind = (params: readonly SqlValue[]) => params as unknown[];
  return {
    dialect: 'sqlite',
    location,
    query: async (sql, params = []) => prepare(sql).all(...bind(params)) as Record<string, unknown>[],
    run: async (sql, params = []) => Number(prepare(sql).run(...bind(params)).changes),
    close: async () => {
      db.close();
    },
  };
}
