import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/run-cli.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

let server: RunningServer;
let requests = 0;
let slowRequests = 0;
beforeEach(async () => {
  requests = 0;
  server = await startHttpServer((req, res) => {
    requests += 1;
    if (req.url === '/slow') {
      slowRequests += 1;
      const timer = setTimeout(() => res.end('slow'), 5000);
      return void res.on('close', () => clearTimeout(timer));
    }
    res.statusCode = req.url === '/broken' ? 500 : 200;
    res.end('hello');
  });
});
afterEach(async () => {
  await server.close();
  await removeTempDirs();
});

const site = (name: string, urlPath = '/', extra: Record<string, unknown> = {}) => ({
  type: 'http',
  endpoint_name: name,
  endpoint_url: `${server.url}${urlPath}`,
  ...extra,
});

async function storedRuns(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((name) => name.endsWith('-check.json')).sort();
}

describe('checkup (the command)', () => {
  it('checks once, prints each result as checkup does and exits 0 when all are healthy', async () => {
    const cwd = await makeProject({ checkers: [site('Home'), { ...site('API'), attempts: 2 }] });
    const { code, stdout, stderr } = await runCli([], cwd);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // checkup's layout: labels right-aligned to the colon, Go's durations, a blank line after each.
    const duration = String.raw`(?:\d+(?:\.\d+)?(?:ns|µs|ms|s))`;
    const home = new RegExp(
      [
        `== Home - ${server.url.replaceAll('.', '\\.')}/`,
        '  Threshold: 0s',
        `        Max: ${duration}`,
        `        Min: ${duration}`,
        `     Median: ${duration}`,
        `       Mean: ${duration}`,
        `        All: \\[\\{${duration} \\}\\]`,
        ' Assessment: healthy',
        '\n',
      ].join('\n'),
    );
    expect(stdout).toMatch(home);
    expect(stdout).toMatch(
      new RegExp(`        All: \\[\\{${duration} \\} \\{${duration} \\}\\]\n Assessment: healthy\n\n$`),
    );
    expect(stdout.match(/^ Assessment: healthy$/gm)).toHaveLength(2);
    expect(await storedRuns(path.join(cwd, 'checks'))).toEqual([]);
  });

  it('exits 1 when any endpoint is not healthy', async () => {
    const cwd = await makeProject({ checkers: [site('Home'), site('Broken', '/broken')] });
    const { code, stdout } = await runCli([], cwd);
    expect(code).toBe(1);
    expect(stdout).toContain('\n Assessment: down\n');
    expect(stdout).toContain('response status 500 Internal Server Error (want 200-204)');
  });

  it('rejects a bad config with exit 2, the place of each problem, no stack trace, and stores nothing', async () => {
    const cwd = await makeProject({
      checkers: [site('Home'), { type: 'htp', endpoint_name: 'x' }, { ...site('Other'), timeout: 'soon' }],
      storage: { type: 'fs', dir: 'out' },
    });
    const { code, stderr } = await runCli(['--store'], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'checkup: checkup.json: checkers[1].type: unknown type "htp" (http, tcp, tls, dns, exec, heartbeat)',
    );
    expect(stderr).toContain('checkup: checkup.json: checkers[2].timeout: not a duration');
    expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(requests).toBe(0);
    expect(existsSync(path.join(cwd, 'out'))).toBe(false);
  });

  it('reports broken JSON with its line and column', async () => {
    const cwd = await makeProject('{\n  "checkers": [,]\n}');
    const { code, stderr } = await runCli([], cwd);
    expect(code).toBe(2);
    expect(stderr).toMatch(/checkup\.json: not valid JSON at line 2, column 16/);
  });

  it('stores the run with --store, in ./checks when no storage is configured', async () => {
    const cwd = await makeProject({ checkers: [site('Home')] });
    const { code } = await runCli(['--store'], cwd);
    expect(code).toBe(0);
    const runs = await storedRuns(path.join(cwd, 'checks'));
    expect(runs).toHaveLength(1);
    const results = JSON.parse(await readFile(path.join(cwd, 'checks', runs[0] as string), 'utf8'));
    expect(results).toMatchObject([{ title: 'Home', endpoint: `${server.url}/`, healthy: true }]);
    expect(runs[0]).toBe(`${BigInt(results[0].timestamp)}-check.json`);
  });

  it('reads another config file with -c and gives every result the configured timestamp', async () => {
    const cwd = await makeProject({});
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      path.join(cwd, 'other.json'),
      JSON.stringify({
        checkers: [site('A'), site('B')],
        storage: { provider: 'fs', dir: 'runs' },
        timestamp: '2026-01-01T00:00:00Z',
      }),
    );
    expect((await runCli(['-c', 'other.json', '--store'], cwd)).code).toBe(0);
    const runs = await storedRuns(path.join(cwd, 'runs'));
    expect(runs).toEqual([`${BigInt(Date.parse('2026-01-01T00:00:00Z')) * 1_000_000n}-check.json`]);
  });

  it('loses no run when several processes store into one folder at once', async () => {
    const cwd = await makeProject({ checkers: [site('Home')], storage: { type: 'fs', dir: 'shared' } });
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => runCli(['--store'], cwd)));
    expect(outcomes.map((o) => o.code)).toEqual([0, 0, 0, 0, 0, 0]);
    const runs = await storedRuns(path.join(cwd, 'shared'));
    expect(runs).toHaveLength(6);
    const index = JSON.parse(await readFile(path.join(cwd, 'shared', 'index.json'), 'utf8'));
    expect(Object.keys(index).sort()).toEqual(runs);
  });

  it('stores a message about one endpoint', async () => {
    const cwd = await makeProject({ checkers: [site('Home'), site('API')] });
    const { code } = await runCli(['message', '--about', 'API', 'Planned maintenance <b>today</b>'], cwd);
    expect(code).toBe(0);
    const [run] = await storedRuns(path.join(cwd, 'checks'));
    const results = JSON.parse(await readFile(path.join(cwd, 'checks', run as string), 'utf8'));
    expect(results).toMatchObject([
      { title: 'API', message: 'Planned maintenance <b>today</b>', healthy: true },
    ]);
  });

  it('refuses a message about an endpoint that does not exist, with a suggestion', async () => {
    const cwd = await makeProject({ checkers: [site('Home')] });
    const { code, stderr } = await runCli(['message', '--about', 'Hme', 'x'], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain('no endpoint named "Hme"; did you mean "Home"?');
  });

  it('checks and stores on every tick, keeps ticking while a run is slow, and stops cleanly on Ctrl-C', async () => {
    const cwd = await makeProject({ checkers: [site('Home'), site('Slow', '/slow')] });
    const { child, outcome } = startCli(['every', '1s'], cwd);
    // Each run waits 5 s for /slow: runs started at 0 s, 1 s and 2 s are all under way at once.
    slowRequests = 0;
    const deadline = Date.now() + 30_000;
    while (slowRequests < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const storedWhileSlow = await storedRuns(path.join(cwd, 'checks'));
    child.kill('SIGINT');
    const { code, stderr } = await outcome;
    expect(slowRequests).toBeGreaterThanOrEqual(3);
    expect(storedWhileSlow).toEqual([]);
    expect(code).toBe(0);
    expect(stderr).toContain('stopping');
    const files = existsSync(path.join(cwd, 'checks')) ? await readdir(path.join(cwd, 'checks')) : [];
    expect(files.filter((name) => name.startsWith('.tmp'))).toEqual([]);
    for (const run of await storedRuns(path.join(cwd, 'checks'))) {
      JSON.parse(await readFile(path.join(cwd, 'checks', run), 'utf8'));
    }
  }, 60_000);

  it('stores a run on every tick', async () => {
    const cwd = await makeProject({ checkers: [site('Home')] });
    const { child, outcome } = startCli(['every', '1s'], cwd);
    const deadline = Date.now() + 30_000;
    while ((await storedRuns(path.join(cwd, 'checks'))).length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGINT');
    expect((await outcome).code).toBe(0);
    const runs = await storedRuns(path.join(cwd, 'checks'));
    expect(runs.length).toBeGreaterThanOrEqual(2);
    const index = JSON.parse(await readFile(path.join(cwd, 'checks', 'index.json'), 'utf8'));
    expect(Object.keys(index).sort()).toEqual(runs);
  }, 60_000);

  it.each([
    [['every'], 'every takes one interval'],
    [['every', 'fortnightly'], 'every: not an interval: "fortnightly"'],
    [['evry', '1m'], 'unknown command "evry"; did you mean "every"?'],
    [['--stor'], 'unknown option --stor; did you mean --store?'],
  ])('treats %j as a usage error (exit 2)', async (args, message) => {
    const cwd = await makeProject({ checkers: [site('Home')] });
    const { code, stderr } = await runCli(args, cwd);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('prints help and version', async () => {
    const cwd = await makeProject({ checkers: [] });
    const help = await runCli(['--help'], cwd);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}every +check and store at an interval$/m);
    const version = await runCli(['--version'], cwd);
    expect(version.stdout).toMatch(/^checkup \d+\.\d+\.\d+\n$/);
  });

  it('publishes the same JSON Schema it validates with', async () => {
    const cwd = await makeProject({ checkers: [] });
    const { stdout } = await runCli(['schema'], cwd);
    const committed = await readFile(new URL('../../schema/checkup.schema.json', import.meta.url), 'utf8');
    expect(stdout).toBe(committed);
    const schema = JSON.parse(stdout);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['checkers', 'storage', 'concurrent_checks']),
    );
  });
});

describe('checkup (problems found while building checkers)', () => {
  it('names the checker whose CA file cannot be read, before any check runs', async () => {
    const cwd = await makeProject({
      checkers: [
        {
          type: 'tcp',
          endpoint_name: 'DB',
          endpoint_url: '127.0.0.1:1',
          tls: true,
          tls_ca_file: 'missing.pem',
        },
      ],
    });
    const { code, stderr } = await runCli(['--store'], cwd);
    expect(code).toBe(2);
    expect(stderr).toMatch(/checkup: checkers\[0\]\.tls_ca_file: cannot read missing\.pem: ENOENT/);
    expect(existsSync(path.join(cwd, 'checks'))).toBe(false);
  });
});
