import type { SqlDialect } from './sql-client.js';

/** checkup's table of runs: its name, its queries and its `create` key all use it. */
export const CHECKS_TABLE = 'checks';
/** checkup's index on the run time, which also serves history queries by time range. */
export const CHECKS_TIME_INDEX = 'idx_checks_timestamp';
/**
 * Our documents (the page's summary, the alert state): a table of its own, so checkup's queries
 * on `checks` never meet a row that is not a run. Any number of named documents, each with a
 * version for compare-and-swap writes.
 */
export const DOCUMENTS_TABLE = 'checkup_documents';

/**
 * checkup's own DDL for `checks` in each dialect, as its `create` key ran it, so a table made
 * here is the table checkup makes. One change: on MySQL `results` is MEDIUMTEXT (16 MB) where
 * checkup had TEXT (64 KB, about 200 endpoints a run); checkup reads and writes either.
 */
export function checksTableStatements(dialect: SqlDialect): string[] {
  if (dialect === 'mysql')
    return [
      'CREATE TABLE IF NOT EXISTS `checks` (`name` VARCHAR(512) NOT NULL, `timestamp` BIGINT NOT NULL, `results` MEDIUMTEXT NULL, PRIMARY KEY (`name`), UNIQUE (`timestamp`)) ENGINE = InnoDB',
    ];
  return [
    'CREATE TABLE IF NOT EXISTS checks (\n    name TEXT NOT NULL PRIMARY KEY,\n    timestamp INT8 NOT NULL,\n    results TEXT\n)',
    `CREATE UNIQUE INDEX IF NOT EXISTS ${CHECKS_TIME_INDEX} ON checks(timestamp)`,
  ];
}

/** The documents table: name, body (JSON text) and version (1, 2, ... for compare-and-swap). */
export function documentsTableStatements(dialect: SqlDialect): string[] {
  if (dialect === 'mysql')
    return [
      `CREATE TABLE IF NOT EXISTS \`${DOCUMENTS_TABLE}\` (\`name\` VARCHAR(255) NOT NULL, \`body\` LONGTEXT NOT NULL, \`version\` BIGINT NOT NULL, PRIMARY KEY (\`name\`)) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4`,
    ];
  return [
    `CREATE TABLE IF NOT EXISTS ${DOCUMENTS_TABLE} (\n    name TEXT NOT NULL PRIMARY KEY,\n    body TEXT NOT NULL,\n    version BIGINT NOT NULL\n)`,
  ];
}
