import { isCreateRace, type SqlClient } from './sql-client.js';

/** Whether the table exists in the database the client is connected to. */
export async function tableExists(client: SqlClient, table: string): Promise<boolean> {
  const rows = await client.query(
    client.dialect === 'sqlite'
      ? "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?"
      : client.dialect === 'postgres'
        ? 'SELECT 1 AS found FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?'
        : 'SELECT 1 AS found FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?',
    [table],
  );
  return rows.length > 0;
}

/** Whether some index of `table` starts with `column` (then a range on that column is indexed). */
export async function hasIndexOn(client: SqlClient, table: string, column: string): Promise<boolean> {
  const rows = await client.query(
    client.dialect === 'sqlite'
      ? 'SELECT 1 AS found FROM pragma_index_list(?) AS list JOIN pragma_index_info(list.name) AS info WHERE info.seqno = 0 AND info.name = ?'
      : client.dialect === 'postgres'
        ? 'SELECT 1 AS found FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = to_regclass(?) AND a.attname = ?'
        : 'SELECT 1 AS found FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND seq_in_index = 1 AND column_name = ?',
    [table, column],
  );
  return rows.length > 0;
}

/** The declared type of a column, lower case (`text`, `mediumtext`), or undefined when absent. */
export async function columnType(
  client: SqlClient,
  table: string,
  column: string,
): Promise<string | undefined> {
  const rows = await client.query(
    client.dialect === 'sqlite'
      ? 'SELECT type AS kind FROM pragma_table_info(?) WHERE name = ?'
      : client.dialect === 'postgres'
        ? 'SELECT data_type AS kind FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?'
        : 'SELECT data_type AS kind FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?',
    [table, column],
  );
  const kind = rows[0]?.kind;
  return kind === undefined
    ? undefined
    : String(Buffer.isBuffer(kind) ? kind.toString('utf8') : kind).toLowerCase();
}

/**
 * Runs CREATE ... IF NOT EXISTS statements. Two processes creating at once may make PostgreSQL
 * answer one of them with a duplicate in its catalog: that table exists then, as wanted.
 */
export async function runDdl(client: SqlClient, statements: readonly string[]): Promise<void> {
  for (const statement of statements) {
    try {
      await client.run(statement);
    } catch (error) {
      if (!isCreateRace(error)) throw error;
    }
  }
}
