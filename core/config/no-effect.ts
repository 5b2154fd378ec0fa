import * as z from 'zod';

/** Why a key checkup had is accepted here without effect, by the (optional) schema of the key. */
export const noEffectReasons = z.registry<{ reason: string }>();

/**
 * A key checkup's config had that does nothing here: accepted, so a checkup.json written for
 * checkup keeps working, and reported as a notice saying why.
 */
export function noEffect<T extends z.ZodType>(schema: T, reason: string) {
  const key = schema
    .optional()
    .meta({ description: `checkup's key; no effect here: ${reason}`, deprecated: true });
  noEffectReasons.add(key, { reason });
  return key;
}
