import { DsnError } from './dsn-error.js';

/** The SSL modes lib/pq (checkup's PostgreSQL driver) took; it refused libpq's allow and prefer too. */
export const POSTGRES_SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type PostgresSslMode = (typeof POSTGRES_SSL_MODES)[number];

/** A PostgreSQL connection as a DSN describes it; what it leaves out is the driver's default. */
export interface PostgresConnection {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
  sslmode?: PostgresSslMode;
  /** Files: the CA that signs the server's certificate, the client's certificate and key. */
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  connectTimeoutSeconds?: number;
  applicationName?: string;
  /** Any other keyword: a run-time parameter for the server (`search_path`, `timezone`), as lib/pq sent it. */
  parameters: Record<string, string>;
}

/** Keywords of lib/pq that tune the Go driver itself: nothing to do here. */
const GO_DRIVER_ONLY = new Set([
  'binary_parameters',
  'disable_prepared_binary_result',
  'krbsrvname',
  'krbspn',
]);

/**
 * Reads a PostgreSQL DSN in either form lib/pq (checkup's driver) took: a URL
 * (`postgres://user:password@host:5432/dbname?sslmode=disable`) or keyword=value pairs
 * (`host=db user=checkup password='a b' dbname=checkup sslmode=disable`, libpq's quoting).
 */
export function parsePostgresDsn(text: string): PostgresConnection {
  const pairs = /^postgres(ql)?:\/\//i.test(text) ? urlPairs(text) : keywordPairs(text);
  const connection: PostgresConnection = { parameters: {} };
  for (const [key, value] of pairs) {
    switch (key) {
      case 'host':
      case 'hostaddr':
        if (value.includes(',')) throw new DsnError(`several hosts ("${value}") are not supported: name one`);
        if (value) connection.host = value;
        break;
      case 'port':
        if (value) connection.port = parsePort(value);
        break;
      case 'user':
        connection.user = value;
        break;
      case 'password':
        connection.password = value;
        break;
      case 'dbname':
        connection.database = value;
        break;
      case 'sslmode':
        if (!(POSTGRES_SSL_MODES as readonly string[]).includes(value))
          throw new DsnError(`sslmode "${value}" is not one of ${POSTGRES_SSL_MODES.join(', ')}`);
        connection.sslmode = value as PostgresSslMode;
        break;
      case 'sslrootcert':
      case 'sslcert':
      case 'sslkey':
        connection[key] = value;
        break;
      case 'connect_timeout':
        if (!/^\d+$/.test(value))
          throw new DsnError(`connect_timeout "${value}" is not a whole number of seconds`);
        connection.connectTimeoutSeconds = Number(value);
        break;
      case 'application_name':
        connection.applicationName = value;
        break;
      case 'fallback_application_name':
        connection.applicationName ??= value;
        break;
      default:
        if (!GO_DRIVER_ONLY.has(key)) connection.parameters[key] = value;
    }
  }
  return connection;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65_535)
    throw new DsnError(`port "${value}" is not a port number`);
  return port;
}

/** `postgres://user:password@host:port/dbname?key=value`, each part percent-decoded. */
function urlPairs(text: string): Array<[string, string]> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DsnError('not a URL (postgres://user:password@host:5432/dbname?sslmode=disable)');
  }
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new DsnError('a %-escape in it is not valid');
    }
  };
  const pairs: Array<[string, string]> = [];
  // A URL's host is lower-cased and IPv6 kept in brackets: libpq takes the address without them.
  if (url.hostname) pairs.push(['host', url.hostname.replace(/^\[(.*)\]$/, '$1')]);
  if (url.port) pairs.push(['port', url.port]);
  if (url.username) pairs.push(['user', decode(url.username)]);
  if (url.password) pairs.push(['password', decode(url.password)]);
  const database = decode(url.pathname.replace(/^\//, ''));
  if (database) pairs.push(['dbname', database]);
  for (const [key, value] of url.searchParams) pairs.push([key, value]);
  return pairs;
}

/** libpq's `keyword = value` list: values may be 'single quoted', with \' and \\ escapes. */
function keywordPairs(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at] as string)) at += 1;
  };
  for (skipSpace(); at < text.length; skipSpace()) {
    const keyStart = at;
    while (at < text.length && /[A-Za-z0-9_]/.test(text[at] as string)) at += 1;
    const key = text.slice(keyStart, at);
    skipSpace();
    if (!key || text[at] !== '=')
      throw new DsnError(
        `expected keyword=value at character ${keyStart + 1} (host=... user=... dbname=..., or a postgres:// URL)`,
      );
    at += 1;
    skipSpace();
    let value = '';
    if (text[at] === "'") {
      at += 1;
      for (;;) {
        if (at >= text.length) throw new DsnError(`the quoted value of ${key} is not closed`);
        const char = text[at] as string;
        at += 1;
        if (char === "'") break;
        if (char === '\\' && at < text.length) {
          value += text[at];
          at += 1;
        } else value += char;
      }
    } else {
      while (at < text.length && !/\s/.test(text[at] as string)) {
        if (text[at] === '\\' && at + 1 < text.length) at += 1;
        value += text[at];
        at += 1;
      }
    }
    pairs.push([key, value]);
  }
  return pairs;
}
