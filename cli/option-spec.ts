/** A command-line option, as node:util parseArgs takes it, with a line for --help. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's name in --help (`FILE`, `NAME`); default `VALUE`. */
  value?: string;
  description: string;
}
