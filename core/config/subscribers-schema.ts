import * as z from 'zod';
import { lazySchema } from './lazy-schema.js';
import { type WebhookNotifierConfig, webhookShape } from './notifier-schemas.js';

/** People and services outside the team who asked to hear of status changes. */
export const subscribersSchema = lazySchema(() =>
  z
    .strictObject({
      webhooks: z
        .array(z.strictObject(webhookShape()))
        .optional()
        .meta({ description: 'Receivers of every status change as JSON (as the webhook notifier sends it)' }),
    })
    .meta({ description: 'Subscribers to status changes, beside the team’s own notifiers' }),
);

export type SubscribersConfig = z.output<ReturnType<typeof subscribersSchema>>;

/**
 * Each subscriber's webhook as a notifier, so it is sent, retried and deduplicated as the
 * notifiers are. Its id (`subscriber#1`, ...) cannot collide with a notifier's: a configured id
 * cannot hold `#`, and no notifier type is called `subscriber`.
 */
export function subscriberNotifiers(subscribers: SubscribersConfig | undefined): WebhookNotifierConfig[] {
  return (subscribers?.webhooks ?? []).map((webhook, index) => ({
    type: 'webhook',
    id: `subscriber#${index + 1}`,
    ...webhook,
  }));
}
