import { suggest } from '../../core/config/suggest.js';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';
import { checkCommand } from './check-command.js';
import { configCommand } from './config-command.js';
import { everyCommand } from './every-command.js';
import { createHelpCommand } from './help-command.js';
import { historyCommand } from './history-command.js';
import { incidentCommand } from './incident-command.js';
import { maintenanceCommand } from './maintenance-command.js';
import { messageCommand } from './message-command.js';
import { notifyTestCommand } from './notify-test-command.js';
import { provisionCommand } from './provision-command.js';
import { schemaCommand } from './schema-command.js';
import { serveCommand } from './serve-command.js';
import { summariesCommand } from './summaries-command.js';

/** Every `checkup` command, in the order --help lists them. Add new commands here. */
export const commands: readonly Command[] = [
  checkCommand,
  everyCommand,
  messageCommand,
  maintenanceCommand,
  incidentCommand,
  historyCommand,
  summariesCommand,
  notifyTestCommand,
  serveCommand,
  schemaCommand,
  configCommand,
  provisionCommand,
  createHelpCommand(() => commands, findCommand),
];

/** The command named `name` (the default check for none); a UsageError with a suggestion otherwise. */
export function findCommand(name: string): Command {
  const command = commands.find((candidate) => candidate.name === name);
  if (command) return command;
  const hint = suggest(name, commands.map((c) => c.name).filter(Boolean));
  throw new UsageError(`unknown command "${name}"${hint ? `; did you mean "${hint}"?` : ''}`);
}
