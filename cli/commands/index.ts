import type { Command } from '../command.js';
import { checkCommand } from './check-command.js';
import { configCommand } from './config-command.js';
import { everyCommand } from './every-command.js';
import { historyCommand } from './history-command.js';
import { messageCommand } from './message-command.js';
import { notifyTestCommand } from './notify-test-command.js';
import { schemaCommand } from './schema-command.js';
import { serveCommand } from './serve-command.js';
import { summariesCommand } from './summaries-command.js';

/** Every `checkup` command, in the order --help lists them. Add new commands here. */
export const commands: readonly Command[] = [
  checkCommand,
  everyCommand,
  messageCommand,
  historyCommand,
  summariesCommand,
  notifyTestCommand,
  serveCommand,
  schemaCommand,
  configCommand,
];
