import { afterEach, describe, expect, it } from 'vitest';
import { terminalLines, terminalText } from '../../cli/terminal-text.js';
import { type RunningDnsServer, startDnsServer } from '../helpers/dns-server.js';
import { runCli } from '../helpers/run-cli.js';
import { type RunningServer, startTcpServer } from '../helpers/servers.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

/** What a terminal would act on: C0 controls but newline and tab, DEL, C1. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the test.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const HOSTILE = '\x1b]0;pwned\x07\x1b[2J';

let server: RunningServer | undefined;
let dns: RunningDnsServer | undefined;
afterEach(async () => {
  await server?.close();
  await dns?.close();
  server = undefined;
  dns = undefined;
  await removeTempDirs();
});

/** A raw server answering every request with a reason phrase that retitles and clears a terminal. */
async function hostileHttpServer(): Promise<RunningServer> {
  return startTcpServer((socket) => {
    socket.once('data', () => {
      socket.end(
        Buffer.from(
          `HTTP/1.1 503 Bad${HOSTILE}\x9b31m\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
          'latin1',
        ),
      );
    });
  });
}

describe('text from the network reaches the terminal escaped', () => {
  it('escapes an HTTP reason phrase carrying escape sequences', async () => {
    server = await hostileHttpServer();
    const cwd = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Web', endpoint_url: `http://${server.url}/` }],
    });
    const { code, stdout } = await runCli([], cwd);
    expect(code).toBe(1);
    expect(stdout).toContain('response status 503 Bad\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m');
    expect(stdout).not.toMatch(RAW_CONTROL);
  });

  it('escapes a DNS TXT answer quoted in an error', async () => {
    dns = await startDnsServer({ zone: { 'evil.test': { TXT: [`v=1${HOSTILE}`] } } });
    const cwd = await makeProject({
      checkers: [
        {
          type: 'dns',
          endpoint_name: 'Txt',
          endpoint_url: dns.address,
          hostname_fqdn: 'evil.test',
          record_type: 'TXT',
          expect: ['v=2'],
        },
      ],
    });
    const { code, stdout } = await runCli([], cwd);
    expect(code).toBe(1);
    expect(stdout).toContain('(got v=1\\x1b]0;pwned\\x07\\x1b[2J)');
    expect(stdout).not.toMatch(RAW_CONTROL);
  });

  it('escapes stored errors that checkup history prints', async () => {
    server = await hostileHttpServer();
    const cwd = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Web', endpoint_url: `http://${server.url}/` }],
    });
    expect((await runCli(['--store'], cwd)).code).toBe(1);
    const { code, stdout } = await runCli(['history', 'Web'], cwd);
    expect(code).toBe(0);
    expect(stdout).toContain('Bad\\x1b]0;pwned');
    expect(stdout).not.toMatch(RAW_CONTROL);
  });

  it.each([
    ['plain text', 'plain text'],
    ['a\x1b[2Jb', 'a\\x1b[2Jb'],
    ['bell\x07', 'bell\\x07'],
    ['csi\u009b', 'csi\\x9b'],
    ['line\nbreak', 'line\\x0abreak'],
    ['tab\tescaped', 'tab\\x09escaped'],
    ['del\x7f', 'del\\x7f'],
    ['\u202eoverride', '\\u202eoverride'],
    ['ünïcode ✓', 'ünïcode ✓'],
  ])('terminalText(%j) is %j', (input, shown) => {
    expect(terminalText(input)).toBe(shown);
  });

  it('keeps newlines when asked to (multi-line error lists)', () => {
    expect(terminalLines('one\ntwo\x1b')).toBe('one\ntwo\\x1b');
  });
});
