import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3AlertStateStore } from '../../../adapters/alerts/s3-alert-state-store.js';
import { emptyAlertState } from '../../../core/alerts/alert-state.js';
import { AlertStateConflictError, type AlertStateStore } from '../../../core/alerts/alert-state-store.js';
import { updateAlertState } from '../../../core/alerts/process-run.js';
import { raceNotifiers, raceWriters, stateNamed } from '../../helpers/alert-state-races.js';
import { startS3ConditionalProxy } from '../../helpers/s3-conditional-proxy.js';
import { type RunningS3rver, startS3rver } from '../../helpers/s3rver.js';
import type { RunningServer } from '../../helpers/servers.js';

const BUCKET = 'checkup-results';
let s3rver: RunningS3rver;
let proxy: RunningServer;
let client: S3Client;
let objects = 0;

beforeAll(async () => {
  s3rver = await startS3rver([BUCKET]);
  proxy = await startS3ConditionalProxy(s3rver.endpoint);
  client = s3rver.client({ endpoint: proxy.url });
});
afterAll(async () => {
  await proxy.close();
  await s3rver.close();
});

function freshStore(): () => S3AlertStateStore {
  const key = `state-${++objects}/alert-state.json`;
  return () => new S3AlertStateStore({ client, bucket: BUCKET, key });
}

describe('S3AlertStateStore (s3rver, conditional writes)', () => {
  it('starts empty, reads back what was saved, and refuses a save based on a stale ETag', async () => {
    const store = freshStore()();
    expect(await store.load()).toEqual({ state: emptyAlertState(), version: undefined });
    const first = await store.save(stateNamed('A'), undefined);
    expect(await store.load()).toEqual({ state: stateNamed('A'), version: first });
    await store.save(stateNamed('B'), first);
    await expect(store.save(stateNamed('C'), first)).rejects.toBeInstanceOf(AlertStateConflictError);
    await expect(store.save(stateNamed('C'), undefined)).rejects.toBeInstanceOf(AlertStateConflictError);
    expect((await store.load()).state).toEqual(stateNamed('B'));
  });

  it('reads a state again while it looks cut off (s3rver writes in place), and names a state that stays cut off', async () => {
    const key = `torn-${++objects}/alert-state.json`;
    const store = new S3AlertStateStore({ client, bucket: BUCKET, key });
    const whole = JSON.stringify(stateNamed('A'));
    const put = (body: string) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    await put(whole.slice(0, 20));
    const loading = store.load();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await put(whole);
    expect((await loading).state).toEqual(stateNamed('A'));
    await put(whole.slice(0, 20));
    await expect(store.load()).rejects.toThrow(/torn-\d+\/alert-state.json: not valid JSON/);
  });

  it('takes a save over a state deleted meanwhile (S3: 404 NoSuchKey) as a conflict, and the update retries', async () => {
    const key = `deleted-${++objects}/alert-state.json`;
    const store = new S3AlertStateStore({ client, bucket: BUCKET, key });
    const version = await store.save(stateNamed('A'), undefined);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    await expect(store.save(stateNamed('B'), version)).rejects.toBeInstanceOf(AlertStateConflictError);
    // A writer that loaded the state just before it was deleted: its save conflicts, it loads again.
    let loads = 0;
    const racing: AlertStateStore = {
      load: async () => (++loads === 1 ? { state: stateNamed('A'), version } : store.load()),
      save: (state, expected) => store.save(state, expected),
    };
    await updateAlertState(racing, (state) => ({
      state: { ...state, endpoints: { ...state.endpoints, ...stateNamed('C').endpoints } },
      value: undefined,
    }));
    expect(loads).toBe(2);
    expect(Object.keys((await store.load()).state.endpoints)).toEqual(['C']);
  });

  it('loses no update when many writers change the state at once', async () => {
    const { writers, loaded } = await raceWriters(freshStore(), 6);
    expect(Object.keys(loaded.state.endpoints).sort()).toEqual(writers);
  });

  it('alerts once when two notify functions process the same run at once', async () => {
    expect(await raceNotifiers(freshStore())).toHaveLength(1);
  });
});
