import * as z from 'zod';
import type { MaintenanceWindow } from '../maintenance/maintenance-window.js';
import { checkDependencies } from './checker-dependencies.js';
import { type CheckerConfig, checkerSchemas } from './checker-schemas.js';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { findJsonError } from './find-json-error.js';
import { findTooDeep, MAX_JSON_DEPTH } from './json-depth.js';
import { lazySchema } from './lazy-schema.js';
import { maintenanceItemSchema, toMaintenanceWindow } from './maintenance-schema.js';
import { noEffectReasons } from './no-effect.js';
import { type NotifierConfig, notifierSchemas, unsupportedNotifierSchemas } from './notifier-schemas.js';
import { type StatusPageConfig, statusPageSchema } from './status-page-schema.js';
import {
  type StorageConfig,
  storageSchemas,
  unsupportedStorageSchemas,
  WRITE_ONLY_STORAGE_TYPES,
} from './storage-schemas.js';
import { type SubscribersConfig, subscriberNotifiers, subscribersSchema } from './subscribers-schema.js';
import { suggest } from './suggest.js';

/** Checks run at once when `concurrent_checks` is not set. */
export const DEFAULT_CONCURRENT_CHECKS = 50;

/** A validated config: checkup's keys, normalised (durations in nanoseconds, old keys mapped). */
export interface Config {
  checkers: CheckerConfig[];
  storage?: StorageConfig;
  /** The configured notifiers, then each subscriber's webhook (see subscriberNotifiers). */
  notifiers: NotifierConfig[];
  /** Subscribers as configured (their webhooks are also in `notifiers`). */
  subscribers?: SubscribersConfig;
  concurrent_checks: number;
  /** When set, every result of a run gets this unix-ns timestamp. */
  timestamp?: number;
  /** How the status page looks and refreshes. */
  status_page?: StatusPageConfig;
  /** Planned maintenance windows (the config's; `checkup maintenance start` stores more beside the runs). */
  maintenance: MaintenanceWindow[];
  /** With checks from several regions: how many that reported must see an endpoint down (default a majority). */
  quorum?: number;
  /** Checked when many endpoints are down at once: when it is down too, the probe is offline. */
  canary?: CheckerConfig;
  /** What was accepted but has no effect here (a key checkup had), with its place and why. */
  notices: ConfigIssue[];
  /** Problems in a part this use does not need (a placeholder webhook in a run that sends nothing). */
  warnings: ConfigIssue[];
}

/**
 * What the caller will do with the config. A problem in a part it will not use (a placeholder
 * webhook when nothing is sent) is a notice, not an error. Absent means the strictest use.
 */
export interface ConfigUse {
  /** Runs the checkers: an empty list is then an error. Default false (a deployment may plan none). */
  checks?: boolean;
  /** Stores runs or reads stored ones: a storage type not implemented here is then an error. Default true. */
  stores?: boolean;
  /** Sends alerts: any notifier problem is then an error. Default true. */
  alerts?: boolean;
  /**
   * Reads stored runs back (history, the page, summaries): a storage that only sends results on
   * (appinsights) is then an error. Default false.
   */
  reads?: boolean;
}

/** Unix ns must stay below this, int64's limit (in 2262), as checkup's run file names do. */
const TIMESTAMP_LIMIT_NS = 2 ** 63;

/** The top-level keys, for checking spelling before anything else. */
export const topLevelShape = lazySchema(() => ({
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
    .union([
      z.string().meta({ description: 'RFC 3339; checkup\'s zero time "0001-01-01T00:00:00Z" means not set' }),
      z.number().meta({ description: 'unix nanoseconds, from 1970 to 2262' }),
    ])
    .optional()
    .meta({ description: 'Give every result this time (RFC 3339 or unix ns) instead of the run time' }),
  status_page: z.unknown().optional().meta({ description: 'How the status page looks and refreshes' }),
  maintenance: z.array(z.unknown()).optional().meta({ description: 'Planned maintenance windows' }),
  quorum: z.number().int().min(1).max(100).optional().meta({
    description:
      'With checks from several regions: how many of the regions that reported must see an endpoint down for it to be down (default: a majority); fewer make it degraded',
  }),
  canary: z.unknown().optional().meta({
    description:
      'A checker (as in checkers, endpoint_name optional) tried when most endpoints are down at once: if it is down too, the probe is offline and the run alerts nothing',
  }),
  subscribers: z.unknown().optional().meta({ description: 'Subscribers to status changes' }),
}));

/** The top level with its keys spelt right, and (to go on after a misspelt one) with any keys. */
const strictTopLevel = lazySchema(() => z.strictObject(topLevelShape()));
const looseTopLevel = lazySchema(() => z.object(topLevelShape()));

/** Parses and validates config text. Throws ConfigError listing every problem with its place. */
export function parseConfig(text: string, use: ConfigUse = {}): Config {
  return validateConfig(parseJson(text), use);
}

function parseJson(text: string): unknown {
  // A UTF-8 byte order mark, as some Windows editors write, is not part of the JSON.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const tooDeep = findTooDeep(json);
  if (tooDeep !== undefined)
    throw new ConfigError([
      {
        path: '',
        message: `nested more than ${MAX_JSON_DEPTH} levels deep at ${place(json, tooDeep)} (a checkup.json needs a few)`,
      },
    ]);
  try {
    return JSON.parse(json);
  } catch (error) {
    const { offset, reason } = findJsonError(json);
    throw new ConfigError([{ path: '', message: `not valid JSON at ${place(json, offset)}: ${reason}` }], {
      cause: error,
    });
  }
}

function place(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
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
export function validateConfig(raw: unknown, use: ConfigUse = {}, limits: DeploymentLimits = {}): Config {
  const issues: ConfigIssue[] = [];
  const notices: ConfigIssue[] = [];
  // A misspelt top-level key is reported with the problems of every section, not instead of them.
  const top = parseWith(strictTopLevel(), raw, '', issues, notices) ?? looseTopLevel().safeParse(raw).data;
  if (!top) throw new ConfigError(issues);

  if (use.checks && top.checkers.length === 0)
    issues.push({ path: 'checkers', message: 'nothing to check: the list is empty (add a checker)' });
  const checkers = top.checkers.flatMap((item, index) => {
    const parsed = parseTyped(item, `checkers[${index}]`, 'type', checkerSchemas, {}, issues, notices);
    return parsed ? [parsed as CheckerConfig] : [];
  });
  checkUniqueNames(top.checkers, issues);
  issues.push(...checkDependencies(top.checkers));

  let storage: StorageConfig | undefined;
  if (top.storage !== undefined) {
    const normalised = renameKey(top.storage, 'provider', 'type');
    const parsed = parseTyped(
      normalised,
      'storage',
      'type',
      storageSchemas,
      unsupportedStorageSchemas,
      issues,
      notices,
    ) as { type: string } | undefined;
    if (parsed && parsed.type in unsupportedStorageSchemas) {
      const what = `"${parsed.type}" storage is not supported here yet (supported: ${Object.keys(storageSchemas).join(', ')})`;
      if (use.stores === false)
        notices.push({ path: 'storage.type', message: `${what}; this run stores nothing, so it is ignored` });
      else issues.push({ path: 'storage.type', message: what });
    } else storage = parsed as StorageConfig | undefined;
    if (storage && use.reads && WRITE_ONLY_STORAGE_TYPES.has(storage.type))
      issues.push({
        path: 'storage.type',
        message: `"${storage.type}" storage only sends each run on (see its Availability view): it keeps nothing to read back; use a storage that keeps runs (fs, s3, dynamodb, github, sqlite3, postgres, mysql) for history and the status page`,
      });
    if (storage?.type === 'sql')
      notices.push({
        path: 'storage.type',
        message:
          '"sql" is checkup\'s older SQL storage: it works here, and "sqlite3" or "postgres" with a dsn is the current form',
      });
  }

  const notifierIssues: ConfigIssue[] = [];
  const notifierItems: Array<{ item: unknown; path: string }> = (top.notifiers ?? []).map((item, index) => ({
    item,
    path: `notifiers[${index}]`,
  }));
  if (top.notifier !== undefined)
    notifierItems.push({ item: renameKey(top.notifier, 'name', 'type'), path: 'notifier' });
  const notifiers = notifierItems.flatMap(({ item, path }) => {
    const parsed = parseTyped(
      item,
      path,
      'type',
      notifierSchemas,
      unsupportedNotifierSchemas,
      notifierIssues,
      notices,
    ) as { type: string } | undefined;
    if (parsed && parsed.type in unsupportedNotifierSchemas) {
      notifierIssues.push({
        path: `${path}.type`,
        message: `"${parsed.type}" notifier is not supported here yet (supported: ${Object.keys(notifierSchemas).join(', ')})`,
      });
      return [];
    }
    const notifier = parsed as NotifierConfig | undefined;
    if (
      notifier?.type === 'sns' &&
      limits.grantedTopics &&
      !limits.grantedTopics.includes(notifier.topic_arn)
    )
      notifierIssues.push({
        path: `${path}.topic_arn`,
        message: ungrantedTopic(notifier.topic_arn, limits.grantedTopics),
      });
    return notifier ? [notifier] : [];
  });
  const subscribers =
    top.subscribers === undefined
      ? undefined
      : parseWith(subscribersSchema(), top.subscribers, 'subscribers', notifierIssues, notices);
  notifiers.push(...subscriberNotifiers(subscribers));
  const warnings: ConfigIssue[] = [];
  if (use.alerts === false)
    warnings.push(
      ...notifierIssues.map((issue) => ({
        path: issue.path,
        message: `${issue.message}; this run sends no alerts, so it is ignored (commands that alert refuse it)`,
      })),
    );
  else issues.push(...notifierIssues);

  const canary =
    top.canary === undefined
      ? undefined
      : (parseTyped(withDefaultName(top.canary), 'canary', 'type', checkerSchemas, {}, issues, notices) as
          | CheckerConfig
          | undefined);

  const timestamp = top.timestamp === undefined ? undefined : parseTimestamp(top.timestamp, issues);
  const statusPage =
    top.status_page === undefined
      ? undefined
      : parseWith(statusPageSchema(), top.status_page, 'status_page', issues, notices);

  const names = top.checkers.map(endpointNameOf).filter((name): name is string => name !== undefined);
  // A window may name a group: it covers whichever endpoints are in it when they are checked.
  const coverable = [...new Set([...names, ...checkers.flatMap((checker) => checker.group ?? [])])];
  const maintenance = (top.maintenance ?? []).flatMap((item, index) => {
    const path = `maintenance[${index}]`;
    const parsed = parseWith(maintenanceItemSchema(), item, path, issues, notices);
    const window = parsed && toMaintenanceWindow(parsed, path, coverable, issues);
    return window ? [window] : [];
  });

  if (issues.length > 0) throw new ConfigError(issues);
  return {
    checkers,
    ...(storage ? { storage } : {}),
    notifiers,
    ...(subscribers ? { subscribers } : {}),
    concurrent_checks: top.concurrent_checks ?? DEFAULT_CONCURRENT_CHECKS,
    ...(timestamp !== undefined ? { timestamp } : {}),
    ...(statusPage ? { status_page: statusPage } : {}),
    maintenance,
    ...(top.quorum !== undefined ? { quorum: top.quorum } : {}),
    ...(canary ? { canary } : {}),
    notices,
    warnings,
  };
}

/** The canary needs no name of its own: it is called "canary" unless it has one. */
function withDefaultName(item: unknown): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const named = item as Record<string, unknown>;
  if (named.endpoint_name !== undefined || named.type === 'exec') return item;
  return { ...named, endpoint_name: 'canary' };
}

/**
 * Validates one item of a typed section against the schema its type names: `schemas` are the
 * types implemented here, `unsupported` those checkup had that are not (yet), checked all the same.
 */
function parseTyped(
  item: unknown,
  path: string,
  discriminator: string,
  schemas: Record<string, z.ZodType>,
  unsupported: Record<string, z.ZodType>,
  issues: ConfigIssue[],
  notices: ConfigIssue[],
): unknown {
  const known = [...Object.keys(schemas), ...Object.keys(unsupported)];
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
  const schema =
    typeof type === 'string' && Object.hasOwn(schemas, type)
      ? schemas[type]
      : typeof type === 'string' && Object.hasOwn(unsupported, type)
        ? unsupported[type]
        : undefined;
  if (!schema) {
    const hint = typeof type === 'string' ? suggest(type, known) : undefined;
    const message = `unknown type ${JSON.stringify(type)} (${list})${hint ? `; did you mean "${hint}"?` : ''}`;
    issues.push({ path: `${path}.${discriminator}`, message });
    return undefined;
  }
  return parseWith(schema, item, path, issues, notices);
}

function parseWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  path: string,
  issues: ConfigIssue[],
  notices: ConfigIssue[],
): T | undefined {
  notices.push(...noEffectKeys(schema, value, path));
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) issues.push(...describeIssue(issue, path, schema));
  return undefined;
}

/** A notice for each key of `value` that the schema accepts only for checkup's sake. */
function noEffectKeys(schema: z.ZodType, value: unknown, path: string): ConfigIssue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const reasons = noEffectReasonsOf(schema);
  if (reasons.size === 0) return [];
  return Object.keys(value).flatMap((key) => {
    const reason = reasons.get(key);
    return reason ? [{ path: joinPath(path, [key]), message: `no effect here: ${reason}` }] : [];
  });
}

const reasonsBySchema = new WeakMap<z.ZodType, Map<string, string>>();

/**
 * The keys of a schema that have no effect here, with why, looked up once per schema: a lookup
 * in the registry for every key of every checker was a sixth of validating 10,000 of them.
 */
function noEffectReasonsOf(schema: z.ZodType): Map<string, string> {
  let reasons = reasonsBySchema.get(schema);
  if (!reasons) {
    reasons = new Map();
    for (const [key, keySchema] of Object.entries(objectShape(schema))) {
      const reason = noEffectReasons.get(keySchema)?.reason;
      if (reason) reasons.set(key, reason);
    }
    reasonsBySchema.set(schema, reasons);
  }
  return reasons;
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
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return [{ path, message: 'required' }];
    return [
      { path, message: `expected ${describeExpected(issue.expected)}, got ${describeValue(issue.input)}` },
    ];
  }
  if (issue.code === 'invalid_union' && issue.input !== undefined) {
    // The branch the value's type matched says what is wrong with it (a number out of range).
    const typeOnly = (branch: readonly z.core.$ZodIssue[]) =>
      branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0;
    const matched = issue.errors.filter((branch) => !typeOnly(branch));
    if (matched.length === 1)
      return (matched[0] as z.core.$ZodIssue[]).flatMap((inner) => describeIssue(inner, path, schema));
    if (matched.length === 0 && issue.message === 'Invalid input') {
      const kinds = issue.errors.map((branch) =>
        describeExpected((branch[0] as z.core.$ZodIssueInvalidType).expected),
      );
      return [
        { path, message: `expected ${[...new Set(kinds)].join(' or ')}, got ${describeValue(issue.input)}` },
      ];
    }
  }
  if (issue.code === 'too_small' || issue.code === 'too_big')
    return [{ path, message: describeBound(issue) }];
  if (issue.code === 'invalid_key') {
    return issue.issues.map((inner) => ({ path, message: `${inner.message}` }));
  }
  return [{ path, message: issue.message }];
}

/** A bound as a reader of the file would say it: `must be at least 1`, `must not be empty`. */
function describeBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  if (issue.origin === 'string') {
    if (small && limit === 1) return 'must not be empty';
    return `must be ${small ? 'at least' : 'at most'} ${limit} characters`;
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    if (small && limit === 1) return 'must list at least one';
    return `must list ${small ? 'at least' : 'at most'} ${limit}`;
  }
  if (small)
    return `must be ${inclusive ? 'at least' : 'more than'} ${limit}, got ${describeValue(issue.input)}`;
  return `must be ${inclusive ? 'at most' : 'less than'} ${limit}, got ${describeValue(issue.input)}`;
}

const EXPECTED: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list ([...])',
  object: 'an object ({...})',
  record: 'an object ({...})',
};

function describeExpected(expected: string): string {
  return EXPECTED[expected] ?? expected;
}

/** A value as a reader of the file would name it: `the string "3"`, `null`, `a list`. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') {
    const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    return /^-?\d+(\.\d+)?$/.test(value)
      ? `the string ${shown} (write it without quotes)`
      : `the string ${shown}`;
  }
  if (typeof value === 'object') return 'an object';
  return typeof value === 'number' ? String(value) : `${typeof value} ${String(value)}`;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> {
  if (schema instanceof z.ZodPipe) return objectShape(schema.in as z.ZodType);
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
}

function objectKeys(schema: z.ZodType): string[] {
  return Object.keys(objectShape(schema));
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

/** A checker's endpoint name as written (exec checkers keep checkup's `name`). */
function endpointNameOf(item: unknown): string | undefined {
  const record = item as { type?: unknown; endpoint_name?: unknown; name?: unknown } | null;
  const name = record?.type === 'exec' ? (record.name ?? record.endpoint_name) : record?.endpoint_name;
  return typeof name === 'string' ? name : undefined;
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

/**
 * A timestamp as unix ns, undefined when not set. checkup writes its zero time
 * (0001-01-01T00:00:00Z) for "not set", so that means the run's own time here too.
 */
function parseTimestamp(value: string | number, issues: ConfigIssue[]): number | undefined {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value > 0 && value < TIMESTAMP_LIMIT_NS) return value;
    issues.push({
      path: 'timestamp',
      message: `${value} is not a time: give unix nanoseconds from 1970 to 2262, or RFC 3339 text`,
    });
    return undefined;
  }
  if (/^0001-01-01T00:00:00(\.0+)?(Z|[+-]00:00)$/.test(value)) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    issues.push({ path: 'timestamp', message: `not a date: ${JSON.stringify(value)} (use RFC 3339)` });
    return undefined;
  }
  if (ms <= 0) {
    issues.push({
      path: 'timestamp',
      message: `${JSON.stringify(value)} is not after 1970 (unix time starts there)`,
    });
    return undefined;
  }
  if (ms * 1e6 >= TIMESTAMP_LIMIT_NS) {
    issues.push({
      path: 'timestamp',
      message: `${JSON.stringify(value)} is after 2262 (unix nanoseconds end there)`,
    });
    return undefined;
  }
  return ms * 1e6;
}

function ungrantedTopic(arn: string, granted: readonly string[]): string {
  const list = granted.length > 0 ? granted.join(', ') : 'none';
  return `${arn} is not a topic the deployment may publish to (its alertTopicArns: ${list}); deploy with -c alertTopicArns=${[...granted, arn].join(',')}`;
}
