import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChecker, createCheckers } from '../../core/checkers/create-checker.js';
import { validateConfig } from '../../core/config/parse-config.js';
import { statusOf } from '../../core/result.js';
import { makeCa, makeIntermediate, makeLeaf, type TestCertificate } from '../helpers/certificates.js';
import { closedPort, startTcpServer } from '../helpers/servers.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { type RunningTlsServer, startTlsServer } from '../helpers/tls-server.js';

const HOSTS = ['localhost', '127.0.0.1'];
let root: TestCertificate;
let rootFile: string;
const servers: RunningTlsServer[] = [];

beforeAll(async () => {
  root = await makeCa('Checkup Test Root', { toDays: 3650 });
  rootFile = path.join(await makeTempDir(), 'root.pem');
  await writeFile(rootFile, root.certPem);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await removeTempDirs();
});

async function serve(leaf: TestCertificate, chain: TestCertificate[] = []): Promise<string> {
  const server = await startTlsServer(leaf, chain);
  servers.push(server);
  return server.address;
}

async function check(endpoint: string, extra: Record<string, unknown> = {}) {
  const config = validateConfig({
    checkers: [
      { type: 'tls', endpoint_name: 'tls', endpoint_url: endpoint, trusted_roots: [rootFile], ...extra },
    ],
  });
  const checker = createChecker(config.checkers[0] as never, { allowExec: false });
  return checker.check({ timestamp: 1 });
}

describe('tls checker', () => {
  it('reports healthy for a trusted, valid certificate and records its expiry, issuer and subject', async () => {
    const leaf = await makeLeaf(root, HOSTS, { toDays: 90 });
    const result = await check(await serve(leaf), { attempts: 2 });
    expect(statusOf(result)).toBe('healthy');
    expect(result.times).toHaveLength(2);
    expect(result.times.every((t) => t.error === undefined && t.rtt > 0)).toBe(true);
    for (const { rtt, phases } of result.times) {
      expect(phases?.tls).toBeGreaterThan(0);
      expect(phases?.connect).toBeGreaterThan(0);
      expect((phases?.dns ?? 0) + (phases?.connect ?? 0) + (phases?.tls ?? 0)).toBe(rtt);
    }
    expect(result.cert).toEqual({
      expires: leaf.certificate.notAfter.getTime() * 1e6,
      issuer: 'CN=Checkup Test Root',
      subject: 'CN=localhost',
    });
    expect(result.notice).toBeUndefined();
  });

  it('reports down when the certificate has expired, saying how long ago', async () => {
    const leaf = await makeLeaf(root, HOSTS, { fromDays: -30, toDays: -2 });
    const result = await check(await serve(leaf));
    expect(statusOf(result)).toBe('down');
    expect(result.notice).toMatch(
      /^certificate "CN=localhost" expired 2 days ago \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/,
    );
    expect(result.times[0]?.error).toBe(result.notice);
  });

  it('reports degraded when the certificate expires within the default 14 days, giving the date and days left', async () => {
    const leaf = await makeLeaf(root, HOSTS, { toDays: 3 });
    const result = await check(await serve(leaf));
    expect(statusOf(result)).toBe('degraded');
    const date = leaf.certificate.notAfter.toISOString().slice(0, 16).replace('T', ' ');
    expect(result.notice).toBe(`certificate "CN=localhost" expires in 3 days (${date} UTC)`);
    expect(result.times[0]?.error).toBeUndefined();
  });

  it('reports healthy for a certificate expiring in 3 days when cert_expiry_threshold is 1 day', async () => {
    const leaf = await makeLeaf(root, HOSTS, { toDays: 3 });
    const result = await check(await serve(leaf), { cert_expiry_threshold: '1d' });
    expect(statusOf(result)).toBe('healthy');
  });

  it('reports down for a self-signed certificate that is not trusted', async () => {
    const leaf = await makeLeaf(undefined, HOSTS, { toDays: 90 });
    const result = await check(await serve(leaf));
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toBe(
      'untrusted certificate: certificate is self-signed (DEPTH_ZERO_SELF_SIGNED_CERT)',
    );
    expect(result.cert?.subject).toBe('CN=localhost');
  });

  it('accepts a self-signed certificate with tls_skip_verify but still judges its dates', async () => {
    const fresh = await makeLeaf(undefined, HOSTS, { toDays: 90 });
    expect(statusOf(await check(await serve(fresh), { tls_skip_verify: true }))).toBe('healthy');
    const expiring = await makeLeaf(undefined, HOSTS, { toDays: 3 });
    expect(statusOf(await check(await serve(expiring), { tls_skip_verify: true }))).toBe('degraded');
  });

  it('reports down when the certificate does not name the server', async () => {
    const leaf = await makeLeaf(root, ['www.example.test'], { toDays: 90 });
    const result = await check(await serve(leaf));
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toBe(
      'certificate does not match 127.0.0.1 (it names DNS:www.example.test)',
    );
  });

  it('checks the certificate against server_name when one is given', async () => {
    const leaf = await makeLeaf(root, ['www.example.test'], { toDays: 90 });
    const address = await serve(leaf);
    expect(statusOf(await check(address, { server_name: 'www.example.test' }))).toBe('healthy');
    const other = await check(address, { server_name: 'api.example.test' });
    expect(other.times[0]?.error).toMatch(/^certificate does not match api\.example\.test/);
  });

  it('reports degraded when an intermediate expires before the leaf, naming the intermediate', async () => {
    const intermediate = await makeIntermediate(root, 'Short Intermediate', { toDays: 5 });
    const leaf = await makeLeaf(intermediate, HOSTS, { toDays: 60 });
    const result = await check(await serve(leaf, [intermediate]));
    expect(statusOf(result)).toBe('degraded');
    expect(result.notice).toMatch(/^certificate "CN=Short Intermediate" expires in 5 days/);
    expect(result.cert).toMatchObject({ subject: 'CN=Short Intermediate', issuer: 'CN=Checkup Test Root' });
    expect(result.cert?.expires).toBe(intermediate.certificate.notAfter.getTime() * 1e6);
  });

  it('reports down when an intermediate has expired though the leaf has not', async () => {
    const intermediate = await makeIntermediate(root, 'Old Intermediate', { fromDays: -400, toDays: -1 });
    const leaf = await makeLeaf(intermediate, HOSTS, { toDays: 60 });
    const result = await check(await serve(leaf, [intermediate]));
    expect(statusOf(result)).toBe('down');
    expect(result.notice).toMatch(/^certificate "CN=Old Intermediate" expired 1 day ago/);
  });

  it('reports down for an untrusted chain without trusted_roots (system roots only)', async () => {
    const leaf = await makeLeaf(root, HOSTS, { toDays: 90 });
    const result = await check(await serve(leaf), { trusted_roots: undefined });
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toMatch(/^untrusted certificate: /);
  });

  it('reports down with a clear error when nothing listens', async () => {
    const result = await check(`127.0.0.1:${await closedPort()}`);
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toBe('connection refused (ECONNREFUSED)');
    expect(result.cert).toBeUndefined();
  });

  it('reports down when the server never answers the handshake, at the timeout', async () => {
    const silent = await startTcpServer();
    try {
      const result = await check(silent.url, { timeout: '300ms' });
      expect(statusOf(result)).toBe('down');
      expect(result.times[0]?.error).toBe('timed out after 300ms');
    } finally {
      await silent.close();
    }
  });

  it('refuses a config whose trusted_roots file cannot be read, naming the entry', () => {
    const config = validateConfig({
      checkers: [
        { type: 'tcp', endpoint_name: 'a', endpoint_url: '127.0.0.1:1' },
        {
          type: 'tls',
          endpoint_name: 'b',
          endpoint_url: '127.0.0.1:1',
          trusted_roots: ['/nonexistent/root.pem'],
        },
      ],
    });
    expect(() => createCheckers(config.checkers, { allowExec: true })).toThrow(
      /^checkers\[1\]\.trusted_roots\[0\]: cannot read \/nonexistent\/root\.pem: ENOENT/,
    );
  });
});
