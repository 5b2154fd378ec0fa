import { parseArgs } from 'node:util';
import { createStorage } from '../adapters/storage/create-storage.js';
import { ConfigError } from '../core/config/config-error.js';
import { configJsonSchema } from '../core/config/config-json-schema.js';
import type { Config } from '../core/config/parse-config.js';
import { suggest } from '../core/config/suggest.js';
import { type Result, statusOf } from '../core/result.js';
import { checkAll } from './check-all.js';
import { formatResult } from './format-result.js';
import { loadConfigFile } from './load-config-file.js';
import { parseInterval } from './parse-interval.js';
import { runEvery } from './run-every.js';
import { UsageError } from './usage-error.js';

declare const CHECKUP_VERSION: string;

const HELP = `checkup: health checks for your sites and services

Usage:
  checkup [--store]                 check every endpoint once and print the results
  checkup every <interval>          check and store at an interval (3s, 1m, 1h30m, minute, hour, day)
  checkup message --about NAME TEXT store a run whose result for NAME carries TEXT as its message
  checkup schema                    print the JSON Schema of checkup.json

Options:
  -c, --config FILE   the config file (default: checkup.json)
      --store         store the results (default storage: fs in ./checks)
      --v             say more (what was stored, and where)
  -h, --help          show this help
      --version       show the version

Exit status: 0 all healthy, 1 any endpoint degraded or down, 2 a config or usage error.
`;

const COMMANDS = ['every', 'message', 'schema'];

/** Runs the checkup command line and resolves to its exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      process.stderr.write(`checkup: ${error.message.replaceAll('\n', '\ncheckup: ')}\n`);
      if (error instanceof UsageError) process.stderr.write('Run "checkup --help" for usage.\n');
      return 2;
    }
    process.stderr.write(`checkup: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function dispatch(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArguments(argv);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`checkup ${CHECKUP_VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  const configFile = values.config ?? 'checkup.json';
  const verbose = values.v ?? false;
  switch (command) {
    case undefined:
      return checkOnce(await loadConfigFile(configFile), values.store ?? false, verbose);
    case 'every': {
      if (rest.length !== 1) throw new UsageError('every takes one interval, such as "1m" or "hour"');
      const intervalMs = parseInterval(rest[0] as string);
      if (intervalMs === undefined)
        throw new UsageError(`every: not an interval: "${rest[0]}" (try 30s, 1m, hour)`);
      return checkEvery(await loadConfigFile(configFile), intervalMs, verbose);
    }
    case 'message': {
      if (!values.about) throw new UsageError('message needs --about NAME, the endpoint_name it is about');
      if (rest.length !== 1) throw new UsageError('message takes one text argument (quote it)');
      return storeMessage(await loadConfigFile(configFile), values.about, rest[0] as string, verbose);
    }
    case 'schema':
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
      return 0;
    default: {
      const hint = suggest(command, COMMANDS);
      throw new UsageError(`unknown command "${command}"${hint ? `; did you mean "${hint}"?` : ''}`);
    }
  }
}

function parseArguments(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        store: { type: 'boolean' },
        v: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        about: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

async function checkOnce(config: Config, store: boolean, verbose: boolean): Promise<number> {
  const storage = store ? createStorage(config.storage) : undefined;
  const results = await checkAll(config);
  printResults(results);
  if (storage) {
    const run = await storage.store(results);
    if (verbose) process.stderr.write(`stored ${run.name}\n`);
  }
  return results.every((result) => statusOf(result) === 'healthy') ? 0 : 1;
}

async function checkEvery(config: Config, intervalMs: number, verbose: boolean): Promise<number> {
  const storage = createStorage(config.storage);
  const controller = new AbortController();
  const schedule = runEvery(
    intervalMs,
    async () => {
      const results = await checkAll(config, controller.signal);
      if (controller.signal.aborted) return;
      const run = await storage.store(results);
      const unhealthy = results.filter((result) => statusOf(result) !== 'healthy');
      if (verbose || unhealthy.length > 0) {
        process.stderr.write(
          `${new Date().toISOString()} stored ${run.name}: ${results.length - unhealthy.length}/${results.length} healthy` +
            `${unhealthy.map((r) => `; ${r.title} ${statusOf(r)}`).join('')}\n`,
        );
      }
    },
    (tick, lateMs) => process.stderr.write(`checkup: run ${tick} started ${Math.round(lateMs)} ms late\n`),
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.stderr.write('checkup: stopping; finishing the run under way\n');
      process.once('SIGINT', () => process.exit(130));
      controller.abort();
      void schedule.stop().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

async function storeMessage(config: Config, about: string, text: string, verbose: boolean): Promise<number> {
  const names = config.checkers.map((checker) => checker.endpoint_name);
  if (!names.includes(about)) {
    const hint = suggest(about, names);
    throw new UsageError(
      `message --about: no endpoint named "${about}"${hint ? `; did you mean "${hint}"?` : ''}`,
    );
  }
  const only = { ...config, checkers: config.checkers.filter((checker) => checker.endpoint_name === about) };
  const results = (await checkAll(only)).map((result) => ({ ...result, message: text }));
  printResults(results);
  const run = await createStorage(config.storage).store(results);
  if (verbose) process.stderr.write(`stored ${run.name}\n`);
  return 0;
}

function printResults(results: readonly Result[]): void {
  const colour = process.stdout.isTTY === true && !process.env.NO_COLOR;
  process.stdout.write(results.map((result) => formatResult(result, colour)).join('\n'));
}
