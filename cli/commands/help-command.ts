import type { Command } from '../command.js';
import { commandHelp, overviewHelp } from '../help-text.js';
import { SHARED_OPTIONS } from '../shared-options.js';

/**
 * `checkup help [command]`, as checkup had: the overview, or one command's usage and options.
 * Given the list and lookup by cli/commands/index.ts (which lists this command too), so the two
 * modules do not import each other.
 */
export function createHelpCommand(
  commands: () => readonly Command[],
  findCommand: (name: string) => Command,
): Command {
  return {
    name: 'help',
    usage: 'help [command]',
    summary: 'show what the commands do, or one command in full',
    async run({ args }) {
      const command = findCommand(args[0] ?? '');
      process.stdout.write(
        command.name ? commandHelp(command, SHARED_OPTIONS) : overviewHelp(commands(), SHARED_OPTIONS),
      );
      return 0;
    },
  };
}
