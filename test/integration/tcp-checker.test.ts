import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTcpChecker } from '../../core/checkers/tcp-checker.js';
import type { TcpCheckerConfig } from '../../core/config/checker-schemas.js';
import { makeCa, makeLeaf } from '../helpers/certificates.js';
import { closedPort, type RunningServer, startTcpServer } from '../helpers/servers.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { startTlsServer } from '../helpers/tls-server.js';

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await removeTempDirs();
});

function check(config: Partial<TcpCheckerConfig> & { endpoint_url: string }) {
  return createTcpChecker({ type: 'tcp', endpoint_name: 'Port', ...config }).check({ timestamp: 7 });
}

describe('tcp checker', () => {
  it('reports healthy when the port accepts connections', async () => {
    const server = await startTcpServer();
    servers.push(server);
    const result = await check({ endpoint_url: server.url, attempts: 2 });
    expect(result).toMatchObject({ title: 'Port', endpoint: server.url, timestamp: 7, healthy: true });
    expect(result.times).toHaveLength(2);
    expect(result.times.every((t) => t.rtt > 0 && t.error === undefined)).toBe(true);
  });

  it('reports a refused connection as down', async () => {
    const result = await check({ endpoint_url: `127.0.0.1:${await closedPort()}` });
    expect(result.down).toBe(true);
    expect(result.times[0]?.error).toBe('connection refused (ECONNREFUSED)');
  });

  it('times out a TLS handshake the server never answers', async () => {
    const server = await startTcpServer();
    servers.push(server);
    const result = await check({ endpoint_url: server.url, tls: true, timeout: 300e6 });
    expect(result.down).toBe(true);
    expect(result.times[0]?.error).toBe('timed out after 300ms');
  });

  it('reports a server that hangs up during the TLS handshake as down', async () => {
    const server = await startTcpServer((socket) => socket.destroy());
    servers.push(server);
    const result = await check({ endpoint_url: server.url, tls: true, tls_skip_verify: true });
    expect(result.down).toBe(true);
    expect(result.times[0]?.error).toBeTruthy();
  });

  it('completes a TLS handshake trusted through tls_ca_file, and fails it without', async () => {
    const ca = await makeCa('Tcp Test CA', { toDays: 30 });
    const server = await startTlsServer(await makeLeaf(ca, ['localhost', '127.0.0.1'], { toDays: 30 }));
    servers.push({ ...server, url: server.address });
    const caFile = path.join(await makeTempDir(), 'ca.pem');
    await writeFile(caFile, ca.certPem);
    const trusted = await check({ endpoint_url: server.address, tls: true, tls_ca_file: caFile });
    expect(trusted.healthy).toBe(true);
    const untrusted = await check({ endpoint_url: server.address, tls: true });
    expect(untrusted.down).toBe(true);
    expect(untrusted.times[0]?.error).toMatch(/unable to verify|self-signed|certificate/i);
    const skipped = await check({ endpoint_url: server.address, tls: true, tls_skip_verify: true });
    expect(skipped.healthy).toBe(true);
  });
});
