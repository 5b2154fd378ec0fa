import { existsSync } from 'node:fs';
import path from 'node:path';
import { sqliteFileOfDsn } from '../../core/config/sqlite-dsn.js';
import type { SqlStorageTypeConfig } from '../../core/config/storage-schemas.js';
import { openSqlClient } from '../sql/open-sql-client.js';
import { columnType, hasIndexOn, runDdl, tableExists } from '../sql/sql-catalog.js';
import {
  CHECKS_TABLE,
  CHECKS_TIME_INDEX,
  checksTableStatements,
  DOCUMENTS_TABLE,
  documentsTableStatements,
} from '../sql/sql-schema.js';
import type { ProvisionReport } from './provision-report.js';

/**
 * What SQL storage needs: the SQLite file, checkup's table `checks` with its unique index on
 * `timestamp` (history by time range reads that index), and our documents table. A `checks`
 * that exists is left as it is, but for the index when it lacks one.
 */
export async function provisionSql(config: SqlStorageTypeConfig): Promise<ProvisionReport> {
  const report: ProvisionReport = {
    done: [],
    notices: [],
    next: ['Store runs with "checkup --store" or "checkup every 1m"; "checkup serve" shows the page.'],
  };
  const file = sqliteFile(config);
  const fileExisted = file !== undefined && existsSync(file);
  const client = await openSqlClient(config, { create: true });
  try {
    if (file !== undefined && !fileExisted) report.done.push(`created the SQLite file ${path.resolve(file)}`);
    const where = client.location;
    if (await tableExists(client, CHECKS_TABLE)) {
      report.done.push(`the table ${CHECKS_TABLE} already exists in ${where}`);
      if (await hasIndexOn(client, CHECKS_TABLE, 'timestamp'))
        report.done.push(`the index on ${CHECKS_TABLE}.timestamp is in place`);
      else await addTimeIndex(client, report);
    } else {
      await runDdl(client, checksTableStatements(client.dialect));
      report.done.push(
        `created the table ${CHECKS_TABLE} (name, timestamp, results) in ${where}, with a unique index on timestamp`,
      );
    }
    if (client.dialect === 'mysql' && (await columnType(client, CHECKS_TABLE, 'results')) === 'text')
      report.notices.push(
        `${CHECKS_TABLE}.results is TEXT, as checkup made it: a run over 64 KB (some 200 endpoints) cannot be stored; "ALTER TABLE checks MODIFY results MEDIUMTEXT" lifts that, and checkup reads either`,
      );
    const documentsExisted = await tableExists(client, DOCUMENTS_TABLE);
    await runDdl(client, documentsTableStatements(client.dialect));
    report.done.push(
      documentsExisted
        ? `the table ${DOCUMENTS_TABLE} already exists`
        : `created the table ${DOCUMENTS_TABLE} (the page's summary and the alert state; checkup never reads it)`,
    );
    return report;
  } finally {
    await client.close();
  }
}

/** checkup's unique index, added to a `checks` made without it; duplicates in it stop that. */
async function addTimeIndex(client: Awaited<ReturnType<typeof openSqlClient>>, report: ProvisionReport) {
  const statement =
    client.dialect === 'mysql'
      ? `CREATE UNIQUE INDEX ${CHECKS_TIME_INDEX} ON checks(timestamp)`
      : `CREATE UNIQUE INDEX IF NOT EXISTS ${CHECKS_TIME_INDEX} ON checks(timestamp)`;
  try {
    await client.run(statement);
    report.done.push(`created the unique index ${CHECKS_TIME_INDEX} on ${CHECKS_TABLE}.timestamp`);
  } catch (error) {
    report.notices.push(
      `could not add checkup's unique index on ${CHECKS_TABLE}.timestamp (${(error as Error).message}): history reads scan the whole table`,
    );
  }
}

function sqliteFile(config: SqlStorageTypeConfig): string | undefined {
  if (config.type === 'sqlite3') return sqliteFileOfDsn(config.dsn);
  if (config.type === 'sql') return config.sqlite_db_file;
  return undefined;
}
