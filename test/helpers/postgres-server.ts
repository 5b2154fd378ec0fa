import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from './create-test-database.js';
import { startDatabaseOnFreePort } from './database-on-free-port.js';
import { runProgram, type SharedServerState, sharedServer } from './shared-server.js';

/** The login the tests use: a password with a space, a quote and an @, so DSN quoting is tested. */
const USER = 'checkup';
const PASSWORD = "s3cret p@ss'word";

export interface RunningPostgres {
  port: number;
  user: string;
  password: string;
  /** A fresh, empty database for one test; its name. */
  createDatabase(): Promise<string>;
  /** `postgres://...` naming the database, password percent-encoded, TLS off. */
  url(database: string): string;
  /** The same as libpq's keyword=value list, the password quoted. */
  keywords(database: string): string;
  /** A pg client on the database, for looking at tables directly (close it). */
  connect(database: string): Promise<pg.Client>;
}

/**
 * PostgreSQL from Debian's package, started once per test run (see shared-server.ts) in a
 * temporary data folder on a free loopback port, with password logins. As root it runs as the
 * `postgres` user, since PostgreSQL refuses to run as root.
 */
export async function usePostgres(): Promise<RunningPostgres> {
  const state = await sharedServer('postgres', startPostgres);
  const { port } = state;
  const running: RunningPostgres = {
    port,
    user: USER,
    password: PASSWORD,
    createDatabase: () => createTestDatabase(() => running.connect('postgres')),
    url: (database) =>
      `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${database}?sslmode=disable`,
    keywords: (database) =>
      `host=127.0.0.1 port=${port} user=${USER} password='${PASSWORD.replaceAll("'", "\\'")}' dbname=${database} sslmode=disable`,
    async connect(database) {
      const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database });
      await client.connect();
      return client;
    },
  };
  return running;
}

async function startPostgres(): Promise<SharedServerState> {
  const bin = postgresBin();
  const dir = await mkdtemp(path.join(tmpdir(), 'checkup-postgres-'));
  const owner = process.getuid?.() === 0 ? await idsOf('postgres') : {};
  if (owner.uid !== undefined) await chown(dir, owner.uid, owner.gid as number);
  const pwfile = path.join(dir, 'password');
  await writeFile(pwfile, `${PASSWORD}\n`);
  if (owner.uid !== undefined) await chown(pwfile, owner.uid, owner.gid as number);
  const data = path.join(dir, 'data');
  await runProgram(
    path.join(bin, 'initdb'),
    [
      '-D',
      data,
      '-U',
      USER,
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '-E',
      'UTF8',
      '--no-sync',
      '--no-instructions',
    ],
    { ...owner, cwd: dir },
  );
  const { child, port } = await startDatabaseOnFreePort({
    name: 'PostgreSQL',
    dir,
    spawnOn: (port, output) =>
      spawn(
        path.join(bin, 'postgres'),
        [
          '-D',
          data,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          `unix_socket_directories=${dir}`,
          // Test data: nothing needs to survive a crash of the machine.
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
          '-c',
          'max_connections=200',
        ],
        { ...owner, cwd: dir, detached: true, stdio: ['ignore', output, output] },
      ),
    logIn: async (port) => {
      const client = new pg.Client({
        host: '127.0.0.1',
        port,
        user: USER,
        password: PASSWORD,
        database: 'postgres',
      });
      await client.connect();
      await client.end();
    },
  });
  return { pid: child.pid as number, port, dirs: [dir], stopSignal: 'SIGINT', extra: {} };
}

/** The newest Debian PostgreSQL's programs (/usr/lib/postgresql/<major>/bin). */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL is not installed: apt-get install postgresql (.ci/run does)');
  return path.join(root, newest, 'bin');
}

async function idsOf(user: string): Promise<{ uid?: number; gid?: number }> {
  const uid = Number((await runProgram('id', ['-u', user])).trim());
  const gid = Number((await runProgram('id', ['-g', user])).trim());
  return { uid, gid };
}
