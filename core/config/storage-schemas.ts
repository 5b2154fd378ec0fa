import * as z from 'zod';
import { durationSchema } from './duration-schema.js';

export const fsStorageSchema = z.strictObject({
  type: z.literal('fs'),
  dir: z.string().min(1).meta({ description: 'Folder that holds the run files and index.json' }),
  check_expiry: durationSchema
    .optional()
    .meta({ description: 'Delete runs older than this (default: keep)' }),
});

export type FsStorageConfig = z.output<typeof fsStorageSchema>;

export const s3StorageSchema = z
  .strictObject({
    type: z.literal('s3'),
    bucket: z.string().min(1).meta({ description: 'The bucket that holds the runs and the summary' }),
    region: z.string().min(1).optional().meta({ description: 'AWS region (default: from the environment)' }),
    access_key_id: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Access key (default: the AWS default credential chain)' }),
    secret_access_key: z.string().min(1).optional().meta({ description: 'Secret key, with access_key_id' }),
    check_expiry: durationSchema
      .optional()
      .meta({ description: 'Delete runs older than this, only under prefix (default: keep)' }),
    prefix: z.string().optional().meta({ description: 'Key prefix of the run objects (default "checks/")' }),
    summary_key: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Key of the summary document (default "summaries/summary.json")' }),
    endpoint: z
      .url({ protocol: /^https?$/ })
      .optional()
      .meta({ description: 'S3-compatible endpoint URL, for other stores and local emulators' }),
    force_path_style: z
      .boolean()
      .optional()
      .meta({ description: 'Path-style URLs (bucket in the path), as most S3-compatible stores need' }),
  })
  .superRefine((value, ctx) => {
    if ((value.access_key_id === undefined) !== (value.secret_access_key === undefined)) {
      const missing = value.access_key_id === undefined ? 'access_key_id' : 'secret_access_key';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'required when the other key of the pair is set',
      });
    }
  });

export type S3StorageConfig = z.output<typeof s3StorageSchema>;

export const dynamodbStorageSchema = z.strictObject({
  type: z.literal('dynamodb'),
  table: z
    .string()
    .min(3)
    .max(255)
    .meta({ description: 'The table (partition key pk, sort key sk, both strings)' }),
  region: z.string().min(1).optional().meta({ description: 'AWS region (default: from the environment)' }),
  endpoint: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({ description: 'DynamoDB endpoint URL, for local emulators' }),
  check_expiry: durationSchema
    .optional()
    .meta({ description: "Set each item's TTL attribute `expires` this long after its run (default: keep)" }),
});

export type DynamodbStorageConfig = z.output<typeof dynamodbStorageSchema>;

/** The schema of each storage type, by its `type` (checkup's old key `provider` is accepted too). */
export const storageSchemas = {
  fs: fsStorageSchema,
  s3: s3StorageSchema,
  dynamodb: dynamodbStorageSchema,
} as const;

export type StorageConfig = z.output<(typeof storageSchemas)[keyof typeof storageSchemas]>;
