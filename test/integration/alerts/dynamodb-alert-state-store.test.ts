import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAlertStateStore } from '../../../adapters/alerts/dynamodb-alert-state-store.js';
import { createNotifiers } from '../../../adapters/notifiers/create-notifiers.js';
import { emptyAlertState } from '../../../core/alerts/alert-state.js';
import { AlertStateConflictError } from '../../../core/alerts/alert-state-store.js';
import { processRun, updateAlertState } from '../../../core/alerts/process-run.js';
import { validateConfig } from '../../../core/config/parse-config.js';
import { startRecordingServer } from '../../helpers/recording-server.js';
import { minute, resultAt } from '../../helpers/results.js';

// dynalite ships no types: it is a function returning an http.Server.
const dynalite = createRequire(import.meta.url)('dynalite') as (options: { createTableMs: number }) => Server;

let server: Server;
let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

/** A fresh table keyed like a single-table design (pk, sk), and a store for one item in it. */
async function freshStore(): Promise<() => DynamoDbAlertStateStore> {
  const table = `checkup-${++tables}`;
  await client.send(
    new CreateTableCommand({
      TableName: table,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return () =>
    new DynamoDbAlertStateStore({ client, table, key: { pk: { S: 'alerts' }, sk: { S: 'state' } } });
}

function stateNamed(title: string) {
  const state = emptyAlertState();
  state.endpoints[title] = { status: 'down', since: 1, count: 1, lastRun: 1, notifiers: {} };
  return state;
}

describe('DynamoDbAlertStateStore (dynalite)', () => {
  it('starts empty, reads back what was saved, and refuses a save based on a stale version', async () => {
    const store = (await freshStore())();
    expect(await store.load()).toEqual({ state: emptyAlertState(), version: undefined });
    const first = await store.save(stateNamed('A'), undefined);
    expect(await store.load()).toEqual({ state: stateNamed('A'), version: first });
    await store.save(stateNamed('B'), first);
    await expect(store.save(stateNamed('C'), first)).rejects.toBeInstanceOf(AlertStateConflictError);
    await expect(store.save(stateNamed('C'), undefined)).rejects.toBeInstanceOf(AlertStateConflictError);
    expect((await store.load()).state).toEqual(stateNamed('B'));
  });

  it('loses no update when many writers change the state at once', async () => {
    const make = await freshStore();
    const writers = Array.from({ length: 8 }, (_, n) => `endpoint-${n}`);
    await Promise.all(
      writers.map((title) =>
        updateAlertState(make(), (state) => ({
          state: { ...state, endpoints: { ...state.endpoints, ...stateNamed(title).endpoints } },
          value: undefined,
        })),
      ),
    );
    const { state, version } = await make().load();
    expect(Object.keys(state.endpoints).sort()).toEqual(writers);
    expect(version).toBe('8');
  });

  it('alerts once when two notify functions process the same run at once', async () => {
    const hook = await startRecordingServer();
    try {
      const make = await freshStore();
      const config = validateConfig({ checkers: [], notifiers: [{ type: 'webhook', url: hook.url }] });
      const notifiers = await createNotifiers(config.notifiers);
      const run = [resultAt(minute(1), 'down')];
      await Promise.all([
        processRun(run, { stateStore: make(), notifiers }),
        processRun(run, { stateStore: make(), notifiers }),
      ]);
      expect(hook.requests).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });
});
