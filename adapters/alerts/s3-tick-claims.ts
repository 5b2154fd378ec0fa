import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export interface S3TickClaimsOptions {
  /** Built once by the caller (module scope in a Lambda) and reused. */
  client: S3Client;
  bucket: string;
  /** Where claims are kept (RESULTS_LAYOUT.tickClaimPrefix). */
  prefix: string;
}

/**
 * Who applies a fanned-out tick to the alert state, decided by S3's conditional create
 * (`If-None-Match: *`) of a small object per tick and region: of the notify invocations that see
 * the tick whole at once, one creates it and applies the tick; the others stop, with no
 * read-modify-write of the alert state to lose. The same run claiming again (Lambda retrying its
 * event) is still the owner.
 */
export function s3TickClaims(options: S3TickClaimsOptions) {
  const { client, bucket } = options;
  return {
    /** Whether the invocation holding `run` is the one to apply the tick. */
    async claim(tick: number, region: string | undefined, run: string): Promise<boolean> {
      const key = `${options.prefix}${tick}-${region ?? 'local'}.json`;
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: JSON.stringify({ run }),
            ContentType: 'application/json',
            IfNoneMatch: '*',
          }),
        );
        return true;
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        // 412: claimed already; 409: claimed at this very moment by another invocation.
        if (status !== 412 && status !== 409) throw error;
      }
      const answer = await client
        .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        .catch(() => undefined);
      const text = (await answer?.Body?.transformToString('utf8')) ?? '';
      try {
        return (JSON.parse(text) as { run?: string }).run === run;
      } catch {
        return false;
      }
    },
  };
}
