import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/config/config-error.js';
import { parseMysqlDsn } from '../../core/config/mysql-dsn.js';
import { parseConfig } from '../../core/config/parse-config.js';
import { parsePostgresDsn } from '../../core/config/postgres-dsn.js';
import { sqliteFileOfDsn } from '../../core/config/sqlite-dsn.js';

function problems(storage: unknown): string[] {
  try {
    parseConfig(JSON.stringify({ checkers: [], storage }));
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

describe('PostgreSQL DSNs, in both forms lib/pq (checkup) took', () => {
  it.each([
    [
      'postgres://checkup:s3cret%20p%40ss@db.example:5433/status?sslmode=verify-full&search_path=ops',
      {
        host: 'db.example',
        port: 5433,
        user: 'checkup',
        password: 's3cret p@ss',
        database: 'status',
        sslmode: 'verify-full',
        parameters: { search_path: 'ops' },
      },
    ],
    [
      "host=db.example port=5433 user=checkup password='s3cret p@ss\\'s' dbname=status sslmode=disable",
      {
        host: 'db.example',
        port: 5433,
        user: 'checkup',
        password: "s3cret p@ss's",
        database: 'status',
        sslmode: 'disable',
        parameters: {},
      },
    ],
    [
      'host = /var/run/postgresql dbname=x binary_parameters=yes',
      { host: '/var/run/postgresql', database: 'x', parameters: {} },
    ],
    ['postgresql://[::1]/x', { host: '::1', database: 'x', parameters: {} }],
  ])('reads %s', (dsn, expected) => {
    expect(parsePostgresDsn(dsn)).toEqual(expected);
  });

  it.each([
    ['host=a dbname', /expected keyword=value at character 8/],
    ["password='open", /the quoted value of password is not closed/],
    ['sslmode=prefer', /sslmode "prefer" is not one of disable, require, verify-ca, verify-full/],
    ['port=70000', /port "70000" is not a port number/],
    ['host=a,b', /several hosts/],
  ])('refuses %s', (dsn, message) => {
    expect(() => parsePostgresDsn(dsn)).toThrow(message);
  });
});

describe("MySQL DSNs, in checkup's driver's form and as URLs", () => {
  it.each([
    ['u:p@/d', { user: 'u', password: 'p', database: 'd', tls: 'false' }],
    [
      'checkup:p@ss:w0rd@tcp(db:3307)/status?parseTime=true&tls=skip-verify&timeout=5s',
      {
        user: 'checkup',
        password: 'p@ss:w0rd',
        host: 'db',
        port: 3307,
        database: 'status',
        tls: 'skip-verify',
        connectTimeoutMs: 5000,
      },
    ],
    [
      'root@unix(/run/mysqld/mysqld.sock)/status',
      { user: 'root', socketPath: '/run/mysqld/mysqld.sock', database: 'status', tls: 'false' },
    ],
    ['tcp([::1]:3306)/x', { host: '::1', port: 3306, database: 'x', tls: 'false' }],
    [
      'mysql://u:p%40ss@db:3306/status?tls=true',
      { user: 'u', password: 'p@ss', host: 'db', port: 3306, database: 'status', tls: 'true' },
    ],
  ])('reads %s', (dsn, expected) => {
    expect(parseMysqlDsn(dsn)).toEqual(expected);
  });

  it.each([
    ['u:p@tcp(db)', /no "\/dbname"/],
    ['u:p@tcp(db)/', /names no database/],
    ['u:p@udp(db)/x', /network "udp" is not tcp or unix/],
    ['u@/x?tls=preferred', /tls "preferred" is not one of false, true, skip-verify/],
  ])('refuses %s', (dsn, message) => {
    expect(() => parseMysqlDsn(dsn)).toThrow(message);
  });
});

describe('SQLite DSNs', () => {
  it.each([
    ['checkup.db', 'checkup.db'],
    ['file:checkup.db?cache=shared&_busy_timeout=5000', 'checkup.db'],
    ['file:///var/lib/checkup/my%20db.sqlite', '/var/lib/checkup/my db.sqlite'],
  ])('reads %s as the file %s', (dsn, file) => {
    expect(sqliteFileOfDsn(dsn)).toBe(file);
  });
});

describe('SQL storage config', () => {
  it('accepts the sqlite3, postgres and mysql types with their dsn, create and check_expiry', () => {
    for (const type of ['sqlite3', 'postgres', 'mysql']) {
      const dsn = type === 'mysql' ? 'u:p@/d' : type === 'postgres' ? 'dbname=d' : 'c.db';
      const config = parseConfig(
        JSON.stringify({ checkers: [], storage: { type, dsn, create: true, check_expiry: '7d' } }),
      );
      expect(config.storage).toEqual({ type, dsn, create: true, check_expiry: 7 * 86_400e9 });
    }
  });

  it('names storage.dsn when it is missing or unreadable, and never repeats the password', () => {
    expect(problems({ type: 'postgres' })).toEqual(['storage.dsn: required']);
    expect(problems({ type: 'mysql', dsn: 'u:hunter2@tcp(db)' })).toEqual([
      'storage.dsn: no "/dbname" in it (user:password@tcp(host:3306)/dbname, or mysql://user:password@host:3306/dbname)',
    ]);
    expect(problems({ type: 'postgres', dsn: 'password=hunter2 sslmode=allow' }).join('\n')).not.toContain(
      'hunter2',
    );
  });

  it("takes checkup's older sql type with one of sqlite_db_file or postgresql, with a notice", () => {
    const config = parseConfig(
      JSON.stringify({ checkers: [], storage: { type: 'sql', sqlite_db_file: 'c.db' } }),
    );
    expect(config.storage).toEqual({ type: 'sql', sqlite_db_file: 'c.db' });
    expect(config.notices).toEqual([
      { path: 'storage.type', message: expect.stringContaining('"sql" is checkup\'s older SQL storage') },
    ]);
    expect(problems({ type: 'sql' })).toEqual([
      'storage: set sqlite_db_file or postgresql (or use type "sqlite3", "postgres" or "mysql" with dsn)',
    ]);
    expect(problems({ type: 'sql', sqlite_db_file: 'c.db', postgresql: { user: 'u', dbname: 'd' } })).toEqual(
      [
        'storage: both sqlite_db_file and postgresql are set: keep one (checkup refused several SQL backends too)',
      ],
    );
    expect(problems({ type: 'sql', postgresql: { user: 'u' } })).toEqual([
      'storage.postgresql.dbname: required',
    ]);
  });
});
