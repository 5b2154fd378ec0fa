import { runDdl } from './sql-catalog.js';
import { digitsOf, isDuplicateKey, isMissingTable, type SqlClient, textOf } from './sql-client.js';
import { DOCUMENTS_TABLE, documentsTableStatements } from './sql-schema.js';

/** A stored document: its text and the version a compare-and-swap write must name. */
export interface StoredDocument {
  body: string;
  version: string;
}

/**
 * Named documents in the table `checkup_documents` (name, body, version), written by
 * compare-and-swap: a write names the version it read and succeeds only if that version is still
 * the stored one, so concurrent writers never overwrite each other unseen. The table is created
 * on the first write when missing: it is ours, and checkup's queries never look at it.
 */
export class SqlDocuments {
  readonly #client: SqlClient;

  constructor(client: SqlClient) {
    this.#client = client;
  }

  /** Where a document is, for messages. */
  where(name: string): string {
    return `the document ${name} in ${DOCUMENTS_TABLE} (${this.#client.location})`;
  }

  async read(name: string): Promise<StoredDocument | undefined> {
    const rows = await this.#select('SELECT body, version FROM checkup_documents WHERE name = ?', name);
    const row = rows[0];
    if (!row) return undefined;
    return { body: textOf(row.body) ?? '', version: digitsOf(row.version) };
  }

  /** The stored version alone (cheap: no body), or undefined when there is no such document. */
  async version(name: string): Promise<string | undefined> {
    const row = (await this.#select('SELECT version FROM checkup_documents WHERE name = ?', name))[0];
    return row ? digitsOf(row.version) : undefined;
  }

  /**
   * Writes `body` if the stored version is still `expected` (undefined: if there is no such
   * document yet). Resolves to the new version, or undefined when another writer got there first.
   */
  async write(name: string, body: string, expected: string | undefined): Promise<string | undefined> {
    try {
      return await this.#write(name, body, expected);
    } catch (error) {
      if (!isMissingTable(error)) throw error;
      await runDdl(this.#client, documentsTableStatements(this.#client.dialect));
      return this.#write(name, body, expected);
    }
  }

  /**
   * Writes `body` whatever is stored (the last writer wins, in one upsert): for the page
   * documents, which are drawn from the summary and never merged.
   */
  async put(name: string, body: string): Promise<void> {
    const upsert =
      this.#client.dialect === 'mysql'
        ? 'INSERT INTO checkup_documents (name, body, version) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE body = VALUES(body), version = version + 1'
        : 'INSERT INTO checkup_documents (name, body, version) VALUES (?, ?, 1) ON CONFLICT (name) DO UPDATE SET body = excluded.body, version = checkup_documents.version + 1';
    try {
      await this.#client.run(upsert, [name, body]);
    } catch (error) {
      if (!isMissingTable(error)) throw error;
      await runDdl(this.#client, documentsTableStatements(this.#client.dialect));
      await this.#client.run(upsert, [name, body]);
    }
  }

  /** Deletes a document; one already gone (or no table yet) is fine. */
  async delete(name: string): Promise<void> {
    try {
      await this.#client.run('DELETE FROM checkup_documents WHERE name = ?', [name]);
    } catch (error) {
      if (!isMissingTable(error)) throw error;
    }
  }

  async #write(name: string, body: string, expected: string | undefined): Promise<string | undefined> {
    if (expected === undefined) {
      try {
        await this.#client.run('INSERT INTO checkup_documents (name, body, version) VALUES (?, ?, ?)', [
          name,
          body,
          1,
        ]);
        return '1';
      } catch (error) {
        if (isDuplicateKey(error)) return undefined;
        throw error;
      }
    }
    const next = BigInt(expected) + 1n;
    const changed = await this.#client.run(
      'UPDATE checkup_documents SET body = ?, version = ? WHERE name = ? AND version = ?',
      [body, next, name, BigInt(expected)],
    );
    return changed === 1 ? next.toString() : undefined;
  }

  /** A read before the first write ever made the table: no document yet. */
  async #select(sql: string, name: string) {
    try {
      return await this.#client.query(sql, [name]);
    } catch (error) {
      if (isMissingTable(error)) return [];
      throw error;
    }
  }
}
