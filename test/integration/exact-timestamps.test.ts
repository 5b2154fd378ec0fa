import { cp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamodbStorage } from '../../adapters/storage/dynamodb-storage.js';
import { FsStorage } from '../../adapters/storage/fs-storage.js';
import { S3Storage } from '../../adapters/storage/s3-storage.js';
import { parseResults, stringifyResults } from '../../core/result-json.js';
import type { Storage } from '../../core/storage.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { type RunningDynalite, startDynalite } from '../helpers/dynalite.js';
import { runCli } from '../helpers/run-cli.js';
import { type RunningS3rver, startS3rver } from '../helpers/s3rver.js';
import { startHttpServer } from '../helpers/servers.js';
import { startServe } from '../helpers/start-serve.js';
import { makeProject, makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

/** A folder that checkup (Go) itself wrote with its fs storage: two runs and its index.json. */
const GO_DIR = fileURLToPath(new URL('../fixtures/checkup-go-fs/', import.meta.url));
const GO_RUNS = ['1796011988992071555-check.json', '1796011990423503353-check.json'];
/** The clock of the storages under test: when checkup wrote its second run. */
const NOW = Number(1796011990423503353n);

/** The `"timestamp":` literals of a JSON text, as written, in order. */
function timestampLiterals(text: string): string[] {
  return [...text.matchAll(/"timestamp"\s*:\s*(-?\d+)/g)].map((match) => match[1] as string);
}

async function goText(name: string): Promise<string> {
  return readFile(path.join(GO_DIR, name), 'utf8');
}

/** The Go timestamps of every result titled `title`, in run order. */
async function goTimestampsOf(title: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of GO_RUNS) {
    const text = await goText(name);
    const results = JSON.parse(text) as Array<{ title: string }>;
    const literals = timestampLiterals(text);
    results.forEach((result, i) => {
      if (result.title === title) found.push(literals[i] as string);
    });
  }
  return found;
}

async function goFolderCopy(): Promise<string> {
  const dir = await makeTempDir();
  await cp(GO_DIR, dir, { recursive: true });
  return dir;
}

afterEach(removeTempDirs);

/**
 * What every storage must do with a run checkup wrote: store it, give it back through read and
 * history with the timestamps' bytes unchanged, and name the stored run by its first result's
 * time to the nanosecond.
 */
async function expectExactRoundTrip(storage: Storage, stored: () => Promise<string>): Promise<void> {
  const text = await goText(GO_RUNS[0] as string);
  const goTimestamps = timestampLiterals(text);
  const ref = await storage.store(parseResults(text));
  expect(ref.name).toBe(`${goTimestamps[0]}-check.json`);
  expect(timestampLiterals(await stored())).toEqual(goTimestamps);
  const history = await storage.history('Slow API');
  expect(history).toHaveLength(1);
  expect(timestampLiterals(stringifyResults(history))).toEqual([goTimestamps[1]]);
  expect(timestampLiterals(stringifyResults(await storage.read(ref.name)))).toEqual(goTimestamps);
}

describe('timestamps of a folder checkup wrote keep every nanosecond', () => {
  it('reads back through fs history with the bytes checkup wrote', async () => {
    const storage = new FsStorage({ dir: await goFolderCopy() });
    const history = await storage.history('Website');
    expect(timestampLiterals(stringifyResults(history))).toEqual(await goTimestampsOf('Website'));
    for (const name of GO_RUNS)
      expect(stringifyResults(await storage.read(name))).toBe((await goText(name)).trimEnd());
  });

  it('rebuilds the summary from those runs, naming them as checkup did', async () => {
    const storage = new FsStorage({ dir: await goFolderCopy() });
    const summary = await storage.rebuildSummary();
    expect(summary.recentRuns).toEqual([...GO_RUNS].reverse());
    const website = summary.endpoints.find((endpoint) => endpoint.title === 'Website');
    const newest = (await goTimestampsOf('Website')).at(-1) as string;
    expect(website?.lastCheck).toBe(Number(BigInt(newest) / 1_000_000n));
  });

  it('stores a run whose file name and first timestamp agree to the nanosecond (fs)', async () => {
    const dir = await makeTempDir();
    const storage = new FsStorage({ dir, now: () => NOW });
    await expectExactRoundTrip(storage, async () =>
      readFile(
        path.join(dir, `${timestampLiterals(await goText(GO_RUNS[0] as string))[0]}-check.json`),
        'utf8',
      ),
    );
    const index = await readFile(path.join(dir, 'index.json'), 'utf8');
    for (const name of await readdir(dir))
      if (name.endsWith('-check.json')) expect(index).toContain(`"${name}":${name.split('-')[0]}`);
  });

  describe('in the cloud storages', () => {
    let s3: RunningS3rver;
    let dynamo: RunningDynalite;
    beforeAll(async () => {
      [s3, dynamo] = await Promise.all([startS3rver([]), startDynalite()]);
    });
    afterAll(async () => {
      await Promise.all([s3?.close(), dynamo?.close()]);
    });

    it('keeps them in S3', async () => {
      const client = s3.client();
      await client.send(new CreateBucketCommand({ Bucket: 'exact' }));
      const storage = new S3Storage({ client, bucket: 'exact', now: () => NOW });
      await expectExactRoundTrip(storage, async () => {
        const name = `${timestampLiterals(await goText(GO_RUNS[0] as string))[0]}-check.json`;
        const object = await client.send(new GetObjectCommand({ Bucket: 'exact', Key: `checks/${name}` }));
        return (await object.Body?.transformToString('utf8')) ?? '';
      });
    });

    it('keeps them in DynamoDB, in the run item, the result items and the latest items', async () => {
      const table = await dynamo.createTable('checkup-exact');
      const storage = new DynamodbStorage({ client: dynamo.client(), table, now: () => NOW });
      await expectExactRoundTrip(storage, async () => {
        const name = `${timestampLiterals(await goText(GO_RUNS[0] as string))[0]}-check.json`;
        return stringifyResults(await storage.read(name));
      });
      const latest = (await storage.latest()).sort((a, b) => a.title.localeCompare(b.title));
      const text = await goText(GO_RUNS[0] as string);
      const byTitle = new Map(
        (JSON.parse(text) as Array<{ title: string }>).map((result, i) => [
          result.title,
          timestampLiterals(text)[i],
        ]),
      );
      expect(timestampLiterals(stringifyResults(latest))).toEqual(
        latest.map((result) => byTitle.get(result.title)),
      );
    });
  });
});

describe('the checkup command keeps the nanoseconds', () => {
  it('prints history --json and serves /data/runs with the timestamps checkup wrote', async () => {
    const project = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Website', endpoint_url: 'http://127.0.0.1:1/' }],
      storage: { type: 'fs', dir: 'checks' },
    });
    await cp(GO_DIR, path.join(project, 'checks'), { recursive: true });
    const history = await runCli(['history', 'Website', '--since', '36500d', '--json'], project);
    expect(history.stderr).toBe('');
    expect(timestampLiterals(history.stdout)).toEqual(await goTimestampsOf('Website'));

    const rebuilt = await runCli(['summaries', 'rebuild'], project);
    expect(rebuilt.code).toBe(0);
    const summary = JSON.parse(
      await readFile(path.join(project, 'checks', 'summary.json'), 'utf8'),
    ) as StatusSummary;
    expect(summary.recentRuns).toEqual([...GO_RUNS].reverse());

    const serve = await startServe(project, {
      checkers: [{ type: 'http', endpoint_name: 'Website', endpoint_url: 'http://127.0.0.1:1/' }],
    });
    try {
      for (const name of GO_RUNS) {
        const response = await fetch(`${serve.url}/data/runs/${name}`);
        expect(timestampLiterals(await response.text())).toEqual(timestampLiterals(await goText(name)));
      }
    } finally {
      await serve.stop();
    }
  });

  it('stores a run named by the nanosecond its results carry', async () => {
    const server = await startHttpServer((_request, response) => response.end('ok'));
    try {
      const project = await makeProject({
        checkers: [{ type: 'http', endpoint_name: 'Local', endpoint_url: server.url }],
        storage: { type: 'fs', dir: 'checks' },
      });
      const outcome = await runCli(['--store'], project);
      expect(outcome.code).toBe(0);
      const [name] = (await readdir(path.join(project, 'checks'))).filter((file) =>
        file.endsWith('-check.json'),
      );
      const text = await readFile(path.join(project, 'checks', name as string), 'utf8');
      expect(timestampLiterals(text)).toEqual([(name as string).split('-')[0]]);
    } finally {
      await server.close();
    }
  });
});
