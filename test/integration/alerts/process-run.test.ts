import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsAlertStateStore } from '../../../adapters/alerts/fs-alert-state-store.js';
import { createNotifiers } from '../../../adapters/notifiers/create-notifiers.js';
import { emptyAlertState } from '../../../core/alerts/alert-state.js';
import { applyRunToAlertState } from '../../../core/alerts/apply-run-to-alert-state.js';
import { deliverAlerts } from '../../../core/alerts/deliver-alerts.js';
import type { Notifier } from '../../../core/alerts/notifier.js';
import { AlertDeliveryError, processRun } from '../../../core/alerts/process-run.js';
import { DEFAULT_RETRY_POLICY } from '../../../core/alerts/retry-delay.js';
import { testAlert } from '../../../core/alerts/test-alert.js';
import type { NotifierConfig } from '../../../core/config/notifier-schemas.js';
import { validateConfig } from '../../../core/config/parse-config.js';
import type { Result, Status } from '../../../core/result.js';
import { type RecordingServer, startRecordingServer } from '../../helpers/recording-server.js';
import { minute, resultAt } from '../../helpers/results.js';
import { closedPort } from '../../helpers/servers.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp-dir.js';

/** Fast retries: the behaviour is the same, the test just does not wait seconds for it. */
const retry = { ...DEFAULT_RETRY_POLICY, attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5000 };

let server: RecordingServer;
let dir: string;

beforeEach(async () => {
  server = await startRecordingServer();
  dir = await makeTempDir();
});
afterEach(async () => {
  await server.close();
  await removeTempDirs();
});

async function notifiersFor(...configs: unknown[]): Promise<Notifier[]> {
  const config = validateConfig({ checkers: [], notifiers: configs });
  return createNotifiers(config.notifiers as NotifierConfig[]);
}

/** The alert kinds the server received, as `kind title`. */
function received(recording: RecordingServer = server): string[] {
  return recording.requests.map((request) => {
    const alert = (request.json as { alert: { kind: string; title: string } }).alert;
    return `${alert.kind} ${alert.title}`;
  });
}

describe('processRun', () => {
  it('sends exactly one alert per change through a sequence of runs', async () => {
    const notifiers = await notifiersFor({ type: 'webhook', url: server.url, renotify: '10m' });
    const stateStore = new FsAlertStateStore({ dir });
    const sequence: Status[] = ['healthy', 'down', 'down', 'degraded', 'down', 'healthy', 'healthy'];
    for (const [n, status] of sequence.entries()) {
      await processRun([resultAt(minute(n), status)], { stateStore, notifiers, retry });
    }
    // ... then it stays down long enough for a reminder.
    for (const n of [10, 15, 21])
      await processRun([resultAt(minute(n), 'down')], { stateStore, notifiers, retry });
    expect(received()).toEqual([
      'down Site',
      'degraded Site',
      'down Site',
      'recovered Site',
      'down Site',
      'reminder Site',
    ]);
  });

  it('alerts once when the same run is processed twice, one after the other or at once', async () => {
    const notifiers = await notifiersFor({ type: 'webhook', url: server.url });
    const stateStore = new FsAlertStateStore({ dir });
    const run = [resultAt(minute(1), 'down')];
    await Promise.all([
      processRun(run, { stateStore, notifiers, retry }),
      processRun(run, { stateStore, notifiers, retry }),
      processRun(run, { stateStore, notifiers, retry }),
    ]);
    await processRun(run, { stateStore, notifiers, retry });
    expect(received()).toEqual(['down Site']);
  });

  it('never lets a late, older run override the newer state', async () => {
    const notifiers = await notifiersFor({ type: 'webhook', url: server.url });
    const stateStore = new FsAlertStateStore({ dir });
    for (const result of [
      resultAt(minute(1), 'down'),
      resultAt(minute(3), 'healthy'),
      resultAt(minute(2), 'down'),
    ])
      await processRun([result], { stateStore, notifiers, retry });
    expect(received()).toEqual(['down Site', 'recovered Site']);
  });

  it('honours 429 Retry-After and then delivers', async () => {
    server.answer({ status: 429, retryAfter: '1', body: 'rate_limited' });
    const notifiers = await notifiersFor({ type: 'slack', webhook: server.url });
    const started = Date.now();
    const outcome = await processRun([resultAt(minute(1), 'down')], {
      stateStore: new FsAlertStateStore({ dir }),
      notifiers,
      retry,
    });
    expect(server.requests).toHaveLength(2);
    expect(outcome.deliveries).toMatchObject([{ ok: true, tries: 2 }]);
    // The backoff alone would have retried within 20 ms; Retry-After asked for a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('fails with the reason when 500s outlast the retries, keeps the alert, and sends it with the next run', async () => {
    server.answer(...Array(retry.attempts).fill({ status: 500, body: 'internal trouble' }));
    const notifiers = await notifiersFor({ type: 'webhook', url: server.url });
    const stateStore = new FsAlertStateStore({ dir });

    const failed = await processRun([resultAt(minute(1), 'down')], { stateStore, notifiers, retry }).catch(
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(AlertDeliveryError);
    expect((failed as Error).message).toContain('HTTP 500: internal trouble');
    expect(server.requests).toHaveLength(retry.attempts);
    expect((await stateStore.load()).state.outbox).toMatchObject([{ attempts: 1, alert: { kind: 'down' } }]);

    await processRun([resultAt(minute(2), 'healthy')], { stateStore, notifiers, retry });
    expect(received().slice(retry.attempts)).toEqual(['down Site', 'recovered Site']);
    expect((await stateStore.load()).state.outbox).toEqual([]);
  });

  it('still delivers to the other notifiers when one fails, and names only the failing one', async () => {
    const other = await startRecordingServer();
    try {
      other.answer({ status: 400, body: 'invalid_payload' });
      const notifiers = await notifiersFor(
        { type: 'webhook', url: other.url, id: 'broken' },
        { type: 'webhook', url: server.url, id: 'working' },
      );
      const failed = await processRun([resultAt(minute(1), 'down')], {
        stateStore: new FsAlertStateStore({ dir }),
        notifiers,
        retry,
      }).catch((error: unknown) => error as AlertDeliveryError);
      expect(received()).toEqual(['down Site']);
      // A 400 is not retried: it will not get better.
      expect(other.requests).toHaveLength(1);
      expect(failed).toBeInstanceOf(AlertDeliveryError);
      expect((failed as AlertDeliveryError).failures.map((failure) => failure.alert.notifierId)).toEqual([
        'broken',
      ]);
    } finally {
      await other.close();
    }
  });

  it('keeps the webhook URL, a secret, out of the error when the receiver cannot be reached', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/hooks/T000/B000/very-secret-token`;
    const notifiers = await notifiersFor({ type: 'slack', webhook: url });
    const failed = (await processRun([resultAt(minute(1), 'down')], {
      stateStore: new FsAlertStateStore({ dir }),
      notifiers,
      retry,
    }).catch((error: unknown) => error)) as AlertDeliveryError;
    expect(failed.message).toContain('could not connect (ECONNREFUSED)');
    expect(failed.message).not.toContain('very-secret-token');
    expect(JSON.stringify((await new FsAlertStateStore({ dir }).load()).state)).not.toContain(
      'very-secret-token',
    );
  });

  it('signs webhook bodies with HMAC-SHA256 of the raw body when a secret is set', async () => {
    const notifiers = await notifiersFor({ type: 'webhook', url: server.url, secret: 's3cr3t' });
    await processRun([resultAt(minute(1), 'down')], {
      stateStore: new FsAlertStateStore({ dir }),
      notifiers,
      retry,
    });
    const [request] = server.requests;
    const expected = `sha256=${createHmac('sha256', 's3cr3t')
      .update(request?.body ?? '')
      .digest('hex')}`;
    expect(request?.headers['x-checkup-signature']).toBe(expected);
    expect(request?.headers['x-checkup-alert-id']).toBe(`webhook|Site|${minute(1)}|down`);
    expect(request?.json).toMatchObject({ type: 'checkup.down', text: 'Site is down' });
  });

  it('reports flapping once, and degraded only to the notifier that wants it', async () => {
    const quiet = await startRecordingServer();
    try {
      const notifiers = await notifiersFor(
        { type: 'webhook', url: server.url, flap_changes: 3, flap_window: '1h' },
        { type: 'webhook', url: quiet.url, notify_degraded: false, flap_changes: 0 },
      );
      const stateStore = new FsAlertStateStore({ dir });
      const statuses: Status[] = [
        'degraded',
        'healthy',
        'degraded',
        'healthy',
        'degraded',
        'healthy',
        'down',
      ];
      for (const [n, status] of statuses.entries()) {
        await processRun([resultAt(minute(n), status)], { stateStore, notifiers, retry });
      }
      expect(received()).toEqual(['degraded Site', 'recovered Site', 'degraded Site', 'flapping Site']);
      expect(received(quiet)).toEqual(['down Site']);
    } finally {
      await quiet.close();
    }
  });

  it('sends nothing and writes nothing when nothing changed', async () => {
    const notifiers = await notifiersFor({ type: 'webhook', url: server.url });
    const stateStore = new FsAlertStateStore({ dir });
    await processRun([resultAt(minute(1), 'healthy')], { stateStore, notifiers, retry });
    const before = await stateStore.load();
    await processRun([resultAt(minute(1), 'healthy')] as Result[], { stateStore, notifiers, retry });
    expect((await stateStore.load()).version).toBe(before.version);
    expect(server.requests).toEqual([]);
  });
});

describe('processRun with another sender at work', () => {
  it('holds a notifier’s new alerts while another sender owns its earlier ones, then sends them in order', async () => {
    const notifiers = await notifiersFor({ type: 'webhook', url: server.url });
    const policies = Object.fromEntries(notifiers.map((notifier) => [notifier.id, notifier.policy]));
    const stateStore = new FsAlertStateStore({ dir });
    let now = 1_000_000;
    // Another sender applied a run, queued its "down" under a 5-minute lease, and died.
    const applied = applyRunToAlertState(emptyAlertState(), [resultAt(minute(1), 'down')], policies);
    const outbox = applied.alerts.map((alert) => ({
      alert,
      leaseUntil: now + 300_000,
      queuedAt: now,
      attempts: 0,
    }));
    await stateStore.save({ ...applied.state, outbox }, undefined);

    await processRun([resultAt(minute(2), 'healthy')], { stateStore, notifiers, retry, now: () => now });
    expect(server.requests).toEqual([]);

    now += 300_001;
    await processRun([resultAt(minute(3), 'healthy')], { stateStore, notifiers, retry, now: () => now });
    expect(received()).toEqual(['down Site', 'recovered Site']);
    expect((await stateStore.load()).state.outbox).toEqual([]);
  });
});

describe('deliverAlerts', () => {
  it('keeps a notifier’s later alerts back once an earlier one failed, so they stay in order', async () => {
    server.answer({ status: 400, body: 'bad' });
    const notifiers = await notifiersFor({ type: 'webhook', url: server.url });
    const down = { ...testAlert('webhook', minute(1)), id: 'a', kind: 'down' as const };
    const recovered = { ...testAlert('webhook', minute(2)), id: 'b', kind: 'recovered' as const };
    const outcomes = await deliverAlerts([down, recovered], notifiers, { retry });
    expect(outcomes).toMatchObject([
      { ok: false, tries: 1, error: 'webhook: HTTP 400: bad' },
      { ok: false, tries: 0, error: 'not sent: an earlier alert to webhook failed' },
    ]);
    expect(server.requests).toHaveLength(1);
  });
});

describe('processRun without notifiers', () => {
  it('sends nothing but keeps the state, so automatic incidents open and resolve', async () => {
    const stateStore = new FsAlertStateStore({ dir });
    const outcome = await processRun([resultAt(minute(1), 'down')], { stateStore, notifiers: [] });
    expect(outcome.deliveries).toEqual([]);
    const { state } = await stateStore.load();
    expect(state.outbox).toEqual([]);
    expect(state.incidents?.map((incident) => `${incident.title} ${incident.status}`)).toEqual([
      'Site is down investigating',
    ]);
  });
});
