// A fanned-out tick alerts once, through the deployed functions: 200 loopback endpoints at a shard
// size of 40 are checked by 5 shard environments, and every shard's S3 event reaches its own
// notify environment at the same moment, as S3 delivers them. The planner reads the config
// (large enough for the config object) through one parameter and one S3 object.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertState } from '../../core/alerts/alert-state.js';
import { type FanoutHarness, startFanoutHarness } from '../helpers/fanout-harness.js';
import { loopbackCheckers } from '../helpers/loopback-checkers.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { removeTempDirs } from '../helpers/temp-dir.js';

const ENDPOINTS = 200;
const SHARD_SIZE = 40;
// The notify functions are told a 10 s interval, so a tick 10 s after one left incomplete decides it.
const INTERVAL_MS = 10_000;
const STATE_KEY = 'state/alert-state.json';

let site: RunningServer;
let hook: RecordingServer;
let harness: FanoutHarness;
let downNow = true;
let CONFIG: { checkers: unknown[]; notifiers: unknown[] };

beforeAll(async () => {
  site = await startHttpServer((request, response) =>
    response.writeHead(request.url?.endsWith('/13') && downNow ? 503 : 200).end('ok'),
  );
  hook = await startRecordingServer();
  CONFIG = {
    checkers: loopbackCheckers(site.url, ENDPOINTS),
    notifiers: [{ type: 'webhook', id: 'ops', url: `${hook.url}/hook` }],
  };
  harness = await startFanoutHarness({
    shardSize: SHARD_SIZE,
    environments: 5,
    notify: { environments: 5, intervalMs: INTERVAL_MS },
    config: CONFIG,
  });
}, 300_000);

afterAll(async () => {
  await harness?.close();
  await site?.close();
  await hook?.close();
  await removeTempDirs();
});

/** Runs a tick at least one interval after the last (shards wait for a tick still to come). */
async function tick(drop: number[] = []) {
  const paced = await harness.pacedTick(INTERVAL_MS, drop);
  const onState = (operation: string) =>
    paced.notifyCalls.filter(
      (call) => call.operation === operation && call.resources.some((r) => r.endsWith(STATE_KEY)),
    ).length;
  return { ...paced, stateWrites: onState('PutObject'), stateReads: onState('GetObject') };
}

const posted = () =>
  hook.requests.map((request) => {
    const body = request.json as { alert: { kind: string; title: string } };
    return `${body.alert.kind} ${body.alert.title}`;
  });

describe('the notify function on a fanned-out tick', () => {
  it('reads the large config through its parameter and one S3 object, and stays inside its grants', {
    timeout: 180_000,
  }, async () => {
    const first = await tick();
    expect(harness.gateway.denied).toEqual([]);
    expect(first.keys).toHaveLength(5);
    const plannerSsm = harness.gateway.requests.filter(
      (call) => call.caller === 'the check function (planner)' && call.operation.startsWith('GetParameter'),
    );
    expect(plannerSsm.map((call) => call.operation)).toEqual(['GetParameter']);
    expect(
      harness.gateway.requests.filter(
        (call) =>
          call.operation === 'GetObject' && call.resources.some((r) => r.endsWith('config/checkup.json')),
      ).length,
    ).toBeGreaterThanOrEqual(1);
    // Every shard's event came at once: one alert for the one endpoint down, in one state write
    // (and one recording the delivery), not one read-modify-write per shard.
    expect(posted()).toEqual(['down E13']);
    expect(first.stateWrites).toBe(2);
    expect(first.outcomes.reduce((sum, outcome) => sum + outcome.alerts, 0)).toBe(1);
    expect(first.outcomes.flatMap((outcome) => outcome.waiting).length).toBeGreaterThanOrEqual(3);
    const state = await harness.readJson<AlertState>(STATE_KEY);
    expect(state.appliedRuns).toEqual(
      expect.arrayContaining(first.keys.map((key) => key.slice('checks/'.length))),
    );
    expect(Object.keys(state.endpoints)).toHaveLength(ENDPOINTS);
  });

  it('sends the recovery once, whichever shard completes the tick', { timeout: 180_000 }, async () => {
    downNow = false;
    const second = await tick();
    expect(harness.gateway.denied).toEqual([]);
    expect(posted()).toEqual(['down E13', 'recovered E13']);
    expect(second.stateWrites).toBe(2);
  });

  it('alerts nothing on an endpoint its shard did not check, and applies that tick with the next', {
    timeout: 180_000,
  }, async () => {
    downNow = true;
    // E13's shard (the first) is lost: nothing is said of E13, and the other four wait.
    const lossy = await tick([0]);
    expect(lossy.keys).toHaveLength(4);
    expect(posted()).toEqual(['down E13', 'recovered E13']);
    expect(lossy.stateWrites).toBe(0);
    expect(lossy.outcomes.every((outcome) => outcome.processed.length === 0)).toBe(true);
    // The next tick is whole: it applies the four runs left waiting, then its own, in one write.
    const next = await tick();
    expect(harness.gateway.denied).toEqual([]);
    expect(posted()).toEqual(['down E13', 'recovered E13', 'down E13']);
    const state = await harness.readJson<AlertState>(STATE_KEY);
    expect(state.appliedRuns).toEqual(
      expect.arrayContaining([...lossy.keys, ...next.keys].map((key) => key.slice('checks/'.length))),
    );
    const warnings = harness.notifiers
      .flatMap((environment) => environment.logs())
      .filter((line) => String(line.message).startsWith('tick alerted without all its shards'));
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'warn',
        tick: lossy.report.tick,
        due: 5,
        reportedShards: [2, 3, 4, 5],
      }),
    ]);
  });

  it("refuses a config object whose sha-256 is not the parameter's, and checks with the last valid config", {
    timeout: 180_000,
  }, async () => {
    await harness.owner.send(
      new PutObjectCommand({
        Bucket: 'checkup-results-fanout',
        Key: 'config/checkup.json',
        Body: JSON.stringify({ checkers: CONFIG.checkers.slice(0, 1) }),
      }),
    );
    // A cold planner reads the object (a warm one keeps the copy it verified for that digest).
    await harness.reconfigure(undefined);
    const refused = await tick();
    expect(harness.gateway.denied).toEqual([]);
    expect(refused.report.planner).toMatchObject({ shards: 5 });
    const line = harness.planner
      .logs()
      .find((entry) => entry.message === 'config is invalid; checking with the last valid config');
    expect(line).toMatchObject({
      level: 'error',
      source: 'ssm:/checkup/config',
      issues: [
        {
          path: 's3://checkup-results-fanout/config/checkup.json',
          message: expect.stringContaining('is not the'),
        },
      ],
    });
  });

  it('lets the notify function read the config object and no other config key', () => {
    const bucket = 'arn:aws:s3:::checkup-results-fanout';
    const allows = (fn: 'notifyFunction' | 'plannerFunction' | 'shardFunction', key: string) =>
      harness[fn].policy.allows({ action: 's3:GetObject', resource: `${bucket}/${key}` });
    expect(allows('notifyFunction', 'config/checkup.json')).toBe(true);
    expect(allows('plannerFunction', 'config/checkup.json')).toBe(true);
    expect(allows('shardFunction', 'config/checkup.json')).toBe(false);
    expect(allows('notifyFunction', 'config/other.json')).toBe(false);
    expect(
      harness.notifyFunction.policy.allows({
        action: 's3:PutObject',
        resource: `${bucket}/config/checkup.json`,
      }),
    ).toBe(false);
  });
});
