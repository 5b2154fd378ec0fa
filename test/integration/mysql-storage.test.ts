import { describe, expect, it } from 'vitest';
import { createStorage } from '../../adapters/storage/create-storage.js';
import { provisionStorage } from '../../adapters/storage/provision-storage.js';
import { ns, result } from '../helpers/make-runs.js';
import { useMariadb } from '../helpers/mariadb-server.js';
import { mysqlBackend } from '../helpers/sql-backends.js';
import { describeSqlStorage } from '../helpers/sql-storage-suite.js';

describeSqlStorage(mysqlBackend);

describe('mysql storage in a table checkup created', () => {
  it('refuses a run too long for its TEXT column instead of cutting it, and provision says how to widen it', async () => {
    const server = await useMariadb();
    const database = await server.createDatabase();
    const connection = await server.connect(database);
    try {
      // checkup's own DDL (storage/mysql/types.go): results is TEXT, at most 64 KB.
      await connection.query(
        'CREATE TABLE IF NOT EXISTS `checks` (`name` VARCHAR(512) NOT NULL, `timestamp` BIGINT NOT NULL, `results` TEXT NULL, PRIMARY KEY (`name`), UNIQUE (`timestamp`)) ENGINE = InnoDB;',
      );
      const config = { type: 'mysql', dsn: server.dsn(database) } as const;
      const long = result('API', ns('2026-11-24T10:00:00Z'), 'healthy', 10, { message: 'x'.repeat(70_000) });
      await expect(createStorage(config).store([long])).rejects.toThrow(/Data too long for column 'results'/);
      const [rows] = await connection.query('SELECT name FROM checks');
      expect(rows).toEqual([]);
      const report = await provisionStorage(config);
      expect(report.notices).toEqual([
        expect.stringContaining('ALTER TABLE checks MODIFY results MEDIUMTEXT'),
      ]);
    } finally {
      await connection.end();
    }
  });
});
