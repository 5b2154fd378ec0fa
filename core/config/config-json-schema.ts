import * as z from 'zod';
import { checkerSchemas } from './checker-schemas.js';
import { maintenanceItemSchema } from './maintenance-schema.js';
import { notifierSchemas, unsupportedNotifierSchemas } from './notifier-schemas.js';
import { topLevelShape } from './parse-config.js';
import { statusPageSchema } from './status-page-schema.js';
import { storageSchemas, unsupportedStorageSchemas } from './storage-schemas.js';
import { subscribersSchema } from './subscribers-schema.js';

function oneOf(schemas: Record<string, z.ZodType>): z.ZodType {
  const list = Object.values(schemas);
  if (list.length === 0) return z.never();
  if (list.length === 1) return list[0] as z.ZodType;
  return z.union(list as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

/**
 * The JSON Schema of checkup.json, built from the same per-type schemas the validator uses, so
 * editors complete and check exactly what `checkup` accepts.
 */
export function configJsonSchema(): Record<string, unknown> {
  // checkup's types not implemented here are accepted (with a notice), so the schema lists them.
  const notifier = oneOf({ ...notifierSchemas, ...unsupportedNotifierSchemas });
  const schema = z
    .strictObject({
      ...topLevelShape(),
      checkers: z.array(oneOf(checkerSchemas)).meta({ description: 'The endpoints to check' }),
      storage: oneOf({ ...storageSchemas, ...unsupportedStorageSchemas })
        .optional()
        .meta({ description: 'Where runs are stored (default: fs in ./checks)' }),
      notifiers: z.array(notifier).optional(),
      notifier: notifier.optional().meta({ description: 'checkup’s older single notifier' }),
      status_page: statusPageSchema()
        .optional()
        .meta({ description: 'How the status page looks and refreshes' }),
      maintenance: z
        .array(maintenanceItemSchema())
        .optional()
        .meta({ description: 'Planned maintenance windows' }),
      canary: oneOf(checkerSchemas)
        .optional()
        .meta(topLevelShape().canary.meta() ?? {}),
      subscribers: subscribersSchema().optional(),
    })
    .meta({ title: 'checkup.json', description: 'Checkup configuration' });
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
