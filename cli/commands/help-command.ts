import type { Command } from '../command.js';
import { commandHelp, overviewHelp } from '../help-text.js';
import { SHARED_OPTIONS } from '../shared-options.js';
// A cycle (index lists this command), harmless: both are read only when a command runs.
import { commands, findCommand } from './index.js';

/** `checkup help [command]`, as checkup had: the overview, or one command's usage and options. */
export const helpCommand: Command = {
  name: 'help',
  usage: 'help [command]',
  summary: 'show what the commands do, or one command in full',
  async run({ args }) {
    const command = findCommand(args[0] ?? '');
    process.stdout.write(
      command.name ? commandHelp(command, SHARED_OPTIONS) : overviewHelp(commands, SHARED_OPTIONS),
    );
    return 0;
  },
};
