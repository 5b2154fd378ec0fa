import { rename, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FsStorage } from '../../adapters/storage/fs-storage.js';
import { createStatusServer, storageStatusData } from '../../cli/status-server.js';
import { pageSettings } from '../../core/summary/page-settings.js';
import { generateSummary } from '../helpers/generate-summary.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

const SITE = fileURLToPath(new URL('../../dist/statuspage/', import.meta.url));
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await removeTempDirs();
});

/** The real status server over real fs storage, counting how often the summary is read. */
async function serveCounting() {
  const dir = await makeTempDir();
  const storage = new FsStorage({ dir });
  let reads = 0;
  const counted = {
    read: (name: string) => storage.read(name),
    summaryVersion: () => storage.summaryVersion(),
    readSummary: () => {
      reads += 1;
      return storage.readSummary();
    },
  };
  const server = await createStatusServer({
    siteDir: SITE,
    data: storageStatusData(counted),
    settings: pageSettings(undefined, undefined),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  closers.push(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  const get = (pathname: string) =>
    new Promise<{ status: number; etag: string; body: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: pathname, agent }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => {
            body += chunk;
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, etag: String(response.headers.etag), body }),
          );
        })
        .on('error', reject);
    });
  return { dir, get, reads: () => reads };
}

describe('checkup serve under a burst of requests', () => {
  it('reads and parses the summary once for 300 concurrent requests, and once more only when it changes', async () => {
    const { dir, get, reads } = await serveCounting();
    const first = generateSummary({ endpoints: 40 });
    await writeFile(path.join(dir, 'summary.json'), JSON.stringify(first));

    const burst = await Promise.all(Array.from({ length: 300 }, () => get('/data/summary.json')));
    expect(new Set(burst.map((response) => response.status))).toEqual(new Set([200]));
    expect(new Set(burst.map((response) => response.etag)).size).toBe(1);
    expect(JSON.parse(burst[0]?.body ?? '').endpoints).toHaveLength(40);
    const badges = await Promise.all(
      first.endpoints.map((endpoint) => get(`/data/badge/${encodeURIComponent(endpoint.title)}.svg`)),
    );
    expect(badges.every((badge) => badge.status === 200)).toBe(true);
    expect(reads()).toBe(1);

    // A new summary (written whole and renamed, as the storage does) is served at once.
    const second = generateSummary({ endpoints: 41 });
    await writeFile(path.join(dir, 'summary.json.new'), JSON.stringify(second));
    await rename(path.join(dir, 'summary.json.new'), path.join(dir, 'summary.json'));
    const after = await Promise.all(Array.from({ length: 50 }, () => get('/data/summary.json')));
    expect(JSON.parse(after[0]?.body ?? '').endpoints).toHaveLength(41);
    expect(after[0]?.etag).not.toBe(burst[0]?.etag);
    expect(reads()).toBe(2);
  });
});
