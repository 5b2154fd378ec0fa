import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { type AlertState, emptyAlertState } from '../../core/alerts/alert-state.js';
import {
  AlertStateConflictError,
  type AlertStateStore,
  type VersionedAlertState,
} from '../../core/alerts/alert-state-store.js';

export interface S3AlertStateStoreOptions {
  client: S3Client;
  bucket: string;
  /** The state object's key, e.g. `state/alert-state.json`. */
  key: string;
}

/**
 * The alert state as one S3 object. Its ETag is the version: a save is a conditional write
 * (If-Match the ETag read, or If-None-Match when there was none), so two notify invocations
 * racing on the same state never lose each other's changes; the loser gets a conflict and
 * re-applies its run.
 */
export class S3AlertStateStore implements AlertStateStore {
  readonly #options: S3AlertStateStoreOptions;

  constructor(options: S3AlertStateStoreOptions) {
    this.#options = options;
  }

  async load(): Promise<VersionedAlertState> {
    const { client, bucket, key } = this.#options;
    try {
      const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = (await answer.Body?.transformToString('utf8')) ?? '';
      return { state: JSON.parse(text) as AlertState, version: answer.ETag };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') {
        return { state: emptyAlertState(), version: undefined };
      }
      throw error;
    }
  }

  async save(state: AlertState, expectedVersion: string | undefined): Promise<string> {
    const { client, bucket, key } = this.#options;
    try {
      const answer = await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: JSON.stringify(state),
          ContentType: 'application/json',
          ...(expectedVersion === undefined ? { IfNoneMatch: '*' } : { IfMatch: expectedVersion }),
        }),
      );
      return answer.ETag ?? '';
    } catch (error) {
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      // 412: someone saved since we read; 409: a concurrent conditional write is in progress.
      if (status === 412 || status === 409) {
        throw new AlertStateConflictError(`alert state s3://${bucket}/${key} changed since it was read`, {
          cause: error,
        });
      }
      throw error;
    }
  }
}
