import { durationSchema } from './duration-schema.js';

/** The shortest checker `interval`: a tick's rounds must leave time to check and store. */
export const MIN_CHECK_INTERVAL_NS = 10e9;

/**
 * A checker's `interval`: how often it is checked inside each scheduled run, from 10 s up to the
 * schedule (absent: once per scheduled run). Whole seconds, so rounds line up across shards.
 */
export function checkIntervalSchema() {
  return durationSchema()
    .refine((ns) => ns >= MIN_CHECK_INTERVAL_NS, { message: 'must be at least 10s' })
    .refine((ns) => ns % 1e9 === 0, { message: 'must be whole seconds (e.g. "10s", "15s", "30s")' })
    .optional()
    .meta({
      description:
        'Check this often inside each scheduled run, from 10s up to the schedule (default: once per run)',
    });
}
