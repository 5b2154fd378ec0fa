import { parseArgs } from 'node:util';
import { ConfigError } from '../core/config/config-error.js';
import { suggest } from '../core/config/suggest.js';
import type { Command } from './command.js';
import { commands } from './commands/index.js';
import type { OptionSpec } from './option-spec.js';
import { terminalText } from './terminal-text.js';
import { UsageError } from './usage-error.js';

declare const CHECKUP_VERSION: string;

const SHARED_OPTIONS: Record<string, OptionSpec> = {
  config: { type: 'string', short: 'c', description: 'the config file (default: checkup.json)' },
  v: { type: 'boolean', description: 'say more (what was stored, and where)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
  version: { type: 'boolean', description: 'show the version' },
};

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
      process.stderr.write(`checkup: ${terminalText(error.message, true).replaceAll('\n', '\ncheckup: ')}\n`);
      if (error instanceof UsageError) process.stderr.write('Run "checkup --help" for usage.\n');
      return 2;
    }
    process.stderr.write(
      `checkup: ${terminalText(error instanceof Error ? error.message : String(error), true)}\n`,
    );
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
  if (values.help) {
    process.stdout.write(help(options));
    return 0;
  }
  if (values.version) {
    process.stdout.write(`checkup ${CHECKUP_VERSION}\n`);
    return 0;
  }
  const [name = '', ...args] = positionals;
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    const hint = suggest(name, commands.map((c) => c.name).filter(Boolean));
    throw new UsageError(`unknown command "${name}"${hint ? `; did you mean "${hint}"?` : ''}`);
  }
  return command.run({
    args,
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

function help(options: Record<string, OptionSpec>): string {
  const usage = (command: Command) => `checkup ${command.usage}`.trim();
  const width = Math.max(...commands.map((c) => usage(c).length)) + 2;
  const flag = ([name, spec]: [string, OptionSpec]) =>
    `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ' VALUE' : ''}`;
  const flags = Object.entries(options);
  const flagWidth = Math.max(...flags.map((f) => flag(f).length)) + 2;
  return [
    'checkup: health checks for your sites and services',
    '',
    'Usage:',
    ...commands.map((command) => `  ${usage(command).padEnd(width)}${command.summary}`),
    '',
    'Options:',
    ...flags.map((f) => `  ${flag(f).padEnd(flagWidth)}${f[1].description}`),
    '',
    'Exit status: 0 all healthy, 1 any endpoint degraded or down (or a failure), 2 a config or usage error.',
    '',
  ].join('\n');
}
