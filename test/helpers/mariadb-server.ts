import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { createTestDatabase } from './create-test-database.js';
import { startDatabaseOnFreePort } from './database-on-free-port.js';
import { runProgram, type SharedServerState, sharedServer } from './shared-server.js';

/** The login the tests use: a password with an @ and a colon, as checkup's DSN form allows. */
const USER = 'checkup';
const PASSWORD = 'p@ss:w0rd';

export interface RunningMariadb {
  port: number;
  user: string;
  password: string;
  /** A fresh, empty database for one test; its name. */
  createDatabase(): Promise<string>;
  /** checkup's DSN form: `user:password@tcp(127.0.0.1:port)/dbname`. */
  dsn(database: string): string;
  /** A mysql2 connection on the database, for looking at tables directly (end it). */
  connect(database: string): Promise<mysql.Connection>;
}

/**
 * MariaDB from Debian's package (mariadb-server), started once per test run (see
 * shared-server.ts) in a temporary data folder on a free loopback port, with a password login.
 */
export async function useMariadb(): Promise<RunningMariadb> {
  const state = await sharedServer('mariadb', startMariadb);
  const { port } = state;
  const socketPath = state.extra.socket as string;
  const running: RunningMariadb = {
    port,
    user: USER,
    password: PASSWORD,
    createDatabase: () => createTestDatabase(() => mysql.createConnection({ socketPath, user: 'root' })),
    dsn: (database) => `${USER}:${PASSWORD}@tcp(127.0.0.1:${port})/${database}`,
    connect: (database) =>
      mysql.createConnection({
        host: '127.0.0.1',
        port,
        user: USER,
        password: PASSWORD,
        database,
        supportBigNumbers: true,
        bigNumberStrings: true,
      }),
  };
  return running;
}

async function startMariadb(): Promise<SharedServerState> {
  const server = ['/usr/sbin/mariadbd', '/usr/bin/mariadbd'].find((file) => existsSync(file));
  if (!server) throw new Error('MariaDB is not installed: apt-get install mariadb-server (.ci/run does)');
  const dir = await mkdtemp(path.join(tmpdir(), 'checkup-mariadb-'));
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  // mariadbd refuses to run as root unless told to.
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  await runProgram('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${data}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    ...asRoot,
  ]);
  const { child, port } = await startDatabaseOnFreePort({
    name: 'MariaDB',
    dir,
    spawnOn: (port, output) =>
      spawn(
        server,
        [
          '--no-defaults',
          `--datadir=${data}`,
          ...asRoot,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--socket=${socket}`,
          `--pid-file=${path.join(dir, 'mariadbd.pid')}`,
          '--skip-name-resolve',
          '--skip-log-bin',
          // Test data: small buffers, no flush per commit.
          '--innodb-buffer-pool-size=32M',
          '--innodb-log-file-size=8M',
          '--innodb-flush-log-at-trx-commit=0',
          '--performance-schema=OFF',
          '--max-connections=300',
        ],
        { cwd: dir, detached: true, stdio: ['ignore', output, output] },
      ),
    logIn: async () => {
      const admin = await mysql.createConnection({ socketPath: socket, user: 'root' });
      await admin.end();
    },
  });
  const admin = await mysql.createConnection({ socketPath: socket, user: 'root' });
  try {
    await admin.query(`CREATE USER '${USER}'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}'`);
    await admin.query(`GRANT ALL PRIVILEGES ON *.* TO '${USER}'@'127.0.0.1'`);
  } finally {
    await admin.end();
  }
  return { pid: child.pid as number, port, dirs: [dir], stopSignal: 'SIGTERM', extra: { socket } };
}
