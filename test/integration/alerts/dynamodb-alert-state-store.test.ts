import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMODB_ALERT_STATE_KEY } from '../../../adapters/alerts/alert-state-store-from-config.js';
import { DynamoDbAlertStateStore } from '../../../adapters/alerts/dynamodb-alert-state-store.js';
import { emptyAlertState } from '../../../core/alerts/alert-state.js';
import { AlertStateConflictError } from '../../../core/alerts/alert-state-store.js';
import { raceNotifiers, raceWriters, stateNamed } from '../../helpers/alert-state-races.js';
import { type RunningDynalite, startDynalite } from '../../helpers/dynalite.js';

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
    const { writers, loaded } = await raceWriters(await freshStore(), 8);
    const { state, version } = loaded;
    expect(Object.keys(state.endpoints).sort()).toEqual(writers);
    expect(version).toBe('8');
  });

  it('alerts once when two notify functions process the same run at once', async () => {
    expect(await raceNotifiers(await freshStore())).toHaveLength(1);
  });
});
