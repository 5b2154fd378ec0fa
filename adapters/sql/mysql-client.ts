import type { Socket } from 'node:net';
import type { Connection, ConnectionOptions } from 'mysql2/promise';
import type { MysqlConnection } from '../../core/config/mysql-dsn.js';
import { isCreateRace, isDuplicateKey, isMissingTable, type SqlClient, type SqlValue } from './sql-client.js';
import { sqlDrivers } from './sql-drivers.js';

/**
 * A MySQL or MariaDB database through one mysql2 connection (statements queue on it; the CLI
 * sends one at a time anyway). Its socket keeps the process alive only while a statement is in
 * flight, so a command ends when its work does; a connection lost is opened anew on the next
 * statement. BIGINTs come back as digit strings and bigints go out unquoted: no digit is lost.
 * Each session is strict, so a run too long for the column is an error, never cut short.
 */
export async function openMysql(connection: MysqlConnection): Promise<SqlClient> {
  const mysql = await sqlDrivers.mysql();
  const options: ConnectionOptions = {
    database: connection.database,
    ...(connection.user !== undefined ? { user: connection.user } : {}),
    ...(connection.password !== undefined ? { password: connection.password } : {}),
    ...(connection.socketPath !== undefined
      ? { socketPath: connection.socketPath }
      : { host: connection.host ?? '127.0.0.1', port: connection.port ?? 3306 }),
    ...(connection.connectTimeoutMs !== undefined ? { connectTimeout: connection.connectTimeoutMs } : {}),
    ...(connection.tls === 'false' ? {} : { ssl: { rejectUnauthorized: connection.tls === 'true' } }),
    supportBigNumbers: true,
    bigNumberStrings: true,
    charset: 'utf8mb4',
  };
  const location = `mysql ${connection.socketPath ?? `${connection.host ?? '127.0.0.1'}:${connection.port ?? 3306}`}/${connection.database}`;
  let opening: Promise<Connection> | undefined;
  const open = (): Promise<Connection> => {
    if (opening) return opening;
    const attempt: Promise<Connection> = (async () => {
      const opened = await mysql.createConnection(options);
      // A fatal error on an idle connection (the server restarted) would otherwise crash us.
      opened.on('error', () => {
        if (opening === attempt) opening = undefined;
      });
      await opened.query(
        "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES')",
      );
      // From now on the socket holds the process only while a statement is in flight (send).
      socketOf(opened).unref();
      return opened;
    })();
    opening = attempt;
    attempt.catch(() => {
      if (opening === attempt) opening = undefined;
    });
    return attempt;
  };
  let inFlight = 0;
  const send = async (sql: string, params: readonly SqlValue[]) => {
    let handle: Connection | undefined;
    inFlight += 1;
    try {
      handle = await open();
      socketOf(handle).ref();
      return await handle.query(sql, params.map(unquotedBigint));
    } catch (error) {
      if ((error as { fatal?: boolean }).fatal) opening = undefined;
      throw explained(error, location);
    } finally {
      inFlight -= 1;
      if (inFlight === 0 && handle) socketOf(handle).unref();
    }
  };
  return {
    dialect: 'mysql',
    location,
    query: async (sql, params = []) => (await send(sql, params))[0] as Record<string, unknown>[],
    run: async (sql, params = []) => ((await send(sql, params))[0] as { affectedRows: number }).affectedRows,
    close: async () => {
      const current = opening;
      opening = undefined;
      if (current) await (await current.catch(() => undefined))?.end();
    },
  };
}

/** The connection's socket (mysql2's promise wrapper holds the callback connection that has it). */
function socketOf(handle: Connection): Socket {
  return (handle as unknown as { connection: { stream: Socket } }).connection.stream;
}

/** A bigint as an integer literal: a quoted one would be compared with BIGINTs as a double. */
function unquotedBigint(value: SqlValue): unknown {
  return typeof value === 'bigint' ? { toSqlString: () => value.toString() } : value;
}

function explained(error: unknown, location: string): unknown {
  if (isDuplicateKey(error) || isMissingTable(error) || isCreateRace(error)) return error;
  return new Error(`${location}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
