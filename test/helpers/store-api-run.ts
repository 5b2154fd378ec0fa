import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import type { Result } from '../../core/result.js';
import { runFileName } from '../../core/storage.js';
import type { S3rverHandle } from './s3rver-with-events.js';

/** Where a run is stored: a client of the bucket, and the s3rver that emits its events. */
export interface RunBucket {
  client: S3Client;
  bucket: string;
  s3rver: S3rverHandle;
}

/**
 * Stores, as the check function does, a run of one result of the endpoint `API` checked at
 * `timestamp` (ns), healthy or down (with `extra` over it); returns the event s3rver emitted for it.
 */
export async function storeApiRun(
  where: RunBucket,
  timestamp: number,
  status: 'healthy' | 'down',
  extra: Partial<Result> = {},
): Promise<S3Event> {
  const result: Result = {
    title: 'API',
    endpoint: 'https://api.example.com',
    timestamp,
    times: status === 'down' ? [{ rtt: 0, error: 'connection refused' }] : [{ rtt: 20e6 }],
    [status]: true,
    ...extra,
  };
  const key = `checks/${runFileName(timestamp)}`;
  await where.client.send(
    new PutObjectCommand({ Bucket: where.bucket, Key: key, Body: JSON.stringify([result]) }),
  );
  return where.s3rver.waitForEvent((event) => event.Records[0]?.s3.object.key === key);
}
