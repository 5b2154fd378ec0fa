import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { runCli } from './run-cli.js';
import { type RunningS3rver, startS3rver } from './s3rver.js';
import { type RunningServer, startHttpServer } from './servers.js';
import { makeProject, removeTempDirs } from './temp-dir.js';

/** What tests racing `checkup --store` processes share: the endpoints, the stores, the race. */
export interface RacingStores {
  /** The s3rver the bucket projects store into (started before the tests). */
  readonly s3: RunningS3rver;
  /** A client of that s3rver. */
  readonly client: S3Client;
  /** The checkers: one healthy loopback endpoint each, named `Service 000` on. */
  checkers(): Array<{ type: string; endpoint_name: string; endpoint_url: string }>;
  /** A project storing into its folder `checks`. */
  folderProject(): Promise<string>;
  /** A project storing into `bucket` (created here) under s3rver. */
  bucketProject(bucket: string): Promise<string>;
  /** Runs `checkup --store` in `project` as `count` processes at once; each must exit 0. */
  storeAll(project: string, count: number): Promise<void>;
}

/**
 * Registers the hooks that start a loopback site answering every endpoint and s3rver before the
 * file's tests (closing them after, and removing projects after each test).
 */
export function racingStores(endpoints: number): RacingStores {
  let server: RunningServer | undefined;
  let s3: RunningS3rver | undefined;
  let client: S3Client | undefined;
  beforeAll(async () => {
    server = await startHttpServer((_request, response) => response.end('ok'));
    s3 = await startS3rver([]);
    client = s3.client();
  });
  afterAll(async () => {
    await server?.close();
    await s3?.close();
  });
  afterEach(removeTempDirs);

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('racingStores: used before its beforeAll ran');
    return value;
  };
  const checkers = () =>
    Array.from({ length: endpoints }, (_, i) => ({
      type: 'http',
      endpoint_name: `Service ${String(i).padStart(3, '0')}`,
      endpoint_url: `${started(server).url}/health/${i}`,
    }));
  return {
    get s3() {
      return started(s3);
    },
    get client() {
      return started(client);
    },
    checkers,
    folderProject: () => makeProject({ checkers: checkers(), storage: { type: 'fs', dir: 'checks' } }),
    async bucketProject(bucket) {
      await started(client).send(new CreateBucketCommand({ Bucket: bucket }));
      return makeProject({
        checkers: checkers(),
        storage: {
          type: 's3',
          bucket,
          region: 'us-east-1',
          endpoint: started(s3).endpoint,
          force_path_style: true,
          access_key_id: 'S3RVER',
          secret_access_key: 'S3RVER',
        },
      });
    },
    async storeAll(project, count) {
      const outcomes = await Promise.all(Array.from({ length: count }, () => runCli(['--store'], project)));
      expect(outcomes.map((outcome) => (outcome.code === 0 ? 0 : outcome.stderr))).toEqual(
        Array(count).fill(0),
      );
    },
  };
}
