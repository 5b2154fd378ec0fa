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

/** The schema of each storage type, by its `type` (checkup's old key `provider` is accepted too). */
export const storageSchemas = {
  fs: fsStorageSchema,
} as const;

export type StorageConfig = z.output<(typeof storageSchemas)[keyof typeof storageSchemas]>;
