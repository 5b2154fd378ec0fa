/** A command-line option, as node:util parseArgs takes it, with a line for --help. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  description: string;
}
