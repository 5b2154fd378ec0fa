import { S3Client } from '@aws-sdk/client-s3';

/**
 * The results bucket's client, built once per container. An endpoint (an S3-compatible store, the
 * tests' s3rver) is reached path-style, as such stores expect.
 */
export function resultsBucketClient(region: string | undefined, endpoint: string | undefined): S3Client {
  return new S3Client({
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  });
}
