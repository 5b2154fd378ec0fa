import { afterEach, describe, expect, it } from 'vitest';
import type { PublicNotices } from '../../core/incidents/public-notices.js';
import { atomEntries, atomProblems } from '../helpers/atom-rfc4287.js';
import { runCli } from '../helpers/run-cli.js';
import { type RunningServe, startServe } from '../helpers/start-serve.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

let serve: RunningServe | undefined;
afterEach(async () => {
  await serve?.stop();
  serve = undefined;
  await removeTempDirs();
});

describe('checkup serve: /data/notices.json and /data/feed.atom', () => {
  it('serves the incidents and maintenance written with the CLI, the feed valid Atom with hostile text escaped', async () => {
    const dir = await makeTempDir();
    serve = await startServe(dir, {
      checkers: [{ type: 'tcp', endpoint_name: 'db <b>', endpoint_url: '127.0.0.1:1' }],
      status_page: { title: 'Shop & <Co>' },
      maintenance: [{ name: 'Weekly', every: 'day', start: '2026-01-01T03:00', duration: '1h' }],
    });
    const hostile = '<img src=x onerror=alert(1)> & ]]>';
    const opened = await runCli(
      ['incident', 'open', hostile, '--message', 'Looking.', '--endpoints', 'db <b>'],
      dir,
    );
    expect(opened.code).toBe(0);
    expect((await runCli(['maintenance', 'start', 'DB upgrade', '--for', '30m'], dir)).code).toBe(0);

    const answer = await fetch(`${serve.url}/data/notices.json`);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const notices = (await answer.json()) as PublicNotices;
    expect(
      notices.incidents.map((incident) => [incident.title, incident.endpoints, incident.status]),
    ).toEqual([[hostile, ['db <b>'], 'investigating']]);
    expect(notices.maintenance.map((period) => period.name)).toContain('DB upgrade');
    expect(notices.maintenance.filter((period) => period.name === 'Weekly').length).toBeGreaterThanOrEqual(7);

    const feed = await fetch(`${serve.url}/data/feed.atom`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await feed.text();
    expect(atomProblems(xml)).toEqual([]);
    expect(xml).toContain('<title type="text">Shop &amp; &lt;Co&gt;</title>');
    expect(atomEntries(xml).map((entry) => entry.title)).toContain(`Incident (investigating): ${hostile}`);
  });
});
