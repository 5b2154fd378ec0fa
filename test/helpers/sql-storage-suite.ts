import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqlAlertStateStore } from '../../adapters/alerts/sql-alert-state-store.js';
import { openSqlClient } from '../../adapters/sql/open-sql-client.js';
import type { SqlClient } from '../../adapters/sql/sql-client.js';
import { SqlDocuments } from '../../adapters/sql/sql-documents.js';
import { createStorage } from '../../adapters/storage/create-storage.js';
import { SqlStorage, type SqlStorageOptions } from '../../adapters/storage/sql-storage.js';
import { emptyAlertState } from '../../core/alerts/alert-state.js';
import { AlertStateConflictError } from '../../core/alerts/alert-state-store.js';
import { updateAlertState } from '../../core/alerts/process-run.js';
import { parseResults, stringifyResults } from '../../core/result-json.js';
import { runFileName } from '../../core/storage.js';
import { isPageDocumentName } from '../../core/summary/page-document-types.js';
import { isStateName } from '../../core/summary/summary-state-types.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { ns, result } from './make-runs.js';
import { startRecordingServer } from './recording-server.js';
import { runCli } from './run-cli.js';
import { startHttpServer } from './servers.js';
import type { SqlBackend, SqlTestDatabase } from './sql-backends.js';
import { startServe } from './start-serve.js';
import { makeProject, makeTempDir, removeTempDirs } from './temp-dir.js';

const T0 = ns('2026-11-24T10:00:00Z');
const MINUTE = 60e9;
const DAY = 86_400e9;

/** Two runs checkup (Go) wrote, with the times its clock gave their rows (its fs index.json). */
const GO_DIR = new URL('../fixtures/checkup-go-fs/', import.meta.url);
const GO_ROWS = [
  { name: '1796011988992071555-check.json', timestamp: 1796011988992486613n },
  { name: '1796011990423503353-check.json', timestamp: 1796011990423887626n },
];

function timestampLiterals(text: string): string[] {
  return [...text.matchAll(/"timestamp"\s*:\s*(-?\d+)/g)].map((match) => match[1] as string);
}

function checksOf(summary: StatusSummary | undefined, title: string): number {
  const endpoint = summary?.endpoints.find((candidate) => candidate.title === title);
  return endpoint?.days.reduce((sum, day) => sum + day.checks, 0) ?? 0;
}

/**
 * What every SQL storage must do, against a real database of its kind: checkup's table both
 * ways, ranges on the time index, expiry, writers racing, the summary and the alert state in the
 * documents table, and the built `checkup` storing, reading, provisioning and serving.
 */
export function describeSqlStorage(backend: SqlBackend): void {
  const opened: Array<SqlClient | SqlTestDatabase> = [];

  async function fresh(): Promise<SqlTestDatabase> {
    const database = await backend.fresh();
    opened.push(database);
    return database;
  }

  async function storageOn(
    database: SqlTestDatabase,
    options: Omit<SqlStorageOptions, 'client'> = {},
  ): Promise<SqlStorage> {
    const config = database.storage({ create: options.create ?? true });
    const client = await openSqlClient(config, { create: true });
    opened.push(client);
    return new SqlStorage({ client, create: true, ...options });
  }

  beforeAll(async () => {
    // The first database of the run starts the server: timed in the report, not here.
    opened.push(await backend.fresh());
  }, 120_000);
  afterEach(async () => {
    await Promise.all(opened.splice(1).map((item) => item.close()));
    await removeTempDirs();
  });
  afterAll(async () => {
    await Promise.all(opened.splice(0).map((item) => item.close()));
  });

  describe(`${backend.type} storage`, () => {
    it('stores runs in checks and lists those in a time range, oldest first', async () => {
      const storage = await storageOn(await fresh());
      for (let i = 0; i < 5; i += 1) await storage.store([result('API', T0 + i * MINUTE, 'healthy', 10 + i)]);
      expect(await storage.read(runFileName(T0 + 2 * MINUTE))).toEqual([
        result('API', T0 + 2 * MINUTE, 'healthy', 12),
      ]);
      const range = await storage.list({ since: T0 + MINUTE, until: T0 + 3 * MINUTE });
      expect(range.map((run) => run.name)).toEqual([1, 2, 3].map((i) => runFileName(T0 + i * MINUTE)));
      expect(await storage.list({ since: T0 + MINUTE + 1e3, until: T0 + 2 * MINUTE - 1e3 })).toEqual([]);
    });

    it('reads back the rows checkup wrote, digit for digit, and lists them at the times checkup gave them', async () => {
      const database = await fresh();
      const storage = await storageOn(database, { now: () => Number(GO_ROWS[1]?.timestamp) });
      await storage.list(); // creates checkup's table (create: true), as checkup's first connection did
      for (const row of GO_ROWS)
        await database.insertAsCheckup(
          row.name,
          row.timestamp,
          await readFile(new URL(row.name, GO_DIR), 'utf8'),
        );
      const listed = await storage.list();
      expect(listed.map((run) => [run.name, BigInt(run.timestamp) / 1000n])).toEqual(
        GO_ROWS.map((row) => [row.name, row.timestamp / 1000n]),
      );
      for (const row of GO_ROWS)
        expect(stringifyResults(await storage.read(row.name))).toBe(
          (await readFile(new URL(row.name, GO_DIR), 'utf8')).trimEnd(),
        );
      const history = await storage.history('Slow API');
      expect(timestampLiterals(stringifyResults(history))).toEqual([
        '1796011988857571765',
        '1796011990298895829',
      ]);
      const summary = await storage.rebuildSummary();
      expect(summary.recentRuns).toEqual(GO_ROWS.map((row) => row.name).reverse());
    });

    it("writes rows that checkup's own queries read: name, int64 timestamp, the results array", async () => {
      const database = await fresh();
      const storage = await storageOn(database, { now: () => T0 });
      const text = await readFile(new URL(GO_ROWS[0]?.name as string, GO_DIR), 'utf8');
      const ref = await storage.store(parseResults(text));
      const digits = timestampLiterals(text)[0] as string;
      expect(ref.name).toBe(`${digits}-check.json`);
      const index = await database.query('SELECT name,timestamp FROM checks');
      expect(index.map((row) => [row.name, String(row.timestamp)])).toEqual([[ref.name, digits]]);
      const [row] = await database.query('SELECT results FROM checks WHERE name=?', [ref.name]);
      expect(Buffer.from(row?.results as string).toString('utf8')).toBe(text.trimEnd());
    });

    it('moves a second run of the same nanosecond one ns on, as the unique index demands', async () => {
      const storage = await storageOn(await fresh(), { summaries: false });
      const first = await storage.store([result('API', T0)]);
      const second = await storage.store([result('Web', T0)]);
      expect(second.name).toBe(`${BigInt(first.name.split('-')[0] as string) + 1n}-check.json`);
      expect((await storage.read(second.name))[0]?.title).toBe('Web');
    });

    it('answers the history of one endpoint between two times from the runs in range', async () => {
      const storage = await storageOn(await fresh(), { summaries: false });
      for (let i = 0; i < 6; i += 1)
        await storage.store([
          result('API', T0 + i * MINUTE, i === 3 ? 'down' : 'healthy'),
          result('Web', T0 + i * MINUTE),
        ]);
      const history = await storage.history('API', { since: T0 + 2 * MINUTE, until: T0 + 4 * MINUTE });
      expect(history.map((item) => [item.title, item.timestamp, item.down === true])).toEqual([
        ['API', T0 + 2 * MINUTE, false],
        ['API', T0 + 3 * MINUTE, true],
        ['API', T0 + 4 * MINUTE, false],
      ]);
    });

    it('deletes runs older than check_expiry on every store', async () => {
      let now = T0;
      const storage = await storageOn(await fresh(), {
        checkExpiryNs: 7 * DAY,
        now: () => now,
        summaries: false,
      });
      await storage.store([result('API', T0)]);
      now = T0 + 8 * DAY;
      await storage.store([result('API', now)]);
      expect((await storage.list()).map((run) => run.name)).toEqual([runFileName(now)]);
    });

    it('keeps the summary and the alert state out of checks, where checkup would read them as runs', async () => {
      const database = await fresh();
      const storage = await storageOn(database, { now: () => T0 });
      await storage.store([result('API', T0)]);
      const client = await openSqlClient(database.storage(), { create: false });
      opened.push(client);
      await new SqlAlertStateStore(new SqlDocuments(client)).save(emptyAlertState(), undefined);
      expect((await database.query('SELECT name FROM checks')).map((row) => row.name)).toEqual([
        runFileName(T0),
      ]);
      const documents = await database.query('SELECT name, version FROM checkup_documents ORDER BY name');
      // Besides the page documents drawn from the summary (overview.json, recent/...), no others.
      expect(
        documents
          .filter((row) => !isPageDocumentName(String(row.name)) && !isStateName(String(row.name)))
          .map((row) => [row.name, String(row.version)]),
      ).toEqual([
        ['alert-state.json', '1'],
        ['summary.json', '1'],
      ]);
      expect(documents.map((row) => row.name)).toContain('overview.json');
      expect(documents.filter((row) => isStateName(String(row.name)))).toHaveLength(1);
      expect(checksOf(await storage.readSummary(), 'API')).toBe(1);
    });

    it('loses no run from the summary when many writers, each with its own connection, store at once', async () => {
      const database = await fresh();
      await (await storageOn(database)).list();
      const names: string[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async (_, writer) => {
          const storage = await storageOn(database, { now: () => T0 });
          for (let i = 0; i < 5; i += 1) {
            const at = T0 + (writer * 5 + i) * 1e6;
            names.push((await storage.store([result('API', at), result('Web', at)])).name);
          }
        }),
      );
      const summary = await (await storageOn(database)).readSummary();
      expect(summary?.writer?.applied.slice().sort()).toEqual(names.slice().sort());
      expect(checksOf(summary, 'API')).toBe(40);
      expect(checksOf(summary, 'Web')).toBe(40);
    }, 120_000);

    it('rebuilds the summary from the runs to what storing them made', async () => {
      const storage = await storageOn(await fresh(), { now: () => T0 });
      for (let i = 0; i < 4; i += 1)
        await storage.store([result('API', T0 + i * MINUTE, i === 2 ? 'down' : 'healthy')]);
      const stored = await storage.readSummary();
      const rebuilt = await storage.rebuildSummary();
      expect(rebuilt.endpoints).toEqual(stored?.endpoints);
      expect(rebuilt.timeline).toEqual(stored?.timeline);
    });

    it('saves the alert state only over the version it read, and loses no update when many writers race', async () => {
      const database = await fresh();
      const make = async () => {
        const client = await openSqlClient(database.storage(), { create: true });
        opened.push(client);
        return new SqlAlertStateStore(new SqlDocuments(client));
      };
      const store = await make();
      expect(await store.load()).toEqual({ state: emptyAlertState(), version: undefined });
      const first = await store.save(emptyAlertState(), undefined);
      await store.save(emptyAlertState(), first);
      await expect(store.save(emptyAlertState(), first)).rejects.toBeInstanceOf(AlertStateConflictError);
      await expect(store.save(emptyAlertState(), undefined)).rejects.toBeInstanceOf(AlertStateConflictError);
      const writers = Array.from({ length: 8 }, (_, n) => `endpoint-${n}`);
      const stores = await Promise.all(writers.map(() => make()));
      await Promise.all(
        writers.map((title, n) =>
          updateAlertState(stores[n] as SqlAlertStateStore, (state) => ({
            state: {
              ...state,
              endpoints: {
                ...state.endpoints,
                [title]: { status: 'down', since: 1, count: 1, lastRun: 1, notifiers: {} },
              },
            },
            value: undefined,
          })),
        ),
      );
      const { state, version } = await store.load();
      expect(Object.keys(state.endpoints).sort()).toEqual(writers);
      expect(version).toBe('10');
    }, 60_000);

    it('reads and writes the same table through every form of config that names the database', async () => {
      const database = await fresh();
      const first = await storageOn(database, { summaries: false });
      await first.store([result('API', T0)]);
      for (const [index, config] of database.otherForms.entries()) {
        const storage = createStorage(config);
        expect((await storage.list()).length).toBe(index + 1);
        await storage.store([result('API', T0 + (index + 1) * MINUTE)]);
      }
      expect((await first.list()).length).toBe(database.otherForms.length + 1);
    });

    it('opens a connection anew after the server ended it, as after a database restart', async () => {
      const database = await fresh();
      const storage = await storageOn(database, { summaries: false });
      await storage.store([result('API', T0)]);
      await database.dropConnections();
      // The next statement may be the one that finds its connection gone; the one after it works.
      await storage.list().catch(() => undefined);
      await storage.store([result('API', T0 + MINUTE)]);
      expect((await storage.list()).length).toBe(2);
    });

    it('says what to do when the table checks is missing and create is off', async () => {
      const database = await fresh();
      const config = database.storage({ create: false });
      const client = await openSqlClient(config, { create: true });
      opened.push(client);
      const storage = new SqlStorage({ client, create: false });
      await expect(storage.store([result('API', T0)])).rejects.toThrow(
        /there is no table checks: set "create": true in storage, or run "checkup provision"/,
      );
    });
  });

  describe(`checkup with ${backend.type} storage, as a process`, () => {
    const site = { close: async () => {}, url: '' };
    beforeAll(async () => {
      const server = await startHttpServer((_request, response) => response.end('ok'));
      Object.assign(site, server);
    });
    afterAll(() => site.close());

    it('provisions the tables, then stores from several processes at once and answers history', async () => {
      const database = await fresh();
      const project = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Local', endpoint_url: site.url }],
        storage: database.storage({ create: false }),
      });
      const provisioned = await runCli(['provision'], project);
      expect(provisioned.code, provisioned.stderr).toBe(0);
      expect(provisioned.stdout).toContain(`storage: ${backend.type}\n  `);
      expect(provisioned.stdout).toMatch(/created the table checks .*with a unique index on timestamp/);
      expect(provisioned.stdout).toContain('created the table checkup_documents');
      const again = await runCli(['provision'], project);
      expect(again.stdout).toContain('the table checks already exists');
      expect(again.stdout).toContain('the index on checks.timestamp is in place');

      const stores = await Promise.all([1, 2, 3, 4].map(() => runCli(['--store'], project)));
      expect(stores.map((outcome) => (outcome.code === 0 ? 0 : outcome.stderr))).toEqual([0, 0, 0, 0]);
      const history = await runCli(['history', 'Local', '--json'], project);
      expect(history.code, history.stderr).toBe(0);
      expect((JSON.parse(history.stdout) as unknown[]).length).toBe(4);
      expect((await database.query('SELECT name FROM checks')).length).toBe(4);
      // summary.json is the root; the endpoints are in the block states it points to.
      expect(checksOf(await (await storageOn(database)).readSummary(), 'Local')).toBe(4);
    }, 60_000);

    it('alerts once on a change, keeping the alert state in the database between processes', async () => {
      const hook = await startRecordingServer();
      const down = await startHttpServer((_request, response) => {
        response.statusCode = 500;
        response.end('down');
      });
      try {
        const database = await fresh();
        const project = await makeProject({
          checkers: [{ type: 'http', endpoint_name: 'Shop', endpoint_url: down.url }],
          storage: database.storage({ create: true }),
          notifiers: [{ type: 'webhook', url: hook.url }],
        });
        for (let i = 0; i < 2; i += 1) expect((await runCli(['--store'], project)).code).toBe(1);
        expect(hook.requests).toHaveLength(1);
        const [state] = await database.query(
          "SELECT body FROM checkup_documents WHERE name = 'alert-state.json'",
        );
        expect(Object.keys((JSON.parse(String(state?.body)) as { endpoints: object }).endpoints)).toEqual([
          'Shop',
        ]);
      } finally {
        await Promise.all([hook.close(), down.close()]);
      }
    }, 60_000);

    it('rebuilds the summary with "summaries rebuild" and serves it to the page', async () => {
      const database = await fresh();
      const project = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Local', endpoint_url: site.url }],
        storage: database.storage({ create: true }),
      });
      for (let i = 0; i < 2; i += 1) expect((await runCli(['--store'], project)).code).toBe(0);
      await database.query("DELETE FROM checkup_documents WHERE name = 'summary.json'");
      const rebuilt = await runCli(['summaries', 'rebuild'], project);
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      const serve = await startServe(await makeTempDir(), { storage: database.storage({ create: false }) });
      try {
        const page = (await (await fetch(`${serve.url}/data/summary.json`)).json()) as StatusSummary;
        expect(checksOf(page, 'Local')).toBe(2);
        const run = page.recentRuns[0] as string;
        const results = (await (await fetch(`${serve.url}/data/runs/${run}`)).json()) as Array<{
          title: string;
        }>;
        expect(results.map((item) => item.title)).toEqual(['Local']);
      } finally {
        await serve.stop();
      }
    }, 60_000);

    it('refuses a DSN it cannot read with exit 2, naming storage.dsn, and never echoes the password', async () => {
      const bad =
        backend.type === 'postgres'
          ? 'host=127.0.0.1 password=hunter2 dbname'
          : backend.type === 'mysql'
            ? 'checkup:hunter2@udp(127.0.0.1)/checkup'
            : '';
      const project = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Local', endpoint_url: site.url }],
        storage: { type: backend.type, dsn: bad },
      });
      const outcome = await runCli(['--store'], project);
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain('checkup.json: storage.dsn: ');
      expect(outcome.stderr).not.toContain('hunter2');
    });
  });
}

export const FIXTURES_DIR = fileURLToPath(GO_DIR);
