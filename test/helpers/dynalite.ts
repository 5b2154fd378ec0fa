import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { resultsTableDefinition } from '../../adapters/storage/dynamodb-storage.js';

/** Dummy credentials; dynalite does not check them. */
export const DYNALITE_CREDENTIALS = { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' };

export interface RunningDynalite {
  endpoint: string;
  client(options?: { endpoint?: string }): DynamoDBClient;
  /** Creates a table with checkup's key schema and returns its name. */
  createTable(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts dynalite (in memory) on 127.0.0.1, port 0. */
export async function startDynalite(): Promise<RunningDynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];
  const make = (options: { endpoint?: string } = {}) => {
    const client = new DynamoDBClient({
      endpoint: options.endpoint ?? endpoint,
      region: 'us-east-1',
      credentials: DYNALITE_CREDENTIALS,
    });
    clients.push(client);
    return client;
  };
  const admin = make();
  return {
    endpoint,
    client: make,
    async createTable(name) {
      await admin.send(new CreateTableCommand(resultsTableDefinition(name)));
      return name;
    },
    async close() {
      for (const client of clients) client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
