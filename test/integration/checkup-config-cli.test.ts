import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/run-cli.js';
import { type RunningServer, startHttpServer, startTcpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const WALKTHROUGH = new URL('checkup-walkthrough.json', FIXTURES);
const CHECKUP_TESTDATA = new URL('checkup-testdata-config.json', FIXTURES);

let server: RunningServer;
let requests = 0;
beforeEach(async () => {
  requests = 0;
  server = await startHttpServer((_, res) => {
    requests += 1;
    res.end('hello');
  });
});
afterEach(async () => {
  await server.close();
  await removeTempDirs();
});

const site = (extra: Record<string, unknown> = {}) => ({
  type: 'http',
  endpoint_name: 'Home',
  endpoint_url: `${server.url}/`,
  ...extra,
});

/** A checker for tables built before the server starts: a refused config never reaches it. */
const offline = (extra: Record<string, unknown> = {}) => ({
  type: 'http',
  endpoint_name: 'Home',
  endpoint_url: 'http://127.0.0.1:1/',
  ...extra,
});

/** A project whose checkup.json is the walkthrough's file, byte for byte. */
async function walkthroughProject(): Promise<string> {
  const dir = await makeProject('');
  await copyFile(WALKTHROUGH, path.join(dir, 'checkup.json'));
  return dir;
}

/** Starts `checkup serve` and resolves with its stderr once it listens; rejects if it exits first. */
async function serveUntilListening(args: readonly string[], cwd: string) {
  const { child, outcome } = startCli(['serve', ...args], cwd);
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes('serving the status page at http://127.0.0.1:')) resolve();
    });
    child.once('exit', () => reject(new Error(`checkup serve exited: ${stderr}`)));
  });
  child.kill('SIGTERM');
  await outcome;
  return { stderr };
}

describe("a checkup.json from checkup's widely read walkthrough, unchanged", () => {
  it('checks and prints, with a note on storage.url and a warning naming the placeholder webhook', async () => {
    const cwd = await walkthroughProject();
    const { code, stdout, stderr } = await runCli([], cwd);
    expect(stdout).toContain('== user-service - http://localhost:8000');
    expect(stdout).toContain('== billing-service - http://localhost:8080');
    expect(code).not.toBe(2);
    expect(stderr).toMatch(/^checkup: notice: checkup\.json: storage\.url: no effect here: .+$/m);
    expect(stderr).toMatch(/^checkup: warning: checkup\.json: notifier\.webhook: not an http\(s\) URL.*$/m);
    expect(stderr).not.toContain('unknown key');
  });

  it.each([[['--store']], [['every', '3s']], [['serve', '--listen', '127.0.0.1:0', '--every', '1m']]])(
    'is refused by %j, which alerts, naming the webhook, before any check',
    async (args) => {
      const cwd = await walkthroughProject();
      const { code, stderr } = await runCli(args, cwd);
      expect(code).toBe(2);
      expect(stderr).toContain('checkup: checkup.json: notifier.webhook: not an http(s) URL');
      expect(existsSync(path.join(cwd, 'check_files'))).toBe(false);
    },
  );

  it('is served by serve, which sends no alerts', async () => {
    const cwd = await walkthroughProject();
    const { stderr } = await serveUntilListening(['--listen', '127.0.0.1:0'], cwd);
    expect(stderr).toMatch(/\(data from \/\S+\/check_files\)/);
    expect(stderr).toContain('warning: checkup.json: notifier.webhook');
  });

  it('stores and alerts once the webhook is a real one, storage.url still only a note', async () => {
    const cwd = await walkthroughProject();
    const posted: string[] = [];
    const hook = await startHttpServer((req, res) => {
      req.on('data', (chunk) => posted.push(String(chunk)));
      req.on('end', () => res.end('ok'));
    });
    try {
      const text = await readFile(path.join(cwd, 'checkup.json'), 'utf8');
      await writeFile(path.join(cwd, 'checkup.json'), text.replace('"webhook-url"', `"${hook.url}/hook"`));
      const { code, stderr } = await runCli(['--store'], cwd);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^checkup: notice: checkup\.json: storage\.url: no effect here/m);
      expect(stderr).not.toContain('warning');
      expect(existsSync(path.join(cwd, 'check_files', 'index.json'))).toBe(true);
      expect(posted.join('')).toContain('user-service');
    } finally {
      await hook.close();
    }
  });
});

describe("checkup's own testdata config", () => {
  it('loads and runs, its zero timestamp meaning "not set"', async () => {
    const cwd = await makeProject('');
    const { code, stdout, stderr } = await runCli(['-c', CHECKUP_TESTDATA.pathname], cwd);
    expect(stderr).toBe('');
    expect(code).not.toBe(2);
    for (const name of ['Example (HTTP)', 'Example (HTTPS)', 'localhost'])
      expect(stdout).toContain(`== ${name} - `);
  });
});

describe("checkup's zero timestamp", () => {
  it("stores the run under the run's own time", async () => {
    const { timestamp } = JSON.parse(await readFile(CHECKUP_TESTDATA, 'utf8'));
    expect(timestamp).toBe('0001-01-01T00:00:00Z');
    const cwd = await makeProject({ checkers: [site()], timestamp });
    const before = BigInt(Date.now()) * 1_000_000n;
    const { code } = await runCli(['--store'], cwd);
    const after = BigInt(Date.now()) * 1_000_000n;
    expect(code).toBe(0);
    const [run] = (await readdir(path.join(cwd, 'checks'))).filter((name) => name.endsWith('-check.json'));
    const ns = BigInt((run as string).replace('-check.json', ''));
    expect(ns >= before && ns <= after).toBe(true);
  });
});

describe("checkup's notifier types", () => {
  it("checks checkup's single mail notifier like any other, naming each missing key", async () => {
    const cwd = await makeProject({ checkers: [site()], notifier: { name: 'mail', from: 'a@example.com' } });
    const plain = await runCli([], cwd);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('warning: checkup.json: notifier.to: required; this run sends no alerts');
    const store = await runCli(['--store'], cwd);
    expect(store.code).toBe(2);
    expect(store.stderr).toContain('checkup: checkup.json: notifier.to: required\n');
    expect(store.stderr).toContain(
      'checkup: checkup.json: notifier.smtp: required (or ses, to send through Amazon SES)\n',
    );
    expect(plain.stderr + store.stderr).not.toContain('not supported');
  });
});

describe('usage and config errors in our words (exit 2)', () => {
  it.each([
    [
      ['every', '-5s'],
      'checkup: every: "-5s" is negative; an interval is a positive duration such as 30s or 1m',
    ],
    [
      ['serve', '--every', '-5s'],
      'checkup: --every: "-5s" is negative; an interval is a positive duration such as 30s or 1m',
    ],
    [['--bogus'], 'checkup: unknown option --bogus'],
    [['-x'], 'checkup: unknown option -x'],
    [['-c'], 'checkup: --config needs a value: --config FILE'],
    [['--config='], 'checkup: --config needs a value: --config FILE'],
    [['--stor'], 'checkup: unknown option --stor; did you mean --store?'],
    [['--store=yes'], 'checkup: --store takes no value (got "--store=yes")'],
    [['every', '100ms'], 'checkup: every: "100ms" is too short; the shortest interval is 1s'],
    [
      ['serve', '--every', '0.5s'],
      'checkup: serve --every: "0.5s" is too short; the shortest interval is 1s',
    ],
  ])('%j', async (args, message) => {
    const cwd = await makeProject({ checkers: [site()] });
    const { code, stderr } = await runCli(args, cwd);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(message);
    expect(stderr).not.toContain('To specify a positional argument');
    expect(requests).toBe(0);
  });

  it('says -c names a folder', async () => {
    const cwd = await makeProject({ checkers: [site()] });
    const { code, stderr } = await runCli(['-c', '.'], cwd);
    expect(code).toBe(2);
    expect(stderr).toBe('checkup: .: is a folder, not a config file (pass -c path/to/checkup.json)\n');
  });

  it.each([
    [
      { checkers: [offline({ attempts: '3' })] },
      'checkup: checkup.json: checkers[0].attempts: expected a number, got the string "3" (write it without quotes)',
    ],
    [
      { checkers: [] },
      'checkup: checkup.json: checkers: nothing to check: the list is empty (add a checker)',
    ],
    [{ checkers: [offline()], timestamp: -5 }, 'checkup: checkup.json: timestamp: -5 is not a time'],
    [{ checkers: [offline()], timestamp: 1e300 }, 'checkup: checkup.json: timestamp: 1e+300 is not a time'],
    [
      { checkers: [{ type: 'tcp', endpoint_name: 'DB', endpoint_url: '127.0.0.1:99999' }] },
      'checkup: checkup.json: checkers[0].endpoint_url: port 99999 is out of range (1-65535)',
    ],
    [
      { checkers: [offline({ headers: { 'X-Trace': 'a\r\nX-Injected: 1' } })] },
      'checkup: checkup.json: checkers[0].headers.X-Trace: a header value cannot contain a line break',
    ],
    [
      { checkers: [offline({ headers: { 'X Trace': 'a' } })] },
      'checkup: checkup.json: checkers[0].headers.X Trace: not a header name',
    ],
  ])('refuses %j before any check, naming the place', async (config, message) => {
    const cwd = await makeProject(config);
    const { code, stderr } = await runCli(['--store'], cwd);
    expect(code).toBe(2);
    expect(stderr.startsWith(message)).toBe(true);
    expect(requests).toBe(0);
    expect(existsSync(path.join(cwd, 'checks'))).toBe(false);
  });

  it('shows an escape sequence in a misspelt key instead of sending it to the terminal', async () => {
    const cwd = await makeProject({ checkers: [offline()], '\u001b[2Jstorage': {} });
    const { code, stderr } = await runCli([], cwd);
    expect(code).toBe(2);
    expect(stderr).toBe('checkup: checkup.json: \\x1b[2Jstorage: unknown key\n');
  });

  it('reports a misspelt top-level key and a bad checker type together', async () => {
    const cwd = await makeProject({ checkers: [site({ type: 'htp' })], storag: {} });
    const { code, stderr } = await runCli([], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain('checkup: checkup.json: storag: unknown key; did you mean "storage"?\n');
    expect(stderr).toContain('checkup: checkup.json: checkers[0].type: unknown type "htp"');
  });

  it('refuses a storage.dir that names a file before any check runs', async () => {
    const cwd = await makeProject({ checkers: [site()], storage: { type: 'fs', dir: 'taken' } });
    await writeFile(path.join(cwd, 'taken'), 'a file');
    const { code, stderr } = await runCli(['--store'], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'checkup: checkup.json: storage.dir: "taken" is a file (or inside one), not a folder',
    );
    expect(requests).toBe(0);
  });

  it('accepts a UTF-8 byte order mark and names UTF-16 text', async () => {
    const text = JSON.stringify({ checkers: [site()] });
    const bom = await makeProject('');
    await writeFile(path.join(bom, 'checkup.json'), `\uFEFF${text}`);
    expect((await runCli([], bom)).code).toBe(0);

    const utf16 = await makeProject('');
    await writeFile(path.join(utf16, 'checkup.json'), Buffer.from(`\uFEFF${text}`, 'utf16le'));
    const { code, stderr } = await runCli([], utf16);
    expect(code).toBe(2);
    expect(stderr).toBe('checkup: checkup.json: the file is UTF-16 text; save it as UTF-8 (JSON is UTF-8)\n');
  });

  it('refuses 200,000 nested brackets with a message, not a stack overflow', async () => {
    const cwd = await makeProject(`{"checkers":${'['.repeat(200_000)}`);
    const { code, stderr } = await runCli([], cwd);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'checkup: checkup.json: nested more than 64 levels deep at line 1, column 76 (a checkup.json needs a few)\n',
    );
  });

  it('says a port in use is in use, and suggests --listen', async () => {
    const busy = await startTcpServer();
    try {
      const cwd = await makeProject({ checkers: [site()] });
      await mkdir(path.join(cwd, 'checks'));
      const { code, stderr } = await runCli(['serve', '--listen', `127.0.0.1:${busy.port}`], cwd);
      expect(code).toBe(2);
      expect(stderr).toContain(`checkup: serve: 127.0.0.1:${busy.port} is already in use`);
      expect(stderr).toContain('--listen');
    } finally {
      await busy.close();
    }
  });
});
