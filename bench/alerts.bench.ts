// Alerting cost on checkup's yardstick of 1,000 endpoints: 60 runs, 1% of endpoints changing
// state in each, 2 webhook notifiers on a loopback server, fs alert state. Prints the time per
// processRun as a ratio to storing the same run (FsStorage.store), and the state file's size.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FsAlertStateStore } from '../adapters/alerts/fs-alert-state-store.js';
import { createNotifiers } from '../adapters/notifiers/create-notifiers.js';
import { FsStorage } from '../adapters/storage/fs-storage.js';
import { processRun } from '../core/alerts/process-run.js';
import { validateConfig } from '../core/config/parse-config.js';
import type { Result } from '../core/result.js';

const ENDPOINTS = 1000;
const RUNS = 60;

export default async function bench(): Promise<void> {
  let posts = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      posts++;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'checkup-bench-alerts-'));
  try {
    const config = validateConfig({
      checkers: [],
      notifiers: [
        { type: 'webhook', url },
        { type: 'webhook', url, failure_threshold: 2 },
      ],
    });
    const notifiers = await createNotifiers(config.notifiers);
    const stateStore = new FsAlertStateStore({ dir });
    const storage = new FsStorage({ dir: path.join(dir, 'runs') });
    const down = new Set<number>();
    let storeMs = 0;
    let alertMs = 0;
    for (let run = 0; run < RUNS; run++) {
      for (let n = 0; n < ENDPOINTS / 100; n++) {
        const which = (run * 37 + n * 101) % ENDPOINTS;
        if (down.has(which)) down.delete(which);
        else down.add(which);
      }
      const timestamp = (Date.UTC(2026, 0, 1) + run * 60_000) * 1e6;
      const results: Result[] = Array.from({ length: ENDPOINTS }, (_, i) => ({
        title: `endpoint ${i}`,
        endpoint: `https://e${i}.example`,
        timestamp,
        times: down.has(i) ? [{ rtt: 1e6, error: 'connection refused' }] : [{ rtt: 5e6 }],
        ...(down.has(i) ? { down: true } : { healthy: true }),
      }));
      let started = performance.now();
      await storage.store(results);
      storeMs += performance.now() - started;
      started = performance.now();
      await processRun(results, { stateStore, notifiers });
      alertMs += performance.now() - started;
    }
    const size = (await stat(stateStore.file)).size;
    console.log(`endpoints ${ENDPOINTS}, runs ${RUNS}, alerts posted ${posts}`);
    console.log(
      `processRun per run: ${(alertMs / RUNS).toFixed(1)} ms = ${(alertMs / storeMs).toFixed(2)}x a store`,
    );
    console.log(
      `alert state file: ${(size / 1024).toFixed(0)} KiB = ${(size / ENDPOINTS).toFixed(0)} bytes per endpoint`,
    );
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
