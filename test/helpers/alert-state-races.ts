import { createNotifiers } from '../../adapters/notifiers/create-notifiers.js';
import { emptyAlertState } from '../../core/alerts/alert-state.js';
import type { AlertStateStore } from '../../core/alerts/alert-state-store.js';
import { processRun, updateAlertState } from '../../core/alerts/process-run.js';
import { validateConfig } from '../../core/config/parse-config.js';
import { startRecordingServer } from './recording-server.js';
import { minute, resultAt } from './results.js';

/** A state whose only endpoint, down, is named `title`, to tell saves apart. */
export function stateNamed(title: string) {
  const state = emptyAlertState();
  state.endpoints[title] = { status: 'down', since: 1, count: 1, lastRun: 1, notifiers: {} };
  return state;
}

/**
 * `count` writers, each with its own store from `make`, add their endpoint (`endpoint-<n>`) to the
 * one state at once; returns their names and the state loaded after.
 */
export async function raceWriters(make: () => AlertStateStore, count: number) {
  const writers = Array.from({ length: count }, (_, n) => `endpoint-${n}`);
  await Promise.all(
    writers.map((title) =>
      updateAlertState(make(), (state) => ({
        state: { ...state, endpoints: { ...state.endpoints, ...stateNamed(title).endpoints } },
        value: undefined,
      })),
    ),
  );
  return { writers, loaded: await make().load() };
}

/**
 * Two notify functions, each with its own store from `make`, process the same run (one endpoint
 * down) at once, with one webhook; returns the requests the webhook received.
 */
export async function raceNotifiers(make: () => AlertStateStore) {
  const hook = await startRecordingServer();
  try {
    const config = validateConfig({ checkers: [], notifiers: [{ type: 'webhook', url: hook.url }] });
    const notifiers = await createNotifiers(config.notifiers);
    const run = [resultAt(minute(1), 'down')];
    await Promise.all([
      processRun(run, { stateStore: make(), notifiers }),
      processRun(run, { stateStore: make(), notifiers }),
    ]);
    return hook.requests;
  } finally {
    await hook.close();
  }
}
