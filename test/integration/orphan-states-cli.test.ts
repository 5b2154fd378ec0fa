import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { FsStorage } from '../../adapters/storage/fs-storage.js';
import { S3Storage } from '../../adapters/storage/s3-storage.js';
import type { Storage } from '../../core/storage.js';
import type { SummaryRoot } from '../../core/summary/summary-state-types.js';
import { racingStores } from '../helpers/racing-stores.js';
import { runCli } from '../helpers/run-cli.js';

// 260 endpoints: 6 blocks in one segment, so a writer that loses the race leaves its one state.
const ENDPOINTS = 260;
const PROCESSES = 5;
const HOUR_MS = 3_600_000;

const stores = racingStores(ENDPOINTS);
const { storeAll } = stores;

/** The writers' state as stored, seen from outside the command, and a way to age it. */
interface StateFolder {
  /** Every state document's name (`state/3-<generation>.json`). */
  states(): Promise<string[]>;
  readRoot(): Promise<SummaryRoot>;
  writeRoot(root: SummaryRoot): Promise<void>;
  /** Sets a state document's last write `ms` earlier than now. */
  age(name: string, ms: number): Promise<void>;
  storage: Storage;
}

function fsFolder(dir: string): StateFolder {
  return {
    states: async () => (await readdir(path.join(dir, 'state'))).map((name) => `state/${name}`),
    readRoot: async () => JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8')) as SummaryRoot,
    writeRoot: (root) => writeFile(path.join(dir, 'summary.json'), JSON.stringify(root)),
    age: async (name, ms) => {
      const then = new Date(Date.now() - ms);
      await utimes(path.join(dir, name), then, then);
    },
    storage: new FsStorage({ dir, warn: () => undefined }),
  };
}

function s3Folder(bucket: string): StateFolder {
  return {
    states: async () => {
      const listed = await stores.client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'summaries/state/' }),
      );
      return (listed.Contents ?? []).map((object) => (object.Key as string).slice('summaries/'.length));
    },
    readRoot: async () => {
      const object = await stores.client.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'summaries/summary.json' }),
      );
      return JSON.parse((await object.Body?.transformToString('utf8')) ?? '') as SummaryRoot;
    },
    writeRoot: async (root) => {
      await stores.client.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'summaries/summary.json', Body: JSON.stringify(root) }),
      );
    },
    // s3rver answers LastModified from its object file's mtime.
    age: async (name, ms) => {
      const then = new Date(Date.now() - ms);
      await utimes(path.join(stores.s3.directory, bucket, 'summaries', `${name}._S3rver_object`), then, then);
    },
    storage: new S3Storage({ client: stores.client, bucket, warn: () => undefined }),
  };
}

/** The state documents the stored root points to (a segment's blocks share one) or lists as retired. */
async function rootNames(folder: StateFolder): Promise<string[]> {
  const root = await folder.readRoot();
  return [
    ...new Set([
      ...root.blocks.flatMap((ref) => (ref.state ? [ref.state] : [])),
      ...root.writer.retired.map((entry) => entry.name),
    ]),
  ].sort();
}

async function orphans(folder: StateFolder): Promise<string[]> {
  const named = new Set(await rootNames(folder));
  return (await folder.states()).filter((name) => !named.has(name));
}

/**
 * Races `checkup --store` processes into the store until one lost a race with a root already
 * holding its runs (the orphans this is about); returns them.
 */
async function raceUntilOrphaned(project: string, folder: StateFolder): Promise<string[]> {
  for (let race = 0; race < 6; race += 1) {
    await storeAll(project, PROCESSES);
    const left = await orphans(folder);
    if (left.length > 0) return left;
  }
  throw new Error(`${PROCESSES} processes racing 6 times left no orphaned state document`);
}

/** An hour passes: every state document was written two hours ago, the root's last run an hour ago. */
async function anHourPasses(folder: StateFolder): Promise<void> {
  for (const name of await folder.states()) await folder.age(name, 2 * HOUR_MS);
  const root = await folder.readRoot();
  await folder.writeRoot({ ...root, lastRun: root.lastRun - HOUR_MS, updated: root.updated - HOUR_MS });
}

/** Every stored run is in the whole summary, once per endpoint. */
async function expectEveryRun(folder: StateFolder): Promise<void> {
  const runs = (await folder.storage.list()).length;
  const summary = await folder.storage.readSummary();
  expect(summary?.endpoints).toHaveLength(ENDPOINTS);
  for (const endpoint of summary?.endpoints ?? [])
    expect(endpoint.days.reduce((sum, day) => sum + day.checks, 0)).toBe(runs);
}

async function sweepsWhatRacesLeave(project: string, folder: StateFolder): Promise<void> {
  const left = await raceUntilOrphaned(project, folder);
  expect(left.length).toBeGreaterThan(0);

  // A store inside the hour of the race's runs and inside 15 minutes of their writes: kept.
  await storeAll(project, 1);
  expect(await orphans(folder)).toEqual(expect.arrayContaining(left));

  await anHourPasses(folder);
  await storeAll(project, 1);
  // The store's own replaced states are retired (old by their mtime, kept for 15 minutes of runs).
  expect((await folder.readRoot()).writer.retired.length).toBeGreaterThan(0);
  expect((await folder.states()).sort()).toEqual(await rootNames(folder));
  await expectEveryRun(folder);

  // `summaries rebuild` sweeps too, whatever the hour.
  expect(await raceUntilOrphaned(project, folder)).not.toEqual([]);
  for (const name of await folder.states()) await folder.age(name, 2 * HOUR_MS);
  const rebuilt = await runCli(['summaries', 'rebuild'], project);
  expect(rebuilt.code === 0 ? 0 : rebuilt.stderr).toBe(0);
  expect((await folder.states()).sort()).toEqual(await rootNames(folder));
  await expectEveryRun(folder);
}

describe('checkup --store racing on a last-writer-wins store, as processes', () => {
  it('deletes, an hour later, the state documents of writers whose root was overwritten (fs)', async () => {
    const project = await stores.folderProject();
    await sweepsWhatRacesLeave(project, fsFolder(path.join(project, 'checks')));
  }, 300_000);

  it('deletes, an hour later, the state documents of writers whose root was overwritten (s3)', async () => {
    const bucket = 'orphan-states';
    const project = await stores.bucketProject(bucket);
    await sweepsWhatRacesLeave(project, s3Folder(bucket));
  }, 300_000);
});
