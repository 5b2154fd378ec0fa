import { parseDuration } from '../duration.js';
import { DsnError } from './dsn-error.js';

/** The `tls` values of checkup's MySQL driver that work here ("preferred", TLS only when offered, does not). */
export const MYSQL_TLS_MODES = ['false', 'true', 'skip-verify'] as const;
export type MysqlTlsMode = (typeof MYSQL_TLS_MODES)[number];

/** A MySQL or MariaDB connection as a DSN describes it. */
export interface MysqlConnection {
  user?: string;
  password?: string;
  host?: string;
  port?: number;
  /** A unix socket, for `unix(/path/to/mysqld.sock)`. */
  socketPath?: string;
  database: string;
  tls: MysqlTlsMode;
  connectTimeoutMs?: number;
}

const EXAMPLE = 'user:password@tcp(host:3306)/dbname, or mysql://user:password@host:3306/dbname';

/**
 * Reads a MySQL DSN in the form of checkup's driver (go-sql-driver/mysql,
 * `[user[:password]@][tcp(host:port)|unix(/socket)]/dbname[?param=value&...]`) or as a URL
 * (`mysql://user:password@host:3306/dbname`). Of the Go driver's parameters, `tls` and `timeout`
 * carry over; the others tune the Go driver (parseTime, charset, loc, ...) and mean nothing here.
 */
export function parseMysqlDsn(text: string): MysqlConnection {
  if (/^(mysql|mariadb):\/\//i.test(text)) return fromUrl(text);
  const slash = text.lastIndexOf('/');
  if (slash < 0) throw new DsnError(`no "/dbname" in it (${EXAMPLE})`);
  const before = text.slice(0, slash);
  const [databasePart = '', query = ''] = splitOnce(text.slice(slash + 1), '?');
  const at = before.lastIndexOf('@');
  const userInfo = at < 0 ? '' : before.slice(0, at);
  const address = at < 0 ? before : before.slice(at + 1);
  const [user, password] = splitOnce(userInfo, ':');
  const connection: MysqlConnection = {
    database: percentDecoded(databasePart),
    tls: 'false',
    ...(user ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
  };
  const network = /^(\w*)(?:\((.*)\))?$/.exec(address);
  if (!network) throw new DsnError(`the address part is not net(address) (${EXAMPLE})`);
  const [, protocol = '', location = ''] = network;
  if (protocol === 'unix') connection.socketPath = location || '/tmp/mysql.sock';
  else if (protocol === 'tcp' || protocol === '') {
    if (location) Object.assign(connection, hostAndPort(location));
  } else throw new DsnError(`network "${protocol}" is not tcp or unix`);
  applyParameters(connection, new URLSearchParams(query));
  return checked(connection);
}

function fromUrl(text: string): MysqlConnection {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DsnError(`not a URL (${EXAMPLE})`);
  }
  const connection: MysqlConnection = {
    database: percentDecoded(url.pathname.replace(/^\//, '')),
    tls: 'false',
    ...(url.username ? { user: percentDecoded(url.username) } : {}),
    ...(url.password ? { password: percentDecoded(url.password) } : {}),
    ...(url.hostname ? { host: url.hostname.replace(/^\[(.*)\]$/, '$1') } : {}),
    ...(url.port ? { port: Number(url.port) } : {}),
  };
  applyParameters(connection, url.searchParams);
  return checked(connection);
}

function applyParameters(connection: MysqlConnection, parameters: URLSearchParams): void {
  for (const [key, value] of parameters) {
    if (key === 'tls') {
      if (!(MYSQL_TLS_MODES as readonly string[]).includes(value))
        throw new DsnError(`tls "${value}" is not one of ${MYSQL_TLS_MODES.join(', ')}`);
      connection.tls = value as MysqlTlsMode;
    } else if (key === 'timeout') {
      const ns = parseDuration(value);
      if (ns === undefined) throw new DsnError(`timeout "${value}" is not a duration such as 5s`);
      connection.connectTimeoutMs = Math.ceil(ns / 1e6);
    }
  }
}

function checked(connection: MysqlConnection): MysqlConnection {
  if (!connection.database) throw new DsnError(`it names no database (${EXAMPLE})`);
  return connection;
}

function hostAndPort(location: string): { host: string; port?: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(location);
  if (!match) throw new DsnError(`"${location}" is not host:port`);
  const host = match[1] ?? match[2] ?? '';
  const port = match[3] === undefined ? undefined : Number(match[3]);
  if (port !== undefined && (port < 1 || port > 65_535))
    throw new DsnError(`port ${port} is not a port number`);
  return { host: host || '127.0.0.1', ...(port !== undefined ? { port } : {}) };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

function percentDecoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new DsnError('a %-escape in it is not valid');
  }
}
