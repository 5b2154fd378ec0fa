// The badges a check function container writes, against s3rver: only those whose status changed
// since the statuses stored beside them, whichever container wrote those, and none left wrong by
// a container that stopped or failed halfway.
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3PagePublisher } from '../../adapters/storage/s3-page-publisher.js';
import type { Status } from '../../core/result.js';
import { ns, result } from '../helpers/make-runs.js';
import { type RunningS3rver, startS3rver } from '../helpers/s3rver.js';

const T0 = ns('2026-11-30T10:00:00Z');
const PREFIX = 'summaries/badges/';

let s3: RunningS3rver;
let client: S3Client;
let buckets = 0;

beforeAll(async () => {
  s3 = await startS3rver([]);
  client = s3.client();
});
afterAll(async () => {
  await s3?.close();
});

async function freshBucket(): Promise<string> {
  buckets += 1;
  const bucket = `checkup-badges-${buckets}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/**
 * A new container's publisher: its writes recorded (keys under the badge prefix), and its
 * requests for keys in `failing` (writes) or `unreadable` (reads) refused as S3 would refuse them.
 */
function container(bucket: string, failing: readonly string[] = [], unreadable: readonly string[] = []) {
  const puts: string[] = [];
  const recording = {
    send: (command: { input: { Key?: string } }) => {
      const key = command.input.Key ?? '';
      if (command instanceof PutObjectCommand) {
        if (failing.includes(key)) return Promise.reject(new Error(`refused: ${key}`));
        puts.push(key.replace(PREFIX, ''));
      } else if (unreadable.includes(key)) {
        return Promise.reject(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
      }
      return client.send(command as PutObjectCommand);
    },
  } as unknown as S3Client;
  return { puts, publisher: new S3PagePublisher({ client: recording, bucket, badgePrefix: PREFIX }) };
}

const run = (statuses: Record<string, Status>) =>
  Object.entries(statuses).map(([title, status]) => result(title, T0, status));

async function badgeText(bucket: string, title: string): Promise<string> {
  const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${PREFIX}${title}.svg` }));
  return (await answer.Body?.transformToString()) ?? '';
}

describe('badges written by a fresh container', () => {
  it('writes every badge on a new stack, then none unchanged from another container, then only the changed one', async () => {
    const bucket = await freshBucket();
    const first = container(bucket);
    await first.publisher.publishBadges(run({ API: 'healthy', DB: 'down' }));
    expect(first.puts.sort()).toEqual(['API.svg', 'DB.svg', 'shown.json']);
    const second = container(bucket);
    await second.publisher.publishBadges(run({ API: 'healthy', DB: 'down' }));
    expect(second.puts).toEqual([]);
    await second.publisher.publishBadges(run({ API: 'healthy', DB: 'healthy' }));
    expect(second.puts).toEqual(['DB.svg', 'shown.json']);
    expect(await badgeText(bucket, 'DB')).toContain('DB: up');
  });

  it('writes again a badge whose write failed, at the next run of any container', async () => {
    const bucket = await freshBucket();
    await container(bucket).publisher.publishBadges(run({ API: 'healthy', DB: 'healthy' }));
    const failed = container(bucket, [`${PREFIX}DB.svg`]);
    await expect(failed.publisher.publishBadges(run({ API: 'down', DB: 'down' }))).rejects.toThrow(
      'refused: summaries/badges/DB.svg',
    );
    expect(failed.puts).toEqual(['API.svg', 'shown.json']);
    const next = container(bucket);
    await next.publisher.publishBadges(run({ API: 'down', DB: 'down' }));
    expect(next.puts).toEqual(['DB.svg', 'shown.json']);
    expect(await badgeText(bucket, 'DB')).toContain('DB: down');
  });

  it('writes again the badges of a container stopped before it stored their statuses', async () => {
    const bucket = await freshBucket();
    await container(bucket).publisher.publishBadges(run({ API: 'healthy', DB: 'healthy' }));
    const stopped = container(bucket, [`${PREFIX}shown.json`]);
    await stopped.publisher.publishBadges(run({ API: 'down', DB: 'healthy' })).catch(() => undefined);
    expect(stopped.puts).toEqual(['API.svg']);
    // The badge shows down, the stored statuses healthy: the next container writes it again,
    // and writes it back when API recovers (the stored statuses said down by then).
    const next = container(bucket);
    await next.publisher.publishBadges(run({ API: 'down', DB: 'healthy' }));
    expect(next.puts).toEqual(['API.svg', 'shown.json']);
    const after = container(bucket);
    await after.publisher.publishBadges(run({ API: 'healthy', DB: 'healthy' }));
    expect(after.puts).toEqual(['API.svg', 'shown.json']);
  });

  it('writes every badge once, as before, when the stored statuses cannot be read, and says so once', async () => {
    const bucket = await freshBucket();
    await container(bucket).publisher.publishBadges(run({ API: 'healthy', DB: 'down' }));
    const denied = container(bucket, [], [`${PREFIX}shown.json`]);
    await expect(denied.publisher.publishBadges(run({ API: 'healthy', DB: 'down' }))).rejects.toThrow(
      'badge statuses not read: this container wrote every badge',
    );
    expect(denied.puts.sort()).toEqual(['API.svg', 'DB.svg', 'shown.json']);
    await denied.publisher.publishBadges(run({ API: 'healthy', DB: 'down' }));
    expect(denied.puts).toHaveLength(3);
  });

  it('writes every badge once when the stored statuses are not statuses', async () => {
    const bucket = await freshBucket();
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: `${PREFIX}shown.json`, Body: '{"shown":{"API":"green"' }),
    );
    const fresh = container(bucket);
    await fresh.publisher.publishBadges(run({ API: 'healthy' }));
    expect(fresh.puts).toEqual(['API.svg', 'shown.json']);
  });
});
