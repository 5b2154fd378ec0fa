import { suggest } from '../core/config/suggest.js';
import type { OptionSpec } from './option-spec.js';
import { UsageError } from './usage-error.js';

/**
 * node:util parseArgs's error about `argv`, said in this command's words: which argument, and
 * what to write instead (its own messages suggest `-- "-5"`, which no checkup command wants).
 */
export function describeArgsError(
  error: Error & { code?: string },
  argv: readonly string[],
  options: Record<string, OptionSpec>,
): UsageError {
  const args = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length);
  const names = Object.keys(options);
  const byShort = new Map(Object.entries(options).map(([name, spec]) => [spec.short, name]));
  const known = (arg: string) => {
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0] : byShort.get(arg.slice(1, 2));
    return name !== undefined && names.includes(name) ? name : undefined;
  };
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const arg = args.find((candidate) => candidate.startsWith('-') && candidate !== '-' && !known(candidate));
    if (arg !== undefined) {
      if (/^-\d/.test(arg)) {
        const where = args.includes('every') ? 'every: ' : '';
        return new UsageError(
          `${where}"${arg}" is negative; an interval is a positive duration such as 30s or 1m`,
          {
            cause: error,
          },
        );
      }
      // A single letter is too short to guess from.
      const hint = arg.startsWith('--') ? suggest(arg.slice(2).split('=')[0] as string, names) : undefined;
      return new UsageError(`unknown option ${arg}${hint ? `; did you mean --${hint}?` : ''}`, {
        cause: error,
      });
    }
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const at = args.findLastIndex((candidate) => known(candidate));
    const arg = args[at] as string;
    const name = at >= 0 ? known(arg) : undefined;
    if (name && options[name]?.type === 'boolean')
      return new UsageError(`--${name} takes no value (got "${arg}")`, { cause: error });
    const next = args[at + 1];
    if (name && next !== undefined && /^-\d/.test(next))
      return new UsageError(
        `--${name}: "${next}" is negative; an interval is a positive duration such as 30s or 1m`,
        {
          cause: error,
        },
      );
    if (name)
      return new UsageError(`--${name} needs a value: --${name} ${options[name]?.value ?? 'VALUE'}`, {
        cause: error,
      });
  }
  return new UsageError(error.message, { cause: error });
}
