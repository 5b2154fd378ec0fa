import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMODB_ALERT_STATE_KEY } from '../../../adapters/alerts/alert-state-store-from-config.js';
import { DynamoDbAlertStateStore } from '../../../adapters/alerts/dynamodb-alert-state-store.js';
import { createNotifiers } from '../../../adapters/notifiers/create-notifiers.js';
import { emptyAlertState } from '../../../core/alerts/alert-state.js';
import { AlertStateConflictError } from '../../../core/alerts/alert-state-store.js';
import { processRun, updateAlertState } from '../../../core/alerts/process-run.js';
import { validateConfig } from '../../../core/config/parse-config.js';
import { type RunningDynalite, startDynalite } from '../../helpers/dynalite.js';
import { startRecordingServer } from '../../helpers/recording-server.js';
import { minute, resultAt } from '../../helpers/results.js';

let dynalite: RunningDynalite;
let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = dynalite.client();
});
afterAll(() => dynalite.close());

/** A fresh table with checkup's key schema (pk, sk), and a store for the alert state item in it. */
async function freshStore(): Promise<() => DynamoDbAlertStateStore> {
  const table = await dynalite.createTable(`checkup-alerts-${++tables}`);
  return () => new DynamoDbAlertStateStore({ client, table, key: DYNAMODB_ALERT_STATE_KEY });
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
