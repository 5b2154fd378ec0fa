import { S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { Result } from '../../core/result.js';
import type { handler as notifyHandler } from '../../functions/notify-handler.js';
import { type RecordingServer, startRecordingServer } from '../helpers/recording-server.js';
import { type S3rverHandle, startS3rverWithEvents } from '../helpers/s3rver-with-events.js';
import { storeApiRun } from '../helpers/store-api-run.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';
import { captureStdout } from './lambda-context.js';

export const NOTIFY_BUCKET = 'checkup-results';
export const NOTIFY_CONFIG_PARAMETER = '/checkup/config';

const mockSsm = () => mockClient(SSMClient);

/** The notify handler in this process, over s3rver, with a recording receiver for what it sends. */
export interface NotifyOnS3rver {
  s3rver: S3rverHandle;
  /** The loopback server the config's webhooks point to. */
  receiver: RecordingServer;
  /** A client of the bucket, as the check function writes it. */
  s3: S3Client;
  /** The SSM mock answering the config parameter (`ssm.on` changes it). */
  ssm: ReturnType<typeof mockSsm>;
  handler: typeof notifyHandler;
  /** The handler's log lines. */
  stdout: ReturnType<typeof captureStdout>;
  /**
   * Stores a one-result run of `API` a minute after the last, the way the check function does,
   * and returns the event s3rver emitted for it.
   */
  storeRun(status: 'healthy' | 'down', extra?: Partial<Result>): Promise<S3Event>;
  close(): Promise<void>;
}

/**
 * Starts s3rver and a receiver, gives the handler the environment the stack gives it, with the
 * config `configOf(receiver.url)` in (mocked) SSM, read again on every invocation, and imports it.
 */
export async function startNotifyOnS3rver(
  configOf: (receiverUrl: string) => unknown,
): Promise<NotifyOnS3rver> {
  const ssm = mockSsm();
  const s3rver = await startS3rverWithEvents(await makeTempDir(), [NOTIFY_BUCKET]);
  const receiver = await startRecordingServer();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    CHECKUP_BUCKET: NOTIFY_BUCKET,
    CHECKUP_S3_ENDPOINT: s3rver.endpoint,
    CHECKUP_RUN_PREFIX: 'checks/',
    CHECKUP_STATE_PREFIX: 'state/',
    CHECKUP_LAST_VALID_CONFIG_KEY: 'config/last-valid.json',
    CHECKUP_CONFIG_PARAMETER: NOTIFY_CONFIG_PARAMETER,
    CHECKUP_CONFIG_REGION: 'us-east-1',
    // As the stack gives it: no alertTopicArns granted. Every invocation reads SSM again.
    CHECKUP_ALERT_TOPIC_ARNS: '[]',
    CHECKUP_CONFIG_CACHE_MS: '0',
  });
  ssm.on(GetParameterCommand, { Name: NOTIFY_CONFIG_PARAMETER }).resolves({
    Parameter: { Value: JSON.stringify(configOf(receiver.url)) },
  });
  ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
  const s3 = new S3Client({ region: 'us-east-1', endpoint: s3rver.endpoint, forcePathStyle: true });
  const { handler } = await import('../../functions/notify-handler.js');
  const stdout = captureStdout();
  let clock = 1_790_000_000_000_000_000;
  return {
    s3rver,
    receiver,
    s3,
    ssm,
    handler,
    stdout,
    storeRun(status, extra = {}) {
      clock += 60e9;
      return storeApiRun({ client: s3, bucket: NOTIFY_BUCKET, s3rver }, clock, status, extra);
    },
    async close() {
      stdout.restore();
      await receiver.close();
      await s3rver.stop();
      await removeTempDirs();
      ssm.restore();
    },
  };
}
