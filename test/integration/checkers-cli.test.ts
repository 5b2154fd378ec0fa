import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../core/config/parse-config.js';
import type { Result } from '../../core/result.js';
import { makeCa, makeLeaf, type TestCertificate } from '../helpers/certificates.js';
import { type RunningDnsServer, startDnsServer } from '../helpers/dns-server.js';
import { runCli } from '../helpers/run-cli.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';
import { type RunningTlsServer, startTlsServer } from '../helpers/tls-server.js';

let dns: RunningDnsServer;
let root: TestCertificate;
const tlsServers: RunningTlsServer[] = [];

beforeAll(async () => {
  dns = await startDnsServer({ zone: { 'www.example.test': { A: ['192.0.2.10'] } } });
  root = await makeCa('Checkup CLI Root', { toDays: 3650 });
});

afterAll(async () => {
  await Promise.all([dns.close(), ...tlsServers.map((s) => s.close())]);
  await removeTempDirs();
});

async function tlsEndpoint(toDays: number): Promise<string> {
  const server = await startTlsServer(await makeLeaf(root, ['127.0.0.1'], { toDays }));
  tlsServers.push(server);
  return server.address;
}

async function project(tlsAddress: string): Promise<string> {
  const dir = await makeProject({
    checkers: [
      {
        type: 'dns',
        endpoint_name: 'Name server',
        endpoint_url: dns.address,
        hostname_fqdn: 'www.example.test.',
        expect: ['192.0.2.10'],
      },
      { type: 'tls', endpoint_name: 'Certificate', endpoint_url: tlsAddress, trusted_roots: ['root.pem'] },
      {
        type: 'exec',
        name: 'Script',
        command: process.execPath,
        arguments: ['-e', 'console.log("ready")'],
        must_contain: 'ready',
      },
    ],
    storage: { type: 'fs', dir: 'checks' },
  });
  await writeFile(path.join(dir, 'root.pem'), root.certPem);
  return dir;
}

describe('checkup with tls, dns and exec checkers', () => {
  it('checks them all from checkup.json and exits 0 when all are healthy', async () => {
    const dir = await project(await tlsEndpoint(90));
    const outcome = await runCli(['--store'], dir);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain(`== Name server - ${dns.address}`);
    expect(outcome.stdout).toContain('== Certificate - 127.0.0.1:');
    expect(outcome.stdout).toContain('== Script - ');
    expect(outcome.stdout.match(/Assessment: healthy/g)).toHaveLength(3);

    const files = (await readdir(path.join(dir, 'checks'))).filter((f) => f.endsWith('-check.json'));
    expect(files).toHaveLength(1);
    const run = JSON.parse(await readFile(path.join(dir, 'checks', files[0] as string), 'utf8')) as Result[];
    const tls = run.find((r) => r.title === 'Certificate');
    expect(tls?.cert).toMatchObject({ subject: 'CN=127.0.0.1', issuer: 'CN=Checkup CLI Root' });
  });

  it('prints the expiry notice and exits 1 when a certificate expires soon', async () => {
    const dir = await project(await tlsEndpoint(3));
    const outcome = await runCli([], dir);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(
      /== Certificate[\s\S]*Assessment: degraded\n {5}Notice: certificate "CN=127\.0\.0\.1" expires in 3 days/,
    );
  });

  it('exits 2 naming the entry when a trusted_roots file is missing', async () => {
    const dir = await makeProject({
      checkers: [
        { type: 'tls', endpoint_name: 'T', endpoint_url: '127.0.0.1:1', trusted_roots: ['missing.pem'] },
      ],
    });
    const outcome = await runCli([], dir);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^checkup: checkers\[0\]\.trusted_roots\[0\]: cannot read missing\.pem/);
  });
});

describe('the config reference', () => {
  it('shows a json assertion example that the config accepts', async () => {
    const readme = await readFile(fileURLToPath(new URL('../../docs/config.md', import.meta.url)), 'utf8');
    const block = /```json\n("json": \[[\s\S]*?\n\])\n```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const config = validateConfig(
      JSON.parse(
        `{"checkers": [{"type": "http", "endpoint_name": "a", "endpoint_url": "http://x.test", ${block}}]}`,
      ),
    );
    expect(config.checkers[0]).toMatchObject({
      json: expect.arrayContaining([{ path: 'status', equals: 'ok' }]),
    });
  });
});
