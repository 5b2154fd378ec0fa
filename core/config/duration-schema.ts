import * as z from 'zod';
import { parseDuration } from '../duration.js';
import { lazySchema } from './lazy-schema.js';

/**
 * A duration as checkup wrote it (integer nanoseconds) or as a string (`"500ms"`, `"2s"`,
 * `"1m"`, `"14d"`). Parses to nanoseconds. Built on first use, as every schema (lazy-schema.ts).
 */
export const durationSchema = lazySchema(() =>
  z
    .union(
      [
        z.number().int().nonnegative().meta({ description: 'nanoseconds, as checkup wrote durations' }),
        z.string().meta({ description: 'a duration such as "500ms", "10s", "1m", "14d"', examples: ['10s'] }),
      ],
      { error: 'not a duration (use nanoseconds or a string like "500ms", "10s", "1m", "14d")' },
    )
    .transform((value, ctx) => {
      const ns = parseDuration(value);
      if (ns === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `not a duration: ${JSON.stringify(value)} (use nanoseconds or a string like "500ms", "10s", "1m", "14d")`,
        });
        return z.NEVER;
      }
      return ns;
    }),
);
