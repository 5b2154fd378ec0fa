import * as z from 'zod';
import { type CheckerConfig, checkerSchemas, KNOWN_CHECKER_TYPES } from './checker-schemas.js';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { findJsonError } from './find-json-error.js';
import { type NotifierConfig, notifierSchemas } from './notifier-schemas.js';
import { type StatusPageConfig, statusPageSchema } from './status-page-schema.js';
import { type StorageConfig, storageSchemas } from './storage-schemas.js';
import { suggest } from './suggest.js';

/** Checks run at once when `concurrent_checks` is not set. */
export const DEFAULT_CONCURRENT_CHECKS = 50;

/** A validated config: checkup's keys, normalised (durations in nanoseconds, old keys mapped). */
export interface Config {
  checkers: CheckerConfig[];
  storage?: StorageConfig;
  notifiers: NotifierConfig[];
  concurrent_checks: number;
  /** When set, every result of a run gets this unix-ns timestamp. */
  timestamp?: number;
  /** How the status page looks and refreshes. */
  status_page?: StatusPageConfig;
}

/** The top-level keys, for checking spelling before anything else. */
export const topLevelShape = {
  $schema: z.string().optional().meta({ description: 'The JSON Schema this file follows, for editors' }),
  checkers: z.array(z.unknown()).meta({ description: 'The endpoints to check' }),
  storage: z.unknown().optional(),
  notifiers: z.array(z.unknown()).optional(),
  notifier: z.unknown().optional(),
  concurrent_checks: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .meta({ description: `Checks run at once (default ${DEFAULT_CONCURRENT_CHECKS})` }),
  timestamp: z
    .union([z.string(), z.number()])
    .optional()
    .meta({ description: 'Give every result this time (RFC 3339 or unix ns) instead of the run time' }),
  status_page: z.unknown().optional().meta({ description: 'How the status page looks and refreshes' }),
};

/** Parses and validates config text. Throws ConfigError listing every problem with its place. */
export function parseConfig(text: string): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ path: '', message: describeJsonError(text) }], { cause: error });
  }
  return validateConfig(raw);
}

/** What a deployment allows, beyond what the config's own schema says. */
export interface DeploymentLimits {
  /**
   * The SNS topics the deployment may publish to (its `alertTopicArns`); an `sns` notifier with
   * another topic is an error, since every publish to it would be denied.
   */
  grantedTopics?: readonly string[];
}

/** Validates an already parsed config. Throws ConfigError listing every problem with its place. */
export function validateConfig(raw: unknown, limits: DeploymentLimits = {}): Config {
  const issues: ConfigIssue[] = [];
  const top = parseWith(z.strictObject(topLevelShape), raw, '', issues);
  if (!top) throw new ConfigError(issues);

  const checkers = top.checkers.flatMap((item, index) => {
    const parsed = parseTyped(
      item,
      `checkers[${index}]`,
      'type',
      checkerSchemas,
      KNOWN_CHECKER_TYPES,
      issues,
    );
    return parsed ? [parsed as CheckerConfig] : [];
  });
  checkUniqueNames(top.checkers, issues);

  let storage: StorageConfig | undefined;
  if (top.storage !== undefined) {
    const normalised = renameKey(top.storage, 'provider', 'type');
    storage = parseTyped(
      normalised,
      'storage',
      'type',
      storageSchemas,
      Object.keys(storageSchemas),
      issues,
    ) as StorageConfig | undefined;
  }

  const notifierItems: Array<{ item: unknown; path: string }> = (top.notifiers ?? []).map((item, index) => ({
    item,
    path: `notifiers[${index}]`,
  }));
  if (top.notifier !== undefined)
    notifierItems.push({ item: renameKey(top.notifier, 'name', 'type'), path: 'notifier' });
  const notifiers = notifierItems.flatMap(({ item, path }) => {
    const parsed = parseTyped(item, path, 'type', notifierSchemas, Object.keys(notifierSchemas), issues) as
      | NotifierConfig
      | undefined;
    if (parsed?.type === 'sns' && limits.grantedTopics && !limits.grantedTopics.includes(parsed.topic_arn)) {
      issues.push({
        path: `${path}.topic_arn`,
        message: ungrantedTopic(parsed.topic_arn, limits.grantedTopics),
      });
    }
    return parsed ? [parsed] : [];
  });

  const timestamp = top.timestamp === undefined ? undefined : parseTimestamp(top.timestamp, issues);
  const statusPage =
    top.status_page === undefined
      ? undefined
      : parseWith(statusPageSchema, top.status_page, 'status_page', issues);

  if (issues.length > 0) throw new ConfigError(issues);
  return {
    checkers,
    ...(storage ? { storage } : {}),
    notifiers,
    concurrent_checks: top.concurrent_checks ?? DEFAULT_CONCURRENT_CHECKS,
    ...(timestamp !== undefined ? { timestamp } : {}),
    ...(statusPage ? { status_page: statusPage } : {}),
  };
}

function parseTyped(
  item: unknown,
  path: string,
  discriminator: string,
  schemas: Record<string, z.ZodType>,
  known: readonly string[],
  issues: ConfigIssue[],
): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    issues.push({ path, message: 'must be an object' });
    return undefined;
  }
  const type = (item as Record<string, unknown>)[discriminator];
  const list = known.join(', ');
  if (type === undefined) {
    issues.push({ path: `${path}.${discriminator}`, message: `required (${list})` });
    return undefined;
  }
  const schema = typeof type === 'string' ? schemas[type] : undefined;
  if (!schema) {
    const hint = typeof type === 'string' && !known.includes(type) ? suggest(type, known) : undefined;
    const message = known.includes(String(type))
      ? `type "${type}" is not available here yet`
      : `unknown type ${JSON.stringify(type)} (${list})${hint ? `; did you mean "${hint}"?` : ''}`;
    issues.push({ path: `${path}.${discriminator}`, message });
    return undefined;
  }
  return parseWith(schema, item, path, issues);
}

function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  path: string,
  issues: ConfigIssue[],
): T | undefined {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) issues.push(...describeIssue(issue, path, schema));
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue, base: string, schema: z.ZodType): ConfigIssue[] {
  const path = joinPath(base, issue.path);
  if (issue.code === 'unrecognized_keys') {
    const allowed = objectKeys(schema);
    return issue.keys.map((key) => {
      const hint = suggest(key, allowed);
      return {
        path: joinPath(path, [key]),
        message: `unknown key${hint ? `; did you mean "${hint}"?` : ''}`,
      };
    });
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return [{ path, message: 'required' }];
  return [{ path, message: issue.message }];
}

function objectKeys(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodPipe) return objectKeys(schema.in as z.ZodType);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function joinPath(base: string, segments: readonly PropertyKey[]): string {
  let out = base;
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out;
}

function renameKey(value: unknown, from: string, to: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  if (!(from in record) || to in record) return value;
  const { [from]: moved, ...rest } = record;
  return { [to]: moved, ...rest };
}

function checkUniqueNames(items: readonly unknown[], issues: ConfigIssue[]): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    // exec checkers keep checkup's `name` key for what the others call `endpoint_name`.
    const record = item as { type?: unknown; endpoint_name?: unknown; name?: unknown } | null;
    const key = record?.type === 'exec' ? 'name' : 'endpoint_name';
    const name = record?.[key];
    if (typeof name !== 'string') return;
    const first = seen.get(name);
    if (first !== undefined) {
      issues.push({
        path: `checkers[${index}].${key}`,
        message: `"${name}" is already used by checkers[${first}]; names must be unique`,
      });
    } else seen.set(name, index);
  });
}

function parseTimestamp(value: string | number, issues: ConfigIssue[]): number | undefined {
  if (typeof value === 'number') return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    issues.push({ path: 'timestamp', message: `not a date: ${JSON.stringify(value)} (use RFC 3339)` });
    return undefined;
  }
  return ms * 1e6;
}

function describeJsonError(text: string): string {
  const { offset, reason } = findJsonError(text);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `not valid JSON at line ${line}, column ${column}: ${reason}`;
}

function ungrantedTopic(arn: string, granted: readonly string[]): string {
  const list = granted.length > 0 ? granted.join(', ') : 'none';
  return `${arn} is not a topic the deployment may publish to (its alertTopicArns: ${list}); deploy with -c alertTopicArns=${[...granted, arn].join(',')}`;
}
