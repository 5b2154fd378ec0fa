import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsAlertStateStore } from '../../../adapters/alerts/fs-alert-state-store.js';
import { emptyAlertState } from '../../../core/alerts/alert-state.js';
import { AlertStateConflictError } from '../../../core/alerts/alert-state-store.js';
import { updateAlertState } from '../../../core/alerts/process-run.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

afterEach(removeTempDirs);

/** A state whose only endpoint is named `title`, to tell saves apart. */
function stateNamed(title: string) {
  const state = emptyAlertState();
  state.endpoints[title] = { status: 'healthy', since: 1, count: 1, lastRun: 1, notifiers: {} };
  return state;
}

describe('FsAlertStateStore', () => {
  it('starts empty with no version, then reads back what was saved', async () => {
    const store = new FsAlertStateStore({ dir: path.join(await makeTempDir(), 'checks') });
    expect(await store.load()).toEqual({ state: emptyAlertState(), version: undefined });
    const version = await store.save(stateNamed('A'), undefined);
    expect(await store.load()).toEqual({ state: stateNamed('A'), version });
  });

  it('refuses a save based on a version someone else has replaced', async () => {
    const store = new FsAlertStateStore({ dir: await makeTempDir() });
    const first = await store.save(stateNamed('A'), undefined);
    await store.save(stateNamed('B'), first);
    await expect(store.save(stateNamed('C'), first)).rejects.toBeInstanceOf(AlertStateConflictError);
    await expect(store.save(stateNamed('C'), undefined)).rejects.toBeInstanceOf(AlertStateConflictError);
    expect((await store.load()).state).toEqual(stateNamed('B'));
  });

  it('loses no update when many writers change the state at once', async () => {
    const dir = await makeTempDir();
    const writers = Array.from({ length: 12 }, (_, n) => `endpoint-${n}`);
    await Promise.all(
      writers.map((title) =>
        updateAlertState(new FsAlertStateStore({ dir }), (state) => ({
          state: { ...state, endpoints: { ...state.endpoints, ...stateNamed(title).endpoints } },
          value: undefined,
        })),
      ),
    );
    const { state, version } = await new FsAlertStateStore({ dir }).load();
    expect(Object.keys(state.endpoints).sort()).toEqual([...writers].sort());
    expect(version).toBe('12');
    // Only the state file is left: no temporary file, no lock.
    expect(await readdir(dir)).toEqual(['alert-state.json']);
  });

  it('breaks a lock left behind by a crashed writer', async () => {
    const dir = await makeTempDir();
    const store = new FsAlertStateStore({ dir, staleLockMs: 0 });
    await writeFile(path.join(dir, 'alert-state.json.lock'), '99999');
    await expect(store.save(stateNamed('A'), undefined)).resolves.toBe('1');
  });

  it('names the file when it is not valid JSON', async () => {
    const dir = await makeTempDir();
    await writeFile(path.join(dir, 'alert-state.json'), '{oops');
    await expect(new FsAlertStateStore({ dir }).load()).rejects.toThrow(/alert-state\.json: not valid JSON/);
  });
});
