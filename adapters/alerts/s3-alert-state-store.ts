import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AlertState } from '../../core/alerts/alert-state.js';
import { emptyAlertState } from '../../core/alerts/alert-state.js';
import {
  AlertStateConflictError,
  type AlertStateStore,
  type VersionedAlertState,
} from '../../core/alerts/alert-state-store.js';
import { parseAlertState, UnreadableAlertStateError } from '../../core/alerts/parse-alert-state.js';
import { isCutOffJson, readAgainWhileTorn } from '../storage/read-again-while-torn.js';

export interface S3AlertStateStoreOptions {
  /** Built once by the caller (module scope in a Lambda) and reused. */
  client: S3Client;
  bucket: string;
  /** The object's key (default `alert-state.json`), beside the runs. */
  key?: string;
}

/**
 * The alert state as one S3 object. Its ETag is the version: a save is a PutObject with
 * `If-Match` (or `If-None-Match: *` for the first), S3's conditional write, so concurrent
 * notify functions never lose an update; a lost race is a 412 (or 409, or 404 when the object
 * was deleted meanwhile) and becomes AlertStateConflictError.
 */
export class S3AlertStateStore implements AlertStateStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #key: string;

  constructor(options: S3AlertStateStoreOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#key = options.key ?? 'alert-state.json';
  }

  /**
   * Reads the state. S3 never shows a half-written object, but s3rver and some S3-compatible
   * stores write in place, so a read racing another writer's save can see a cut-off body: it is
   * read again a few times before it counts as unreadable.
   */
  async load(): Promise<VersionedAlertState> {
    return readAgainWhileTorn(
      () => this.#loadOnce(),
      (error) => isCutOffJson(error instanceof UnreadableAlertStateError ? error.cause : error),
    );
  }

  async #loadOnce(): Promise<VersionedAlertState> {
    try {
      const answer = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key }));
      const text = (await answer.Body?.transformToString('utf8')) ?? '';
      if (!answer.ETag) throw new Error(`s3://${this.#bucket}/${this.#key}: no ETag in the answer`);
      return { state: parseAlertState(text, `s3://${this.#bucket}/${this.#key}`), version: answer.ETag };
    } catch (error) {
      if (error instanceof NoSuchKey) return { state: emptyAlertState(), version: undefined };
      throw error;
    }
  }

  async save(state: AlertState, expectedVersion: string | undefined): Promise<string> {
    try {
      const answer = await this.#client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: this.#key,
          Body: JSON.stringify(state),
          ContentType: 'application/json',
          ...(expectedVersion === undefined ? { IfNoneMatch: '*' } : { IfMatch: expectedVersion }),
        }),
      );
      if (!answer.ETag) throw new Error(`s3://${this.#bucket}/${this.#key}: no ETag in the answer`);
      return answer.ETag;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // 412: the ETag changed; 409: a concurrent conditional write; 404 NoSuchKey: an If-Match
      // on an object deleted meanwhile. Each means "load again and retry".
      if (status === 412 || status === 409 || (status === 404 && expectedVersion !== undefined)) {
        throw new AlertStateConflictError(
          `alert state changed since version ${expectedVersion ?? 'none'} (HTTP ${status})`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}
