import { notifierIds } from '../../core/alerts/alert-policy.js';
import type { Notifier } from '../../core/alerts/notifier.js';
import { ConfigError, type ConfigIssue } from '../../core/config/config-error.js';
import type { NotifierConfig } from '../../core/config/notifier-schemas.js';
import { createDiscordNotifier } from './discord-notifier.js';
import { resolveSecrets, type SecretReader } from './resolve-secrets.js';
import { createSlackNotifier } from './slack-notifier.js';
import type { SnsClientFactory } from './sns-notifier.js';
import { createWebhookNotifier } from './webhook-notifier.js';

export interface CreateNotifiersOptions {
  /** Reads `ssm:/path` secrets; without it such a value is an error. */
  readSecret?: SecretReader;
  /** Builds the SNS client for a region/endpoint (tests, or a shared client in a Lambda). */
  snsClient?: SnsClientFactory;
}

/**
 * Builds the notifiers a validated config lists, reading `ssm:` secrets now (so a missing
 * parameter fails the run at once, naming the parameter, never a value).
 */
export async function createNotifiers(
  configs: readonly NotifierConfig[],
  options: CreateNotifiersOptions = {},
): Promise<Notifier[]> {
  const ids = notifierIds(configs);
  const issues: ConfigIssue[] = [];
  ids.forEach((id, index) => {
    const first = ids.indexOf(id);
    if (first !== index)
      issues.push({
        path: `notifiers[${index}].id`,
        message: `"${id}" is already used by notifiers[${first}]`,
      });
  });
  // Two notifiers under one id would share (and corrupt) one alert state.
  if (issues.length > 0) throw new ConfigError(issues);
  return Promise.all(
    configs.map(async (raw, index) => {
      const id = ids[index] as string;
      const config = await resolveSecrets(raw, options.readSecret, `notifiers[${index}]`);
      switch (config.type) {
        case 'slack':
          return createSlackNotifier(config, id);
        case 'discord':
          return createDiscordNotifier(config, id);
        case 'webhook':
          return createWebhookNotifier(config, id);
        case 'sns': {
          // Loaded only when used: the AWS SDK takes a while to load, and most configs use none.
          const { createSnsNotifier } = await import('./sns-notifier.js');
          return createSnsNotifier(config, id, options.snsClient);
        }
      }
    }),
  );
}
