import {
  DeleteParametersCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  type Parameter,
  ParameterNotFound,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { ConfigError } from '../../core/config/config-error.js';
import {
  type ConfigPointer,
  configPointerText,
  parseConfigPointer,
  verifyConfigObject,
} from '../../core/config/config-pointer.js';
import { configObjectParameter } from './config-object-parameter.js';
import { grantedTopicsParameter } from './granted-topics-parameter.js';

/** The largest value of a standard-tier parameter, in bytes. */
export const STANDARD_VALUE_LIMIT = 4096;
/** The largest value of an advanced-tier parameter, in bytes. */
export const ADVANCED_VALUE_LIMIT = 8192;

/** One parameter to write. */
export interface SsmConfigParameter {
  name: string;
  value: string;
  tier: 'Standard' | 'Advanced';
}

/** Where a split config keeps its checkers: `<name>/checkers/000`, `001`, ... */
export function checkersPath(name: string): string {
  return `${name}/checkers`;
}

/** Reads the object a config pointer names (the S3 object's text). */
export type ConfigObjectReader = (pointer: ConfigPointer) => Promise<string>;

/**
 * Reads checkup.json from SSM: the parameter `name`. When it holds a pointer to the config in S3
 * (a config too big for one parameter, pushed by `checkup config push`), the object it names,
 * read with `readObject` and refused unless its sha-256 is the pointer's. Otherwise the
 * parameter's config, merged with the checkers an older push kept one per parameter under
 * `<name>/checkers/` (appended after its own `checkers`, in name order). Returns the parsed,
 * unvalidated config. Throws ConfigError naming the place when something is missing, unreadable,
 * not JSON, or not the copy the pointer names.
 */
export async function readSsmConfig(
  client: SSMClient,
  name: string,
  readObject?: ConfigObjectReader,
): Promise<unknown> {
  const config = parseJson(await getParameter(client, name), name);
  const pointer = parseConfigPointer(config, `ssm:${name}`);
  if (pointer) {
    if (!readObject)
      throw new ConfigError([
        { path: `ssm:${name}`, message: `points to ${pointer.url}, which this reader cannot read` },
      ]);
    let text: string;
    try {
      text = await readObject(pointer);
    } catch (error) {
      throw new ConfigError(
        [
          {
            path: pointer.url,
            message: `could not be read (${(error as Error).name}: ${(error as Error).message})`,
          },
        ],
        { cause: error },
      );
    }
    verifyConfigObject(text, pointer);
    return parseJson(text, pointer.url);
  }
  const parts = await getCheckerParameters(client, name);
  if (parts.length === 0) return config;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError([{ path: `ssm:${name}`, message: 'must be a JSON object' }]);
  }
  const record = config as Record<string, unknown>;
  const own = Array.isArray(record.checkers) ? record.checkers : [];
  const more = parts.map((parameter) => parseJson(parameter.Value ?? '', parameter.Name ?? ''));
  return { ...record, checkers: [...own, ...more] };
}

/** Where `config push` puts a config too big for one parameter, and how it writes it there. */
export interface ConfigObjectTarget {
  /** `s3://bucket/key`, as the stack records it (configObjectParameter). */
  url: string;
  put: (text: string) => Promise<void>;
}

/**
 * Writes checkup.json to SSM. A config that fits one standard parameter (4 KB) is the parameter,
 * exactly as written, as today. A larger one goes to `object` (the stack's config object in the
 * results bucket) and the parameter holds a pointer to it with its sha-256; without `object` (a
 * stack from before it recorded one) it is split over parameters (see splitConfig). Checker
 * parameters an earlier split left behind are deleted. Validate the text before calling this.
 * Returns the names written (`s3://...` for the object).
 */
export async function writeSsmConfig(
  client: SSMClient,
  name: string,
  text: string,
  object?: ConfigObjectTarget,
): Promise<string[]> {
  const large = byteLength(text) > STANDARD_VALUE_LIMIT;
  const parameters =
    large && object
      ? [{ name, value: configPointerText(object.url, text), tier: 'Standard' as const }]
      : splitConfig(text, name);
  // The object first, the pointer last: a run that reads in between sees the old pointer, whose
  // digest the new object does not match, and keeps the last valid config for that run.
  if (large && object) await object.put(text);
  // Checkers first, the parameter last: a run that reads in between sees the old parameter
  // and at worst a mixed list, which fails validation and keeps the last valid config.
  for (const parameter of [...parameters.slice(1), parameters[0] as SsmConfigParameter]) {
    await client.send(
      new PutParameterCommand({
        Name: parameter.name,
        Value: parameter.value,
        Type: 'String',
        Tier: parameter.tier,
        Overwrite: true,
      }),
    );
  }
  const keep = new Set(parameters.map((parameter) => parameter.name));
  const stale = (await getCheckerParameters(client, name))
    .map((parameter) => parameter.Name as string)
    .filter((parameterName) => !keep.has(parameterName));
  for (let start = 0; start < stale.length; start += 10) {
    await client.send(new DeleteParametersCommand({ Names: stale.slice(start, start + 10) }));
  }
  return [...(large && object ? [object.url] : []), ...parameters.map((parameter) => parameter.name)];
}

/**
 * Where the stack keeps a large config (`s3://bucket/key`), as it records it for `checkup config
 * push` in the parameter configObjectParameter(name); undefined when it records none.
 */
export async function readConfigObjectUrl(client: SSMClient, name: string): Promise<string | undefined> {
  try {
    const answer = await client.send(new GetParameterCommand({ Name: configObjectParameter(name) }));
    return answer.Parameter?.Value || undefined;
  } catch (error) {
    if (error instanceof ParameterNotFound || (error as Error).name === 'ParameterNotFound') return undefined;
    throw error;
  }
}

/**
 * The parameters that hold `text`: the parameter itself when it fits one standard parameter
 * (the text kept exactly as written), else the config without its checkers in the parameter and
 * one parameter per checker under `<name>/checkers/`. Throws ConfigError when one checker alone
 * is too big for an advanced parameter.
 */
export function splitConfig(text: string, name: string): SsmConfigParameter[] {
  if (byteLength(text) <= STANDARD_VALUE_LIMIT) return [{ name, value: text, tier: 'Standard' }];
  const config = JSON.parse(text) as Record<string, unknown> & { checkers?: unknown[] };
  const { checkers = [], ...rest } = config;
  const parameters: SsmConfigParameter[] = [fitted(name, JSON.stringify({ ...rest, checkers: [] }), name)];
  checkers.forEach((checker, index) => {
    const partName = `${checkersPath(name)}/${String(index).padStart(3, '0')}`;
    parameters.push(fitted(partName, JSON.stringify(checker), `checkers[${index}]`));
  });
  return parameters;
}

async function getParameter(client: SSMClient, name: string): Promise<string> {
  try {
    const answer = await client.send(new GetParameterCommand({ Name: name }));
    return answer.Parameter?.Value ?? '';
  } catch (error) {
    if (error instanceof ParameterNotFound || (error as Error).name === 'ParameterNotFound') {
      throw new ConfigError(
        [
          {
            path: `ssm:${name}`,
            message: 'no such parameter (deploy the stack, or run checkup config push)',
          },
        ],
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

async function getCheckerParameters(client: SSMClient, name: string): Promise<Parameter[]> {
  const found: Parameter[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new GetParametersByPathCommand({ Path: checkersPath(name), Recursive: false, NextToken: token }),
    );
    found.push(...(page.Parameters ?? []));
    token = page.NextToken;
  } while (token);
  return found.sort((a, b) => ((a.Name ?? '') < (b.Name ?? '') ? -1 : 1));
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError([{ path: `ssm:${name}`, message: `not valid JSON: ${(error as Error).message}` }], {
      cause: error,
    });
  }
}

function fitted(name: string, value: string, path: string): SsmConfigParameter {
  const size = byteLength(value);
  if (size > ADVANCED_VALUE_LIMIT) {
    throw new ConfigError([
      { path, message: `${size} bytes is more than one SSM parameter holds (${ADVANCED_VALUE_LIMIT})` },
    ]);
  }
  return { name, value, tier: size > STANDARD_VALUE_LIMIT ? 'Advanced' : 'Standard' };
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * The SNS topics the deployment reading the config `name` was granted (see
 * grantedTopicsParameter), or undefined when it recorded none (a stack from before it did, or a
 * parameter the user manages alone): then nothing can be checked.
 */
export async function readGrantedTopics(client: SSMClient, name: string): Promise<string[] | undefined> {
  const parameter = grantedTopicsParameter(name);
  let text: string | undefined;
  try {
    text = (await client.send(new GetParameterCommand({ Name: parameter }))).Parameter?.Value;
  } catch (error) {
    if (error instanceof ParameterNotFound || (error as Error).name === 'ParameterNotFound') return undefined;
    throw error;
  }
  const topics: unknown = parseJson(text ?? '', parameter);
  if (!Array.isArray(topics) || !topics.every((topic) => typeof topic === 'string')) {
    throw new ConfigError([{ path: `ssm:${parameter}`, message: 'not a JSON list of topic ARNs' }]);
  }
  return topics;
}
