import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AlertState } from '../../core/alerts/alert-state.js';
import { parseResults } from '../../core/result-json.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import { runCli } from '../helpers/run-cli.js';
import { closedPort } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

let hook: RecordingServer;
let downPort: number;

beforeAll(async () => {
  hook = await startRecordingServer();
  downPort = await closedPort();
});
afterAll(() => hook.close());
afterEach(removeTempDirs);

/** A project whose `db` (group Storage) is down (a closed port) and `web` is healthy, alerting to the hook. */
function project(extra: Record<string, unknown> = {}) {
  return makeProject({
    checkers: [
      { type: 'tcp', endpoint_name: 'db', endpoint_url: `127.0.0.1:${downPort}`, group: 'Storage' },
      { type: 'http', endpoint_name: 'web', endpoint_url: hook.url },
    ],
    storage: { type: 'fs', dir: 'checks' },
    notifiers: [{ type: 'webhook', url: `${hook.url}/alerts` }],
    ...extra,
  });
}

async function readState(dir: string): Promise<AlertState> {
  return (
    JSON.parse(await readFile(path.join(dir, 'checks', 'alert-state.json'), 'utf8')) as { state: AlertState }
  ).state;
}

const alertsPosted = () => hook.requests.filter((request) => request.path === '/alerts').length;

describe('checkup maintenance', () => {
  it('holds alerts while a window started by hand is on, stores the runs marked, and alerts once when it ends', async () => {
    const dir = await project();
    const started = await runCli(
      ['maintenance', 'start', 'DB upgrade', '--for', '30m', '--endpoints', 'db'],
      dir,
    );
    expect(started).toMatchObject({ code: 0 });
    expect(started.stdout).toMatch(/^maintenance DB upgrade \(\d+-db-upgrade\): \S+ to \S+, db\n$/);

    const before = alertsPosted();
    expect((await runCli(['--store'], dir)).code).toBe(1);
    expect(alertsPosted()).toBe(before);
    const state = await readState(dir);
    expect(state.incidents).toBeUndefined();
    const runFile = (await readFile(path.join(dir, 'checks', 'index.json'), 'utf8')).match(
      /\d+-check\.json/,
    )?.[0];
    const results = parseResults(await readFile(path.join(dir, 'checks', runFile as string), 'utf8'));
    expect(results.map((result) => [result.title, result.maintenance])).toEqual([
      ['db', 'DB upgrade'],
      ['web', undefined],
    ]);

    const listed = await runCli(['maintenance', 'list'], dir);
    expect(listed.stdout).toMatch(/^now {2}\S+ to \S+ DB upgrade: db\n$/);

    expect((await runCli(['maintenance', 'end', 'DB upgrade'], dir)).code).toBe(0);
    await runCli(['--store'], dir);
    await runCli(['--store'], dir);
    const posted = hook.requests.slice(before).filter((request) => request.path === '/alerts');
    expect(
      posted.map((request) => (request.json as { kind?: string }).kind ?? request.body.slice(0, 40)),
    ).toHaveLength(1);
    expect(
      (await readState(dir)).incidents?.map((incident) => `${incident.title} ${incident.status}`),
    ).toEqual(['db is down investigating']);
  });

  it('does not alert again when a window ends over an endpoint already announced down before it', async () => {
    const dir = await project();
    await runCli(['--store'], dir);
    const announced = alertsPosted();
    await runCli(['maintenance', 'start', 'Fix', '--for', '1h'], dir);
    await runCli(['--store'], dir);
    await runCli(['maintenance', 'end', 'Fix'], dir);
    await runCli(['--store'], dir);
    expect(alertsPosted()).toBe(announced);
  });

  it('covers the endpoints of a group named in --endpoints, and holds their alerts', async () => {
    const dir = await project();
    const started = await runCli(
      ['maintenance', 'start', 'Disks', '--for', '30m', '--endpoints', 'Storage'],
      dir,
    );
    expect(started).toMatchObject({ code: 0 });
    expect(started.stdout).toMatch(/, Storage\n$/);
    const before = alertsPosted();
    await runCli(['--store'], dir);
    expect(alertsPosted()).toBe(before);
    const runFile = (await readFile(path.join(dir, 'checks', 'index.json'), 'utf8')).match(
      /\d+-check\.json/,
    )?.[0];
    const results = parseResults(await readFile(path.join(dir, 'checks', runFile as string), 'utf8'));
    expect(results.map((result) => [result.title, result.maintenance])).toEqual([
      ['db', 'Disks'],
      ['web', undefined],
    ]);
  });

  it('marks runs inside a window the config declares', async () => {
    const dir = await project({
      maintenance: [{ name: 'Nightly', endpoints: ['db'], every: '* * * * *', duration: '2m' }],
    });
    const before = alertsPosted();
    await runCli(['--store'], dir);
    expect(alertsPosted()).toBe(before);
    const listed = await runCli(['maintenance', 'list'], dir);
    expect(listed.stdout.split('\n')[0]).toMatch(/^now {2}\S+ to \S+ Nightly: db$/);
  });

  it.each([
    [
      ['maintenance', 'start', 'x', '--for', '30m', '--endpoints', 'dbb'],
      'maintenance start --endpoints: "dbb" is neither a checker name nor a group; did you mean "db"?',
    ],
    [
      ['maintenance', 'start', 'x', '--for', 'soon'],
      'maintenance start --for: not a duration: "soon" (try 30m, 2h)',
    ],
    [['maintenance', 'start', 'x'], 'maintenance start needs --for DURATION or --until TIME (one of them)'],
    [['maintenance', 'start', 'x', '--for', '0s'], 'maintenance start --for: must be longer than 0'],
    [
      ['maintenance', 'start', 'x', '--for', '99999999d'],
      'maintenance start: a window lasts at most 366 days (this one',
    ],
    [
      ['maintenance', 'start', 'x', '--at', '2020-01-01T00:00', '--for', '1h'],
      'maintenance start: the window would end at 2020-01-01T01:00Z, before now',
    ],
    [
      ['maintenance', 'start', 'x', '--for', '1h', '--at', 'tomorrow'],
      'maintenance start --at: not a time: "tomorrow"',
    ],
    [
      ['maintenance', 'start', 'x', '--for', '1h', '--timezone', 'Moon/Base'],
      '--timezone: unknown time zone "Moon/Base"',
    ],
    [
      ['maintenance', 'end', 'nothing'],
      'maintenance end: no stored window named "nothing" is under way or to come',
    ],
    [['maintenance', 'pause'], 'maintenance takes start NAME, end NAME or list'],
  ])('refuses %j with exit 2, storing nothing', async (args, message) => {
    const dir = await project();
    const outcome = await runCli(args, dir);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`checkup: ${message}`);
    expect(await runCli(['maintenance', 'list'], dir)).toMatchObject({
      code: 0,
      stdout: 'no maintenance under way or in the next 7 days\n',
    });
  });

  it('names the place of a window entry that is neither a checker nor a group, with exit 2', async () => {
    const dir = await project({
      maintenance: [
        { name: 'ok', endpoints: ['Storage'], start: '2026-12-06T02:00', duration: '1h' },
        { name: 'x', endpoints: ['dbb'], start: '2026-12-06T02:00', duration: '1h' },
      ],
    });
    const outcome = await runCli([], dir);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(
      'maintenance[1].endpoints[0]: "dbb" is neither a checker name nor a group',
    );
  });

  it('names the place of a bad window in the config, with exit 2', async () => {
    const dir = await project({
      maintenance: [{ name: 'x', start: '2026-12-06T02:00', duration: '1h', timezone: 'Nowhere' }],
    });
    const outcome = await runCli([], dir);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('maintenance[0].timezone: unknown time zone "Nowhere"');
  });
});

describe('checkup incident', () => {
  it('opens, updates, resolves and lists an incident; checkup message adds to the open one', async () => {
    const dir = await project({ notifiers: [] });
    const opened = await runCli(
      ['incident', 'open', 'Payments slow', '--message', 'Looking into it.', '--endpoints', 'web'],
      dir,
    );
    expect(opened.code).toBe(0);
    const id = opened.stdout.split(' ')[0] as string;
    expect(opened.stdout).toBe(`${id} investigating: Payments slow [web]\n`);
    expect(
      (await runCli(['incident', 'update', id, '--status', 'identified', '--message', 'A bad deploy.'], dir))
        .code,
    ).toBe(0);
    const messaged = await runCli(['message', '--about', 'web', 'Rolling back.'], dir);
    expect(messaged.stderr).toContain(`updated incident ${id}`);
    const resolved = await runCli(['incident', 'resolve', id, '--message', 'Fixed.'], dir);
    expect(resolved.stdout).toBe(`${id} resolved: Payments slow [web]\n`);
    const [incident] = (await readState(dir)).incidents ?? [];
    expect(incident?.updates.map((update) => `${update.status}: ${update.message}`)).toEqual([
      'investigating: Looking into it.',
      'identified: A bad deploy.',
      'identified: Rolling back.',
      'resolved: Fixed.',
    ]);
    expect((await runCli(['incident', 'list'], dir)).stdout).toBe(`${id} resolved: Payments slow [web]\n`);
  });

  it('resolves the automatic incident of an endpoint renamed in the config, and opens one under the new name', async () => {
    const dir = await project({ notifiers: [] });
    await runCli(['--store'], dir);
    expect(
      (await readState(dir)).incidents?.map((incident) => `${incident.title} ${incident.status}`),
    ).toEqual(['db is down investigating']);
    const config = JSON.parse(await readFile(path.join(dir, 'checkup.json'), 'utf8')) as {
      checkers: Array<{ endpoint_name: string }>;
    };
    (config.checkers[0] as { endpoint_name: string }).endpoint_name = 'database';
    await writeFile(path.join(dir, 'checkup.json'), JSON.stringify(config));
    await runCli(['--store'], dir);
    const incidents = (await readState(dir)).incidents ?? [];
    expect(incidents.map((incident) => `${incident.title} ${incident.status}`)).toEqual([
      'db is down resolved',
      'database is down investigating',
    ]);
    expect(incidents[0]?.updates.at(-1)?.message).toBe('No longer checked: db is not in the config.');
  });

  it.each([
    [['incident', 'open', 'x'], 'incident open needs --message TEXT'],
    [
      ['incident', 'open', 'x', '--message', 'm', '--status', 'panicking'],
      '--status: not an incident status: "panicking"',
    ],
    [['incident', 'update', 'nope', '--message', 'm'], 'incident update: no incident with id "nope"'],
    [['incident', 'close', 'x'], 'incident takes open TITLE, update ID, resolve ID or list'],
  ])('refuses %j with exit 2, storing nothing', async (args, message) => {
    const dir = await project();
    const outcome = await runCli(args, dir);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`checkup: ${message}`);
    expect(await runCli(['maintenance', 'list'], dir)).toMatchObject({
      code: 0,
      stdout: 'no maintenance under way or in the next 7 days\n',
    });
  });

  it('shows a hostile title escaped on the terminal', async () => {
    const dir = await project();
    const outcome = await runCli(['incident', 'open', 'evil\u001b[2J', '--message', 'm'], dir);
    expect(outcome.stdout).not.toContain('\u001b');
  });
});
