import { PutObjectCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { Result } from '../core/result.js';
import { type RunRef, runFileName } from '../core/storage.js';

export interface S3RunWriterOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix of run files, e.g. `checks/`. */
  prefix: string;
}

/**
 * Writes one run as `<prefix><unix-ns>-check.json`, never over an existing run: the write is
 * conditional (If-None-Match), and a name already taken (another region, the same nanosecond)
 * moves one nanosecond on. Run files are immutable, so they are marked cacheable for a year.
 */
export function s3RunWriter(
  options: S3RunWriterOptions,
): (results: readonly Result[], timestamp: number) => Promise<RunRef> {
  return async (results, timestamp) => {
    const body = JSON.stringify(results);
    for (let ts = Math.round(timestamp), tries = 0; ; ts += 1, tries++) {
      const name = runFileName(ts);
      try {
        await options.client.send(
          new PutObjectCommand({
            Bucket: options.bucket,
            Key: `${options.prefix}${name}`,
            Body: body,
            ContentType: 'application/json',
            CacheControl: 'public, max-age=31536000, immutable',
            IfNoneMatch: '*',
          }),
        );
        return { name, timestamp: ts };
      } catch (error) {
        const taken = error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412;
        if (!taken || tries >= 100) throw error;
      }
    }
  };
}
