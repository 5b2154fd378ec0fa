import { parseArgs } from 'node:util';
import { ConfigError } from '../core/config/config-error.js';
import { commands, findCommand } from './commands/index.js';
import type { OptionSpec } from './option-spec.js';
import { SHARED_OPTIONS } from './shared-options.js';
import { UsageError } from './usage-error.js';

declare const CHECKUP_VERSION: string;

/** Runs the checkup command line and resolves to its exit status (0, 1, or 2 for usage/config). */
export async function main(argv: readonly string[]): Promise<number> {
  // The AWS SDK warns on every S3 or DynamoDB use under Node 20 that its releases after January
  // 2027 will need Node 22. The SDK is bundled here at a version that supports Node 20, so the
  // warning is noise a user of this command cannot act on.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
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
  const options = allOptions();
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options });
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`checkup ${CHECKUP_VERSION}\n`);
    return 0;
  }
  const [name = '', ...rest] = positionals;
  // `checkup <command> --help` is `checkup help <command>`.
  const command = findCommand(values.help ? 'help' : name);
  return command.run({
    args: values.help ? [name] : rest,
    options: values as Record<string, string | boolean | undefined>,
    configFile: typeof values.config === 'string' ? values.config : 'checkup.json',
    verbose: values.v === true,
  });
}

function allOptions(): Record<string, OptionSpec> {
  const merged = { ...SHARED_OPTIONS };
  for (const command of commands) Object.assign(merged, command.options);
  return merged;
}
