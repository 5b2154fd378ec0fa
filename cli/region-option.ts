import type { OptionSpec } from './option-spec.js';
import { UsageError } from './usage-error.js';

/** `--region NAME` of the commands that check: act as one region of several storing into one place. */
export const REGION_OPTION: Record<string, OptionSpec> = {
  region: {
    type: 'string',
    value: 'NAME',
    description: 'check as this region: store beside other regions, alert on their vote',
  },
};

const REGION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The `--region` given, checked (letters, digits, `.`, `_`, `-`; at most 64), or undefined. */
export function regionOption(options: Record<string, string | boolean | undefined>): string | undefined {
  const value = options.region;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !REGION_NAME.test(value))
    throw new UsageError(
      `--region: not a region name: ${JSON.stringify(value)} (letters, digits, ".", "_" and "-", at most 64)`,
    );
  return value;
}
