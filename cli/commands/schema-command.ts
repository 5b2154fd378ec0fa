import { configJsonSchema } from '../../core/config/config-json-schema.js';
import type { Command } from '../command.js';

/** `checkup schema`: prints the JSON Schema of checkup.json. */
export const schemaCommand: Command = {
  name: 'schema',
  usage: 'schema',
  summary: 'print the JSON Schema of checkup.json',
  async run() {
    process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    return 0;
  },
};
