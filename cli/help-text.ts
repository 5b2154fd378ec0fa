import type { Command } from './command.js';
import type { OptionSpec } from './option-spec.js';

/** Every help screen fits a classic 80-column terminal. */
export const HELP_WIDTH = 80;

/** `checkup --help` and `checkup help`: every command in one line each, and the shared options. */
export function overviewHelp(commands: readonly Command[], shared: Record<string, OptionSpec>): string {
  const main = commands.find((command) => command.name === '');
  return [
    'checkup: health checks for your sites and services',
    '',
    'Usage: checkup [command] [options]',
    '',
    'Commands:',
    ...columns(commands.map((command) => [command.name || '(none)', command.summary])),
    '',
    'Options:',
    ...optionLines({ ...shared, ...main?.options }),
    '',
    'Run "checkup help <command>" for what a command does and its options.',
    'Exit status: 0 all healthy, 1 any endpoint not healthy (or a failure),',
    '2 a config or usage error.',
    '',
  ].join('\n');
}

/** `checkup help <command>` and `checkup <command> --help`: its usage, what it does, its options. */
export function commandHelp(command: Command, shared: Record<string, OptionSpec>): string {
  return [
    ...wrap(`Usage: checkup ${command.usage}`.trimEnd(), HELP_WIDTH, '         '),
    '',
    ...wrap(sentence(command.summary), HELP_WIDTH),
    ...(command.details
      ? ['', ...command.details.split('\n').flatMap((line) => wrap(line, HELP_WIDTH))]
      : []),
    '',
    'Options:',
    ...optionLines({ ...command.options, ...shared }),
    '',
  ].join('\n');
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  return columns(
    Object.entries(options).map(([name, spec]) => [
      `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`,
      spec.description,
    ]),
  );
}

/** Two columns, the second wrapped to the width and its continuation lines indented under it. */
function columns(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const left = Math.max(...rows.map(([term]) => term.length)) + 4;
  return rows.flatMap(([term, text]) => {
    const [first = '', ...rest] = wrap(text, HELP_WIDTH - left);
    return [`  ${term.padEnd(left - 2)}${first}`, ...rest.map((line) => `${' '.repeat(left)}${line}`)];
  });
}

/** Words filled into lines of at most `width` characters (a longer word stands alone). */
function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}
