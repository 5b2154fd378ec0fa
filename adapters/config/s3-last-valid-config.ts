import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LastValidConfigStore } from '../../core/config/last-valid-config-store.js';

/** The last valid config as one object in the results bucket (never served: not under /data). */
export function s3LastValidConfig(client: S3Client, bucket: string, key: string): LastValidConfigStore {
  return {
    async load() {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await answer.Body?.transformToString('utf8');
      } catch (error) {
        if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    async save(text) {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: 'application/json' }),
      );
    },
  };
}
