import { parseArgs } from 'node:util';
import { ConfigError } from '../core/config/config-error.js';
import { commands, findCommand } from './commands/index.js';
import { ConfigCache } from './config-cache.js';
import { describeArgsError } from './describe-args-error.js';
import { loadConfigFile } from './load-config-file.js';
import type { OptionSpec } from './option-spec.js';
import { SHARED_OPTIONS } from './shared-options.js';
import { terminalLines } from './terminal-text.js';
import { UsageError } from './usage-error.js';

declare const CHECKUP_VERSION: string;

/** Where the built command keeps what it caches between runs (cli/start.ts). */
export interface CacheSetting {
  /** The cache dir. */
  dir: string;
  /** The identity of the bundle running: what this build cached is for this build only. */
  build: string;
}

/** Runs the checkup command line and resolves to its exit status (0, 1, or 2 for usage/config). */
export async function main(argv: readonly string[], cache?: CacheSetting): Promise<number> {
  // The AWS SDK warns on every S3 or DynamoDB use under Node 20 that its releases after January
  // 2027 will need Node 22. The SDK is bundled here at a version that supports Node 20, so the
  // warning is noise a user of this command cannot act on.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    return await dispatch(argv, cache && new ConfigCache(cache.dir, cache.build));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      // A key or value from the file may hold an escape sequence: shown, not sent to the terminal.
      process.stderr.write(`checkup: ${terminalLines(error.message).replaceAll('\n', '\ncheckup: ')}\n`);
      if (error instanceof UsageError) process.stderr.write('Run "checkup --help" for usage.\n');
      return 2;
    }
    process.stderr.write(
      `checkup: ${terminalLines(error instanceof Error ? error.message : String(error))}\n`,
    );
    return 1;
  }
}

async function dispatch(argv: readonly string[], configCache: ConfigCache | undefined): Promise<number> {
  const options = allOptions();
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options });
  } catch (error) {
    throw describeArgsError(error as Error, argv, options);
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`checkup ${CHECKUP_VERSION}\n`);
    return 0;
  }
  if (values.config === '') throw new UsageError('--config needs a value: --config FILE');
  const [name = '', ...rest] = positionals;
  // `checkup <command> --help` is `checkup help <command>`.
  const command = findCommand(values.help ? 'help' : name);
  const configFile = typeof values.config === 'string' ? values.config : 'checkup.json';
  return command.run({
    args: values.help ? [name] : rest,
    options: values as Record<string, string | boolean | undefined>,
    configFile,
    loadConfig: (use) => loadConfigFile(configFile, use, configCache),
    verbose: values.v === true,
  });
}

function allOptions(): Record<string, OptionSpec> {
  const merged = { ...SHARED_OPTIONS };
  for (const command of commands) Object.assign(merged, command.options);
  return merged;
}
