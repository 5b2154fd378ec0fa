import type { S3Event } from 'aws-lambda';

/** One object named in an S3 event. */
export interface S3ObjectRef {
  bucket: string;
  key: string;
}

/**
 * The objects an S3 event names, with their keys decoded: S3 URL-encodes keys in events
 * (a space arrives as `+`), while GetObject wants the key itself.
 */
export function objectsOf(event: S3Event): S3ObjectRef[] {
  return (event.Records ?? []).map((record) => ({
    bucket: record.s3.bucket.name,
    key: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')),
  }));
}
