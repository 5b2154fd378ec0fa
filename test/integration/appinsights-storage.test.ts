import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppInsightsStorage, WriteOnlyStorageError } from '../../adapters/storage/appinsights-storage.js';
import { timeSpan } from '../../adapters/storage/availability-envelope.js';
import type { AppinsightsStorageConfig } from '../../core/config/storage-schemas.js';
import type { Storage } from '../../core/storage.js';
import { type AppInsightsReceiver, startAppInsightsReceiver } from '../helpers/appinsights-receiver.js';
import { minute, resultAt } from '../helpers/results.js';
import { runCli } from '../helpers/run-cli.js';
import { startHttpServer } from '../helpers/servers.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

const KEY = '0f3c2a1b-1111-4222-8333-444455556666';
let receiver: AppInsightsReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await removeTempDirs();
});

function config(extra: Partial<AppinsightsStorageConfig> = {}): AppinsightsStorageConfig {
  return { type: 'appinsights', instrumentation_key: KEY, endpoint: receiver?.url, ...extra };
}

describe('appinsights storage', () => {
  it('sends each result as availability telemetry, as checkup did', async () => {
    receiver = await startAppInsightsReceiver();
    const slow = resultAt(minute(1), 'degraded', 'API', {
      times: [{ rtt: 300e6 }, { rtt: 500e6 }],
      threshold: 200e6,
      notice: 'slow today',
    });
    const ref = await new AppInsightsStorage(config({ tags: { team: 'ops' } })).store([
      resultAt(minute(1), 'healthy'),
      slow,
    ]);
    expect(ref.name).toBe(`${BigInt(minute(1))}-check.json`);
    expect(receiver.refused).toEqual([]);
    expect(receiver.requests).toBe(1);
    expect(receiver.accepted.map((item) => item.data.baseData)).toEqual([
      expect.objectContaining({
        name: 'Site',
        success: true,
        message: 'healthy',
        runLocation: 'Checkup Monitor',
      }),
      {
        ver: 2,
        id: String(BigInt(minute(1))),
        name: 'API',
        duration: '0.00:00:00.4000000',
        success: false,
        runLocation: 'Checkup Monitor',
        message: 'degraded - slow today',
        properties: { team: 'ops', ThresholdRTT: '200ms', endpoint: 'https://api.example' },
        measurements: { '0': 300e6, '1': 500e6 },
      },
    ]);
    expect(receiver.accepted[1]?.time).toBe(new Date(minute(1) / 1e6).toISOString());
  });

  it("sends to the connection string's ingestion endpoint with its key", async () => {
    receiver = await startAppInsightsReceiver();
    const other = '11111111-2222-4333-8444-555566667777';
    await new AppInsightsStorage({
      type: 'appinsights',
      connection_string: `InstrumentationKey=${other};IngestionEndpoint=${receiver.url}/;LiveEndpoint=https://live.example/`,
      test_location: 'eu-west',
    }).store([resultAt(minute(2), 'down')]);
    expect(receiver.accepted).toHaveLength(1);
    expect(receiver.accepted[0]).toMatchObject({ iKey: other });
    expect(receiver.accepted[0]?.data.baseData).toMatchObject({ runLocation: 'eu-west', success: false });
  });

  it('sends the items the endpoint could not take again, with max_retries and retry_interval', async () => {
    receiver = await startAppInsightsReceiver();
    receiver.failNext(206);
    await new AppInsightsStorage(config({ max_retries: 2, retry_interval: 1 })).store([
      resultAt(minute(3), 'healthy'),
    ]);
    expect(receiver.requests).toBe(2);
    expect(receiver.accepted).toHaveLength(1);
  });

  it('fails the store, naming the status, when the endpoint refuses and no retries are set', async () => {
    receiver = await startAppInsightsReceiver();
    receiver.failNext(503);
    await expect(new AppInsightsStorage(config()).store([resultAt(minute(4), 'healthy')])).rejects.toThrow(
      /Application Insights .*HTTP 503/,
    );
    expect(receiver.requests).toBe(1);
  });

  it('refuses to read back, saying where the results went', async () => {
    const storage: Storage = new AppInsightsStorage(config());
    await expect(storage.history('Site')).rejects.toBeInstanceOf(WriteOnlyStorageError);
    await expect(storage.list()).rejects.toThrow(/keeps nothing to read back/);
  });

  it.each([
    [0, '0.00:00:00.0000000'],
    [123_456_789, '0.00:00:00.1234567'],
    [90_061e9, '1.01:01:01.0000000'],
  ])('writes %d ns as the TimeSpan %s', (ns, text) => {
    expect(timeSpan(ns)).toBe(text);
  });
});

describe('appinsights storage through the built checkup', () => {
  it('sends with --store, and refuses history and serve before starting', async () => {
    receiver = await startAppInsightsReceiver();
    const site = await startHttpServer((_request, response) => response.end('ok'));
    try {
      const dir = await makeTempDir();
      await writeFile(
        path.join(dir, 'checkup.json'),
        JSON.stringify({
          checkers: [{ type: 'http', endpoint_name: 'Site', endpoint_url: site.url }],
          storage: { type: 'appinsights', instrumentation_key: KEY, endpoint: receiver.url },
        }),
      );
      const stored = await runCli(['--store'], dir);
      expect(stored.stderr).toBe('');
      expect(stored.code).toBe(0);
      expect(receiver.accepted.map((item) => item.data.baseData.name)).toEqual(['Site']);
      for (const args of [
        ['history', 'Site'],
        ['serve', '--listen', '127.0.0.1:0'],
        ['summaries', 'rebuild'],
      ]) {
        const refused = await runCli(args, dir);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain('storage.type: "appinsights" storage only sends each run on');
      }
    } finally {
      await site.close();
    }
  });
});
