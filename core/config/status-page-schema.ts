import * as z from 'zod';
import { DEFAULT_BANNERS } from '../summary/page-settings.js';
import { durationSchema } from './duration-schema.js';
import { lazySchema } from './lazy-schema.js';

/** The `status_page` section of checkup.json: how the page looks and refreshes. */
export const statusPageSchema = lazySchema(() =>
  z.strictObject({
    title: z.string().min(1).max(200).optional().meta({ description: 'The page title (default "Status")' }),
    description: z
      .string()
      .max(2000)
      .optional()
      .meta({ description: 'A line under the title (plain text; links are shown as links)' }),
    banner_healthy: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: `Banner when all are healthy (default "${DEFAULT_BANNERS.healthy}")` }),
    banner_degraded: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: `Banner when any is degraded (default "${DEFAULT_BANNERS.degraded}")` }),
    banner_down: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .meta({ description: `Banner when any is down (default "${DEFAULT_BANNERS.down}")` }),
    refresh_interval: durationSchema()
      .optional()
      .meta({ description: 'How often the open page reloads its data (default 1m; 0 turns it off)' }),
    stale_after: durationSchema().optional().meta({
      description:
        'Warn that the data is stale when the newest run is older than this (default: 2 check intervals + 1m, or 15m)',
    }),
  }),
);

export type StatusPageConfig = z.output<ReturnType<typeof statusPageSchema>>;
