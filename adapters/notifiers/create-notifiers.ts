import { alertPolicyOf, notifierIds } from '../../core/alerts/alert-policy.js';
import { DeliveryError, type Notifier } from '../../core/alerts/notifier.js';
import { ConfigError, type ConfigIssue } from '../../core/config/config-error.js';
import type { NotifierConfig } from '../../core/config/notifier-schemas.js';
import { createDiscordNotifier } from './discord-notifier.js';
import { createMailgunNotifier } from './mailgun-notifier.js';
import { createNtfyNotifier } from './ntfy-notifier.js';
import { createOpsgenieNotifier } from './opsgenie-notifier.js';
import { createPagerdutyNotifier } from './pagerduty-notifier.js';
import { createPushoverNotifier } from './pushover-notifier.js';
import { resolveSecrets, SecretError, type SecretReader } from './resolve-secrets.js';
import type { SesClientFactory } from './ses-mail-notifier.js';
import { createSlackNotifier } from './slack-notifier.js';
import type { SnsClientFactory } from './sns-notifier.js';
import { createTeamsNotifier } from './teams-notifier.js';
import { createTelegramNotifier } from './telegram-notifier.js';
import { createWebhookNotifier } from './webhook-notifier.js';

export interface CreateNotifiersOptions {
  /** Reads `ssm:/path` secrets; without it such a value is an error. */
  readSecret?: SecretReader;
  /** Builds the SNS client for a region/endpoint (tests, or a shared client in a Lambda). */
  snsClient?: SnsClientFactory;
  /** Builds the SES client of a mail notifier sending through SES (tests). */
  sesClient?: SesClientFactory;
}

/**
 * Builds the notifiers a validated config lists, reading `ssm:` secrets now. A notifier whose
 * secret cannot be read fails each of its deliveries, naming the parameter (never a value),
 * while the others deliver theirs: its alerts stay queued and go once the secret can be read.
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
      let config: NotifierConfig;
      try {
        config = await resolveSecrets(raw, options.readSecret, `notifiers[${index}]`);
      } catch (error) {
        if (!(error instanceof SecretError)) throw error;
        return unavailableNotifier(raw, id, error);
      }
      switch (config.type) {
        case 'slack':
          return createSlackNotifier(config, id);
        case 'discord':
          return createDiscordNotifier(config, id);
        case 'webhook':
          return createWebhookNotifier(config, id);
        case 'mailgun':
          return createMailgunNotifier(config, id);
        case 'pushover':
          return createPushoverNotifier(config, id);
        case 'teams':
          return createTeamsNotifier(config, id);
        case 'pagerduty':
          return createPagerdutyNotifier(config, id);
        case 'opsgenie':
          return createOpsgenieNotifier(config, id);
        case 'telegram':
          return createTelegramNotifier(config, id);
        case 'ntfy':
          return createNtfyNotifier(config, id);
        case 'mail': {
          if (config.ses) {
            // Loaded only when used, as the SNS client is: the AWS SDK takes a while to load.
            const { createSesMailNotifier } = await import('./ses-mail-notifier.js');
            return createSesMailNotifier({ ...config, ses: config.ses }, id, options.sesClient);
          }
          // Loaded only when used: few configs send mail, and nodemailer is large to load.
          const { createMailNotifier } = await import('./mail-notifier.js');
          return createMailNotifier({ ...config, smtp: config.smtp ?? { server: 'localhost' } }, id);
        }
        case 'sns': {
          // Loaded only when used: the AWS SDK takes a while to load, and most configs use none.
          const { createSnsNotifier } = await import('./sns-notifier.js');
          return createSnsNotifier(config, id, options.snsClient);
        }
      }
    }),
  );
}

/** A notifier that cannot be built: every send fails with why (not retried within this run). */
function unavailableNotifier(config: NotifierConfig, id: string, why: SecretError): Notifier {
  return {
    id,
    type: config.type,
    policy: alertPolicyOf(config),
    async send() {
      throw new DeliveryError(why.message, { retryable: false, cause: why });
    },
  };
}
