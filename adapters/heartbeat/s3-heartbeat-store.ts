import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  type HeartbeatPing,
  type HeartbeatStore,
  parseHeartbeatPing,
} from '../../core/heartbeat/heartbeat-store.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';

export interface S3HeartbeatStoreOptions {
  /** Built once by the caller (module scope in a Lambda) and reused. */
  client: S3Client;
  bucket: string;
  /** Default RESULTS_LAYOUT.heartbeatPrefix. */
  prefix?: string;
}

/** Pings as objects in the results bucket: `heartbeats/<key>.json`, the newest ping of each heartbeat. */
export class S3HeartbeatStore implements HeartbeatStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(options: S3HeartbeatStoreOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#prefix = options.prefix ?? RESULTS_LAYOUT.heartbeatPrefix;
  }

  async record(key: string, ping: HeartbeatPing): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: `${this.#prefix}${key}.json`,
        Body: JSON.stringify(ping),
        ContentType: 'application/json',
      }),
    );
  }

  async latest(key: string): Promise<HeartbeatPing | undefined> {
    try {
      const answer = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: `${this.#prefix}${key}.json` }),
      );
      return parseHeartbeatPing((await answer.Body?.transformToString('utf8')) ?? '');
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }
}
