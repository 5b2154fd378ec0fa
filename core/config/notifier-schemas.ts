import * as z from 'zod';
import { durationSchema } from './duration-schema.js';
import { headersSchema, headerValueSchema } from './header-schemas.js';
import { lazySchema, lazySchemas } from './lazy-schema.js';

/** A secret value: the value itself, or `ssm:/path/to/param` read from SSM (SecureString) at run time. */
const secretUrl = (what: string) =>
  z
    .string()
    .refine((value) => value.startsWith('ssm:/') || /^https?:\/\/[^\s]+$/.test(value), {
      error: `not an http(s) URL or ssm:/path (${what})`,
    })
    .meta({ description: `${what}: an http(s) URL, or ssm:/path/to/param to read it from SSM at run time` });

/** Whether a refinement may look at the input: an object, whatever its keys' own problems. */
const isObjectInput = (payload: { value: unknown }) =>
  typeof payload.value === 'object' && payload.value !== null;

/** Keys every notifier shares: when to alert. */
const alertPolicyShape = lazySchema(() => ({
  id: z
    .string()
    .regex(/^[\w.:-]{1,64}$/, 'letters, digits, . : _ - (at most 64)')
    .optional()
    .meta({ description: 'Names this notifier’s alert state (default: its type, or type#n when repeated)' }),
  failure_threshold: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .meta({ description: 'Consecutive failing runs before an alert (default 1)' }),
  success_threshold: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .meta({ description: 'Consecutive good runs before a recovery notice (default 1)' }),
  renotify: durationSchema()
    .optional()
    .meta({ description: 'Remind at this interval while an endpoint stays down (default: never)' }),
  notify_degraded: z
    .boolean()
    .optional()
    .meta({ description: 'Alert when an endpoint becomes degraded (default true)' }),
  flap_changes: z.number().int().min(0).max(1000).optional().meta({
    description: 'More changes than this inside flap_window is one "flapping" alert (default 5; 0: off)',
  }),
  flap_window: durationSchema()
    .optional()
    .meta({ description: 'The window flap_changes is counted in (default 1h)' }),
  failure_rate: z
    .strictObject({
      failures: z.number().int().min(1).max(100),
      runs: z.number().int().min(1).max(100),
    })
    .refine((rate) => rate.failures <= rate.runs, {
      error: 'failures must be at most runs',
      path: ['failures'],
    })
    .optional()
    .meta({
      description:
        'Also alert when `failures` of the last `runs` runs failed, consecutive or not, e.g. {"failures": 3, "runs": 10} (default: off)',
    }),
  status_page_url: z
    .url({ protocol: /^https?$/, error: 'not an http(s) URL' })
    .optional()
    .meta({ description: 'A link to the status page, put in every alert' }),
}));

export const slackNotifierSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('slack'),
    webhook: secretUrl('the Slack incoming webhook URL'),
    channel: z.string().min(1).optional().meta({ description: 'Channel to post to (legacy webhooks only)' }),
    username: z.string().min(1).optional().meta({ description: 'Name to post as (legacy webhooks only)' }),
    ...alertPolicyShape(),
  }),
);

export const discordNotifierSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('discord'),
    webhook: secretUrl('the Discord webhook URL'),
    username: z.string().min(1).optional().meta({ description: 'Name to post as' }),
    ...alertPolicyShape(),
  }),
);

/** The alert kinds a webhook may choose among with `events` (`test` always goes). */
export const WEBHOOK_EVENTS = ['down', 'degraded', 'recovered', 'reminder', 'flapping', 'stable'] as const;

/** The keys of a webhook, shared by `notifiers` and `subscribers.webhooks`. */
export const webhookShape = lazySchema(() => ({
  url: secretUrl('where the JSON body is POSTed'),
  secret: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'HMAC-SHA256 key for the X-Checkup-Signature header (or ssm:/path)' }),
  headers: headersSchema(headerValueSchema()).optional().meta({ description: 'Extra request headers' }),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1)
    .optional()
    .meta({ description: `The alert kinds to send (${WEBHOOK_EVENTS.join(', ')}; default all)` }),
}));

export const webhookNotifierSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('webhook'),
    ...webhookShape(),
    ...alertPolicyShape(),
  }),
);

export const snsNotifierSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('sns'),
    topic_arn: z
      .string()
      .regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'not an SNS topic ARN')
      .meta({ description: 'The SNS topic to publish to (email, SMS fan-out)' }),
    region: z.string().min(1).optional().meta({ description: 'Region of the topic (default: from the ARN)' }),
    endpoint: z.url().optional().meta({ description: 'SNS endpoint override (tests, private endpoints)' }),
    ...alertPolicyShape(),
  }),
);

/** A secret that is not a URL (an API key, a token): the value, or `ssm:/path/to/param`. */
const secretValue = (what: string) =>
  z
    .string()
    .min(1)
    .refine((value) => !/\s/.test(value), { error: 'must not contain spaces or line breaks' })
    .meta({ description: `${what}, or ssm:/path/to/param to read it from SSM at run time` });

/** An API's base URL, for another region (EU) or a test server. */
const apiUrl = (usual: string) =>
  z
    .url({ protocol: /^https?$/, error: 'not an http(s) URL' })
    .optional()
    .meta({ description: `The API's base URL (default ${usual})` });

export const mailgunNotifierSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('mailgun'),
    apikey: secretValue('The Mailgun API key'),
    domain: z
      .string()
      .regex(/^[\w.-]+$/, 'not a domain name')
      .meta({ description: 'The Mailgun sending domain' }),
    from: z.string().min(1).meta({ description: 'The sender, e.g. "Checkup <checkup@mg.example.com>"' }),
    to: z.array(z.string().min(1)).min(1).meta({ description: 'The recipients' }),
    subject: z.string().optional().meta({ description: 'Put before each headline in the subject' }),
    api_url: apiUrl('https://api.mailgun.net; EU: https://api.eu.mailgun.net'),
    ...alertPolicyShape(),
  }),
);

export const mailNotifierSchema = lazySchema(() =>
  z
    .strictObject({
      type: z.literal('mail'),
      from: z.string().min(1).meta({ description: 'The sender, e.g. "Checkup <checkup@example.com>"' }),
      to: z.array(z.string().min(1)).min(1).meta({ description: 'The recipients (one mail to all of them)' }),
      subject: z.string().optional().meta({ description: 'Put before each headline in the subject' }),
      smtp: z
        .strictObject({
          server: z
            .string()
            .regex(/^[\w.:-]+$/, 'not a host name or address')
            .meta({ description: 'The SMTP server to send through' }),
          port: z
            .number()
            .int()
            .min(1)
            .max(65_535)
            .optional()
            .meta({ description: 'Default 25; 587 uses STARTTLS when offered, 465 implicit TLS' }),
          username: z.string().min(1).optional().meta({ description: 'Log in (AUTH) as this user' }),
          password: secretValue('The SMTP password').optional(),
          tls_skip_verify: z.boolean().optional().meta({
            description: "Accept any server certificate (a self-signed relay); not one of checkup's keys",
          }),
        })
        .optional()
        .meta({ description: 'How to reach the SMTP server (or ses)' }),
      ses: z
        .strictObject({
          region: z
            .string()
            .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'not an AWS region')
            .optional()
            .meta({
              description: "The region of the SES identity (default: the environment's, the function's own)",
            }),
          endpoint: z
            .url({ protocol: /^https?$/, error: 'not an http(s) URL' })
            .optional()
            .meta({ description: 'The SES API endpoint URL, for tests' }),
        })
        .optional()
        .meta({
          description:
            'Send through the Amazon SES API instead of SMTP (on AWS, where port 25 is blocked); from must be a verified identity',
        }),
      ...alertPolicyShape(),
    })
    // Checked even when other keys are wrong (`when`), so every missing key is named at once.
    .refine((value) => value.smtp !== undefined || value.ses !== undefined, {
      path: ['smtp'],
      message: 'required (or ses, to send through Amazon SES)',
      when: isObjectInput,
    })
    .refine((value) => value.smtp === undefined || value.ses === undefined, {
      path: ['ses'],
      message: 'choose one way to send: smtp or ses, not both',
      when: isObjectInput,
    }),
);

export const pushoverNotifierSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('pushover'),
    token: secretValue('The Pushover application token'),
    recipient: secretValue('The Pushover user or group key'),
    subject: z.string().optional().meta({ description: 'Put before each headline in the title' }),
    api_url: apiUrl('https://api.pushover.net'),
    ...alertPolicyShape(),
  }),
);

export const teamsNotifierSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('teams'),
    webhook: secretUrl('the Power Automate workflow URL ("When a Teams webhook request is received")'),
    ...alertPolicyShape(),
  }),
);

export const pagerdutyNotifierSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('pagerduty'),
    routing_key: secretValue('The Events API v2 integration (routing) key'),
    api_url: apiUrl('https://events.pagerduty.com; EU: https://events.eu.pagerduty.com'),
    ...alertPolicyShape(),
  }),
);

export const opsgenieNotifierSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('opsgenie'),
    api_key: secretValue('The Opsgenie API integration key (sent as GenieKey)'),
    api_url: apiUrl('https://api.opsgenie.com; EU: https://api.eu.opsgenie.com'),
    ...alertPolicyShape(),
  }),
);

export const telegramNotifierSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('telegram'),
    token: secretValue('The bot token from @BotFather'),
    chat_id: z
      .union([
        z.number().int(),
        z.string().regex(/^(-?\d+|@\w{4,})$/, 'not a chat id (-100123…) or @channel'),
      ])
      .meta({ description: 'The chat, group or channel to post to (a number, or @channelname)' }),
    api_url: apiUrl('https://api.telegram.org'),
    ...alertPolicyShape(),
  }),
);

export const ntfyNotifierSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('ntfy'),
    url: secretUrl('the topic URL, e.g. https://ntfy.sh/my-topic'),
    token: secretValue('An access token, sent as a Bearer token').optional(),
    ...alertPolicyShape(),
  }),
);

/**
 * The schema of each notifier type, by its `type` (checkup's old single `notifier` uses
 * `name`; parse-config renames it).
 */
export const notifierSchemas = lazySchemas({
  slack: slackNotifierSchema,
  discord: discordNotifierSchema,
  webhook: webhookNotifierSchema,
  sns: snsNotifierSchema,
  mailgun: mailgunNotifierSchema,
  pushover: pushoverNotifierSchema,
  teams: teamsNotifierSchema,
  pagerduty: pagerdutyNotifierSchema,
  opsgenie: opsgenieNotifierSchema,
  telegram: telegramNotifierSchema,
  ntfy: ntfyNotifierSchema,
  mail: mailNotifierSchema,
});

/**
 * Notifier types checkup had that are not implemented here yet, with checkup's keys. A config
 * naming one still checks and prints; a command that alerts refuses it. None left: `mail` was
 * the last; the mechanism stays for the next type checkup (or a fork) adds.
 */
export const unsupportedNotifierSchemas: Record<string, z.ZodType> = {};

export type SlackNotifierConfig = z.output<ReturnType<typeof slackNotifierSchema>>;
export type DiscordNotifierConfig = z.output<ReturnType<typeof discordNotifierSchema>>;
export type WebhookNotifierConfig = z.output<ReturnType<typeof webhookNotifierSchema>>;
export type SnsNotifierConfig = z.output<ReturnType<typeof snsNotifierSchema>>;
export type MailgunNotifierConfig = z.output<ReturnType<typeof mailgunNotifierSchema>>;
export type MailNotifierConfig = z.output<ReturnType<typeof mailNotifierSchema>>;
export type PushoverNotifierConfig = z.output<ReturnType<typeof pushoverNotifierSchema>>;
export type TeamsNotifierConfig = z.output<ReturnType<typeof teamsNotifierSchema>>;
export type PagerdutyNotifierConfig = z.output<ReturnType<typeof pagerdutyNotifierSchema>>;
export type OpsgenieNotifierConfig = z.output<ReturnType<typeof opsgenieNotifierSchema>>;
export type TelegramNotifierConfig = z.output<ReturnType<typeof telegramNotifierSchema>>;
export type NtfyNotifierConfig = z.output<ReturnType<typeof ntfyNotifierSchema>>;

/** A validated notifier config, any type. */
export type NotifierConfig = z.output<(typeof notifierSchemas)[keyof typeof notifierSchemas]>;
