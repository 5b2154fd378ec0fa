import { describe, expect, it } from 'vitest';
import { createStorage } from '../../adapters/storage/create-storage.js';
import { usePostgres } from '../helpers/postgres-server.js';
import { postgresBackend } from '../helpers/sql-backends.js';
import { describeSqlStorage } from '../helpers/sql-storage-suite.js';

describeSqlStorage(postgresBackend);

describe('postgres storage, as checkup configured it', () => {
  it('requires TLS when the DSN names no sslmode, as lib/pq did, and says how to turn it off', async () => {
    const server = await usePostgres();
    const database = await server.createDatabase();
    const dsn = server.url(database).replace('?sslmode=disable', '');
    const storage = createStorage({ type: 'postgres', dsn, create: true });
    await expect(storage.list()).rejects.toThrow(
      /does not offer TLS, and sslmode is require \(checkup's default\): add sslmode=disable to storage.dsn/,
    );
  });
});
