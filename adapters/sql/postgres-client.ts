import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import type { PostgresConnection } from '../../core/config/postgres-dsn.js';
import { isCreateRace, isDuplicateKey, isMissingTable, type SqlClient, type SqlValue } from './sql-client.js';
import { sqlDrivers } from './sql-drivers.js';

/**
 * A PostgreSQL database through a small pg pool. Idle connections do not keep the process
 * alive (allowExitOnIdle), so a command ends when its work does; a connection the server drops
 * while idle is replaced on the next statement.
 */
export async function openPostgres(connection: PostgresConnection): Promise<SqlClient> {
  const { Pool } = await sqlDrivers.postgres();
  const runtime = Object.entries(connection.parameters).map(
    ([key, value]) => `-c ${key}=${value.replaceAll('\\', '\\\\').replaceAll(' ', '\\ ')}`,
  );
  const pool = new Pool({
    ...(connection.host !== undefined ? { host: connection.host } : {}),
    ...(connection.port !== undefined ? { port: connection.port } : {}),
    ...(connection.user !== undefined ? { user: connection.user } : {}),
    ...(connection.password !== undefined ? { password: connection.password } : {}),
    ...(connection.database !== undefined ? { database: connection.database } : {}),
    ...(connection.applicationName !== undefined ? { application_name: connection.applicationName } : {}),
    ...(connection.connectTimeoutSeconds
      ? { connectionTimeoutMillis: connection.connectTimeoutSeconds * 1000 }
      : {}),
    ...(runtime.length > 0 ? { options: runtime.join(' ') } : {}),
    ssl: await sslOptions(connection),
    max: 4,
    allowExitOnIdle: true,
  });
  // An idle connection the server closed is an 'error' event: without a listener it would crash
  // the process; the pool drops it and connects anew when next needed.
  pool.on('error', () => {});
  const location = `postgres ${connection.host ?? 'localhost'}:${connection.port ?? 5432}/${connection.database ?? connection.user ?? ''}`;
  const send = async (sql: string, params: readonly SqlValue[]) => {
    try {
      return await pool.query(
        numbered(sql),
        params.map((value) => (typeof value === 'bigint' ? value.toString() : value)),
      );
    } catch (error) {
      throw explained(error, location);
    }
  };
  return {
    dialect: 'postgres',
    location,
    query: async (sql, params = []) => (await send(sql, params)).rows,
    run: async (sql, params = []) => (await send(sql, params)).rowCount ?? 0,
    close: () => pool.end(),
  };
}

/** `?` placeholders as PostgreSQL's `$1, $2, ...` (the statements here hold no other `?`). */
function numbered(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/**
 * TLS as lib/pq (checkup's driver) did it: `require` (its default) encrypts without checking the
 * certificate, unless sslrootcert names a CA, which makes it `verify-ca`; `verify-ca` checks the
 * chain, `verify-full` the host name too.
 */
async function sslOptions(connection: PostgresConnection): Promise<false | ConnectionOptions> {
  const mode = connection.sslmode ?? 'require';
  if (mode === 'disable') return false;
  const files = {
    ...(connection.sslrootcert ? { ca: await readFile(connection.sslrootcert, 'utf8') } : {}),
    ...(connection.sslcert ? { cert: await readFile(connection.sslcert, 'utf8') } : {}),
    ...(connection.sslkey ? { key: await readFile(connection.sslkey, 'utf8') } : {}),
  };
  if (mode === 'verify-full') return { ...files, rejectUnauthorized: true };
  if (mode === 'verify-ca' || files.ca)
    return { ...files, rejectUnauthorized: true, checkServerIdentity: () => undefined };
  return { ...files, rejectUnauthorized: false };
}

/** Errors the storage acts on keep their SQLSTATE; any other says which database it came from. */
function explained(error: unknown, location: string): unknown {
  const message = (error as Error)?.message ?? '';
  if (message.includes('does not support SSL'))
    return new Error(
      `${location}: the server does not offer TLS, and sslmode is require (checkup's default): add sslmode=disable to storage.dsn if that is intended`,
      { cause: error },
    );
  if (isDuplicateKey(error) || isMissingTable(error) || isCreateRace(error)) return error;
  return new Error(`${location}: ${message}`, { cause: error });
}
