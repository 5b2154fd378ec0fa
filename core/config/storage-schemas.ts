import * as z from 'zod';
import { DsnError } from './dsn-error.js';
import { durationSchema } from './duration-schema.js';
import { lazySchema, lazySchemas } from './lazy-schema.js';
import { parseMysqlDsn } from './mysql-dsn.js';
import { noEffect } from './no-effect.js';
import { POSTGRES_SSL_MODES, parsePostgresDsn } from './postgres-dsn.js';
import { sqliteFileOfDsn } from './sqlite-dsn.js';

export const fsStorageSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('fs'),
    dir: z.string().min(1).meta({ description: 'Folder that holds the run files and index.json' }),
    check_expiry: durationSchema()
      .optional()
      .meta({ description: 'Delete runs older than this (default: keep)' }),
    url: noEffect(
      z.string(),
      'it told checkup\'s status page where the files were; "checkup serve" serves them at /data',
    ),
  }),
);

export type FsStorageConfig = z.output<ReturnType<typeof fsStorageSchema>>;

export const s3StorageSchema = lazySchema(() =>
  z
    .strictObject({
      type: z.literal('s3'),
      bucket: z.string().min(1).meta({ description: 'The bucket that holds the runs and the summary' }),
      region: z
        .string()
        .min(1)
        .optional()
        .meta({ description: 'AWS region (default: from the environment)' }),
      access_key_id: z
        .string()
        .min(1)
        .optional()
        .meta({ description: 'Access key (default: the AWS default credential chain)' }),
      secret_access_key: z.string().min(1).optional().meta({ description: 'Secret key, with access_key_id' }),
      check_expiry: durationSchema()
        .optional()
        .meta({ description: 'Delete runs older than this, only under prefix (default: keep)' }),
      prefix: z
        .string()
        .optional()
        .meta({ description: 'Key prefix of the run objects (default "checks/")' }),
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
    }),
);

export type S3StorageConfig = z.output<ReturnType<typeof s3StorageSchema>>;

export const dynamodbStorageSchema = lazySchema(() =>
  z.strictObject({
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
    check_expiry: durationSchema().optional().meta({
      description: "Set each item's TTL attribute `expires` this long after its run (default: keep)",
    }),
  }),
);

export type DynamodbStorageConfig = z.output<ReturnType<typeof dynamodbStorageSchema>>;

export const githubStorageSchema = lazySchema(() =>
  z
    .strictObject({
      type: z.literal('github'),
      access_token: z
        .string()
        .min(1)
        .meta({ description: 'A token that may write the repository contents (never printed or logged)' }),
      repository_owner: z
        .string()
        .regex(/^[\w.-]+$/, 'not a GitHub account name')
        .meta({ description: 'The account owning the repository ("octocat" in github.com/octocat/kit)' }),
      repository_name: z
        .string()
        .regex(/^[\w.-]+$/, 'not a repository name')
        .meta({ description: 'The repository ("kit" in github.com/octocat/kit)' }),
      committer_name: z.string().min(1).optional().meta({ description: 'The committer of each commit' }),
      committer_email: z.string().min(1).optional().meta({ description: "The committer's e-mail" }),
      branch: z
        .string()
        .optional()
        .meta({ description: "The branch the files are committed to (default: the repository's default)" }),
      dir: z
        .string()
        .regex(/^[^\\]*$/, 'use / between folders')
        .refine((dir) => !dir.split('/').includes('..'), 'must stay inside the repository')
        .optional()
        .meta({ description: 'The folder in the repository (default: its root)' }),
      check_expiry: durationSchema()
        .optional()
        .meta({ description: 'Delete runs older than this (default: keep)' }),
      commit_message_suffix: z
        .string()
        .optional()
        .meta({ description: 'Put after each commit message (default "[ci skip]")' }),
      api_url: z
        .url({ protocol: /^https?$/, error: 'not an http(s) URL' })
        .optional()
        .meta({
          description:
            "The API's base URL (default https://api.github.com; GitHub Enterprise: https://HOST/api/v3)",
        }),
    })
    .superRefine((value, ctx) => {
      if ((value.committer_name === undefined) !== (value.committer_email === undefined)) {
        const missing = value.committer_name === undefined ? 'committer_name' : 'committer_email';
        ctx.addIssue({
          code: 'custom',
          path: [missing],
          message: 'required when the other key of the pair is set',
        });
      }
    }),
);

export type GithubStorageConfig = z.output<ReturnType<typeof githubStorageSchema>>;

export const appinsightsStorageSchema = lazySchema(() =>
  z
    .strictObject({
      type: z.literal('appinsights'),
      instrumentation_key: z
        .string()
        .regex(/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i, 'not an instrumentation key (a GUID)')
        .optional()
        .meta({ description: 'The Application Insights resource (a GUID); or connection_string' }),
      connection_string: z
        .string()
        .regex(/InstrumentationKey=/i, 'has no InstrumentationKey=')
        .optional()
        .meta({
          description: "The resource's connection string (its InstrumentationKey and IngestionEndpoint)",
        }),
      test_location: z
        .string()
        .optional()
        .meta({ description: 'The run location of every result (default "Checkup Monitor")' }),
      tags: z
        .record(z.string(), z.string())
        .optional()
        .meta({ description: 'Properties added to every result (customDimensions)' }),
      max_retries: z
        .number()
        .int()
        .min(0)
        .optional()
        .meta({ description: 'Tries after a failed send (default 0)' }),
      retry_interval: z
        .number()
        .int()
        .min(0)
        .optional()
        .meta({ description: 'Seconds between tries (retries need both this and max_retries)' }),
      timeout: z
        .number()
        .int()
        .min(0)
        .optional()
        .meta({ description: 'Seconds one send may take (default 2)' }),
      endpoint: z
        .url({ protocol: /^https?$/, error: 'not an http(s) URL' })
        .optional()
        .meta({
          description:
            "The ingestion endpoint (default: the connection string's IngestionEndpoint, else https://dc.services.visualstudio.com)",
        }),
    })
    // Checked even when other keys are wrong (`when`), so every missing key is named at once.
    .refine((value) => value.instrumentation_key !== undefined || value.connection_string !== undefined, {
      path: ['instrumentation_key'],
      message: 'required (or connection_string)',
      when: (payload) => typeof payload.value === 'object' && payload.value !== null,
    }),
);

export type AppinsightsStorageConfig = z.output<ReturnType<typeof appinsightsStorageSchema>>;
const createKey = lazySchema(() =>
  z
    .boolean()
    .optional()
    .meta({ description: "Create checkup's table checks (and its index) when missing, as checkup did" }),
);
const sqlExpiryKey = lazySchema(() =>
  durationSchema()
    .optional()
    .meta({ description: 'Delete runs (rows of checks) older than this on every store (default: keep)' }),
);

/** A DSN key checked with its dialect's reader, so a bad one is a config error naming `dsn`. */
function dsnKey(read: (dsn: string) => unknown, description: string) {
  return z
    .string()
    .min(1)
    .superRefine((dsn, ctx) => {
      try {
        read(dsn);
      } catch (error) {
        if (!(error instanceof DsnError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
      }
    })
    .meta({ description });
}

export const sqlite3StorageSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('sqlite3'),
    dsn: dsnKey(sqliteFileOfDsn, 'The SQLite database file (a path, or a file: URI)'),
    create: createKey(),
    check_expiry: sqlExpiryKey(),
  }),
);

export type Sqlite3StorageConfig = z.output<ReturnType<typeof sqlite3StorageSchema>>;

export const postgresStorageSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('postgres'),
    dsn: dsnKey(
      parsePostgresDsn,
      'postgres://user:password@host:5432/dbname?sslmode=disable, or host=... user=... dbname=... (sslmode defaults to require, as in checkup)',
    ),
    create: createKey(),
    check_expiry: sqlExpiryKey(),
  }),
);

export type PostgresStorageConfig = z.output<ReturnType<typeof postgresStorageSchema>>;

export const mysqlStorageSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('mysql'),
    dsn: dsnKey(
      parseMysqlDsn,
      "user:password@tcp(host:3306)/dbname (checkup's form), or mysql://user:password@host:3306/dbname",
    ),
    create: createKey(),
    check_expiry: sqlExpiryKey(),
  }),
);

export type MysqlStorageConfig = z.output<ReturnType<typeof mysqlStorageSchema>>;

/** checkup's older SQL storage: one of a SQLite file or PostgreSQL settings, table `checks`. */
export const sqlStorageSchema = lazySchema(() =>
  z
    .strictObject({
      type: z.literal('sql'),
      sqlite_db_file: z.string().min(1).optional().meta({ description: 'The SQLite database file' }),
      postgresql: z
        .strictObject({
          host: z.string().optional(),
          port: z.number().int().min(1).max(65_535).optional(),
          user: z.string().min(1),
          password: z.string().optional(),
          dbname: z.string().min(1),
          sslmode: z.enum(POSTGRES_SSL_MODES).optional(),
        })
        .optional()
        .meta({ description: 'PostgreSQL connection settings (sslmode defaults to require, as in checkup)' }),
      check_expiry: sqlExpiryKey(),
    })
    .superRefine((value, ctx) => {
      const both = value.sqlite_db_file !== undefined && value.postgresql !== undefined;
      if (both || (value.sqlite_db_file === undefined && value.postgresql === undefined))
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: both
            ? 'both sqlite_db_file and postgresql are set: keep one (checkup refused several SQL backends too)'
            : 'set sqlite_db_file or postgresql (or use type "sqlite3", "postgres" or "mysql" with dsn)',
        });
    }),
);

export type SqlStorageConfig = z.output<ReturnType<typeof sqlStorageSchema>>;

/** The schema of each storage type, by its `type` (checkup's old key `provider` is accepted too). */
export const storageSchemas = lazySchemas({
  fs: fsStorageSchema,
  s3: s3StorageSchema,
  dynamodb: dynamodbStorageSchema,
  github: githubStorageSchema,
  appinsights: appinsightsStorageSchema,
  sqlite3: sqlite3StorageSchema,
  postgres: postgresStorageSchema,
  mysql: mysqlStorageSchema,
  sql: sqlStorageSchema,
});

/** Storage types that only send results on: nothing stored can be read back from them. */
export const WRITE_ONLY_STORAGE_TYPES: ReadonlySet<string> = new Set(['appinsights']);

export type StorageConfig = z.output<(typeof storageSchemas)[keyof typeof storageSchemas]>;

/** The storage types that keep runs in checkup's SQL table `checks`. */
export type SqlStorageTypeConfig =
  | Sqlite3StorageConfig
  | PostgresStorageConfig
  | MysqlStorageConfig
  | SqlStorageConfig;

/**
 * Storage types checkup had that are not implemented here yet, with checkup's keys: none today,
 * every one is built. A type listed here would still check and print, and a command that stores
 * or reads runs would refuse it (parse-config.ts), as `unsupportedNotifierSchemas` does.
 */
export const unsupportedStorageSchemas = {} as const;
