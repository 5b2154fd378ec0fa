/** The SQL dialects checkup stores in. */
export type SqlDialect = 'sqlite' | 'postgres' | 'mysql';

/** A bound value: int64 times are bigints, so no digit is lost on the way in. */
export type SqlValue = string | number | bigint | null;

/** A row as a driver gives it; integers may come as numbers, bigints or digit strings. */
export type SqlRow = Record<string, unknown>;

/**
 * What the SQL storage needs from a database: statements with `?` placeholders, whatever the
 * driver spells them. One per database, shared by the storage and the alert state.
 */
export interface SqlClient {
  readonly dialect: SqlDialect;
  /** Where the database is, for messages: a file, or host/dbname; never a password. */
  readonly location: string;
  query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /** Runs a statement and resolves to the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  close(): Promise<void>;
}

/** An INSERT refused by a primary key or unique index (a name or a time already taken). */
export function isDuplicateKey(error: unknown): boolean {
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return (
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === '23505' ||
    errno === 1062
  );
}

/** A statement on a table that does not exist. */
export function isMissingTable(error: unknown): boolean {
  const { code, errno, message } = error as { code?: unknown; errno?: unknown; message?: unknown };
  return (
    (code === 'SQLITE_ERROR' && typeof message === 'string' && message.startsWith('no such table')) ||
    code === '42P01' ||
    errno === 1146
  );
}

/**
 * A CREATE ... IF NOT EXISTS that lost a race with another process doing the same: PostgreSQL
 * may answer a duplicate in its catalog (23505 on pg_type, 42P07) instead of "already exists".
 */
export function isCreateRace(error: unknown): boolean {
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return code === '23505' || code === '42P07' || code === '42710' || errno === 1050 || errno === 1061;
}

/** A column value as text: SQLite rows that checkup (go-sqlite3) wrote hold BLOBs, not TEXT. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return undefined;
}

/** An integer column's exact digits, however the driver handed it over. */
export function digitsOf(value: unknown): string {
  if (typeof value === 'bigint' || typeof value === 'string') return String(value);
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString();
  throw new TypeError(`not an integer: ${String(value)}`);
}
