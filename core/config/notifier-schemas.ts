import type { z } from 'zod';

/**
 * The schema of each notifier type, by its `type` (checkup's old single `notifier` uses
 * `name`). Notifiers arrive with the alerts issue.
 */
export const notifierSchemas: Record<string, z.ZodType> = {};

export type NotifierConfig = { type: string } & Record<string, unknown>;
