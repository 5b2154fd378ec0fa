import type { Config, ConfigUse } from '../core/config/parse-config.js';
import type { OptionSpec } from './option-spec.js';

/** Values of the options every command shares, plus the command's own. */
export interface CommandInput {
  /** Positional arguments after the command's name. */
  args: string[];
  /** Parsed options (`--about`, `--json`, ...), by their long name. */
  options: Record<string, string | boolean | undefined>;
  /** `-c/--config`, default `checkup.json`. */
  configFile: string;
  /** Reads and validates the config file for what the command does with it (loadConfigFile). */
  loadConfig(use?: ConfigUse): Promise<Config>;
  /** `--v`. */
  verbose: boolean;
}

/** One `checkup` subcommand. Register it in cli/commands/index.ts. */
export interface Command {
  /** The word after `checkup` (empty for the default check). */
  readonly name: string;
  /** One line of usage for --help, e.g. `every <interval>`. */
  readonly usage: string;
  /** What it does, in one short phrase (the overview wraps it to 80 columns). */
  readonly summary: string;
  /** More for `checkup help <command>`: plain text, one paragraph a line. */
  readonly details?: string;
  /** The command's own options, merged with the shared ones. */
  readonly options?: Record<string, OptionSpec>;
  /** Runs the command; resolves to the exit status. Throw UsageError or ConfigError for exit 2. */
  run(input: CommandInput): Promise<number>;
}
