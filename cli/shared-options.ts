import type { OptionSpec } from './option-spec.js';

/** The options every command takes. */
export const SHARED_OPTIONS: Record<string, OptionSpec> = {
  config: {
    type: 'string',
    short: 'c',
    value: 'FILE',
    description: 'the config file (default: checkup.json)',
  },
  v: { type: 'boolean', description: 'say more (what was stored, and where)' },
  help: { type: 'boolean', short: 'h', description: 'show help (with a command: its help)' },
  version: { type: 'boolean', description: 'show the version' },
};
