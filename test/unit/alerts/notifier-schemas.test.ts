import { describe, expect, it } from 'vitest';
import { createNotifiers } from '../../../adapters/notifiers/create-notifiers.js';
import { ConfigError } from '../../../core/config/config-error.js';
import { validateConfig } from '../../../core/config/parse-config.js';

function problems(notifier: unknown): string[] {
  try {
    validateConfig({ checkers: [], notifiers: [notifier] });
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
}

describe('notifier config', () => {
  it.each([
    { notifier: { type: 'slack', webhook: 'https://hooks.slack.com/services/T/B/x' }, expected: [] },
    { notifier: { type: 'slack', webhook: 'ssm:/checkup/slack' }, expected: [] },
    {
      notifier: { type: 'slack', webhook: 'hooks.slack.com' },
      expected: ['notifiers[0].webhook: not an http(s) URL or ssm:/path (the Slack incoming webhook URL)'],
    },
    { notifier: { type: 'discord' }, expected: ['notifiers[0].webhook: required'] },
    {
      notifier: { type: 'webhook', url: 'https://h.example', failure_threshold: 0 },
      expected: ['notifiers[0].failure_threshold: must be at least 1, got 0'],
    },
    {
      notifier: { type: 'webhook', url: 'https://h.example', renotify: 'soon' },
      expected: [
        'notifiers[0].renotify: not a duration: "soon" (use nanoseconds or a string like "500ms", "10s", "1m", "14d")',
      ],
    },
    {
      notifier: { type: 'sns', topic_arn: 'arn:aws:s3:::bucket' },
      expected: ['notifiers[0].topic_arn: not an SNS topic ARN'],
    },
    {
      notifier: { type: 'pagerdutty' },
      expected: [
        'notifiers[0].type: unknown type "pagerdutty" (slack, discord, webhook, sns, mailgun, pushover, teams, pagerduty, opsgenie, telegram, ntfy, mail); did you mean "pagerduty"?',
      ],
    },
    { notifier: { type: 'pagerduty' }, expected: ['notifiers[0].routing_key: required'] },
    { notifier: { type: 'pagerduty', routing_key: 'ssm:/checkup/pagerduty' }, expected: [] },
    {
      notifier: { type: 'opsgenie', api_key: 'a b', api_url: 'api.eu.opsgenie.com' },
      expected: [
        'notifiers[0].api_key: must not contain spaces or line breaks',
        'notifiers[0].api_url: not an http(s) URL',
      ],
    },
    {
      notifier: { type: 'telegram', token: '1:A', chat_id: 'ops' },
      expected: ['notifiers[0].chat_id: not a chat id (-100123…) or @channel'],
    },
    { notifier: { type: 'telegram', token: '1:A', chat_id: '@ops_alerts' }, expected: [] },
    {
      notifier: {
        type: 'mail',
        from: 'a@example.com',
        to: ['b@example.com'],
        smtp: { server: 'smtp.example.com', port: 587, username: 'u', password: 'ssm:/checkup/smtp' },
      },
      expected: [],
    },
    {
      notifier: {
        type: 'mail',
        from: 'a@example.com',
        to: [],
        smtp: { server: 'smtp example', port: 70_000, password: 'two words', hostname: 'x' },
      },
      expected: [
        'notifiers[0].to: must list at least one',
        'notifiers[0].smtp.server: not a host name or address',
        'notifiers[0].smtp.port: must be at most 65535, got 70000',
        'notifiers[0].smtp.password: must not contain spaces or line breaks',
        'notifiers[0].smtp.hostname: unknown key',
      ],
    },
    {
      notifier: { type: 'mailgun', apikey: 'k', domain: 'mg.example.com', from: 'a@example.com', to: [] },
      expected: ['notifiers[0].to: must list at least one'],
    },
    {
      notifier: { type: 'ntfy', url: 'ntfy.sh/alerts' },
      expected: [
        'notifiers[0].url: not an http(s) URL or ssm:/path (the topic URL, e.g. https://ntfy.sh/my-topic)',
      ],
    },
    { notifier: { type: 'teams', webhook: 'ssm:/checkup/teams' }, expected: [] },
    { notifier: { type: 'pushover', token: 't', recipient: 'u', subject: 'Checkup:' }, expected: [] },
    {
      notifier: { type: 'slack', webhook: 'https://h.example', notify_degrade: false },
      expected: ['notifiers[0].notify_degrade: unknown key; did you mean "notify_degraded"?'],
    },
  ])('accepts or rejects $notifier with its place', ({ notifier, expected }) => {
    expect(problems(notifier)).toEqual(expected);
  });

  it('refuses an sns topic the deployment was not granted, naming the place and the fix', () => {
    const granted = 'arn:aws:sns:eu-west-1:123456789012:oncall';
    const other = 'arn:aws:sns:eu-west-1:123456789012:other';
    const config = {
      checkers: [],
      notifier: { name: 'sns', topic_arn: granted },
      notifiers: [
        { type: 'webhook', url: 'https://h.example' },
        { type: 'sns', topic_arn: other },
      ],
    };
    expect(() => validateConfig(config, {}, { grantedTopics: [granted, other] })).not.toThrow();
    // Without limits (the CLI, a stack from before them) nothing is checked.
    expect(() => validateConfig(config)).not.toThrow();
    let error: ConfigError | undefined;
    try {
      validateConfig(config, {}, { grantedTopics: [] });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error?.issues).toEqual([
      {
        path: 'notifiers[1].topic_arn',
        message: `${other} is not a topic the deployment may publish to (its alertTopicArns: none); deploy with -c alertTopicArns=${other}`,
      },
      {
        path: 'notifier.topic_arn',
        message: `${granted} is not a topic the deployment may publish to (its alertTopicArns: none); deploy with -c alertTopicArns=${granted}`,
      },
    ]);
  });

  it('reads durations for renotify and flap_window into nanoseconds', () => {
    const config = validateConfig({
      checkers: [],
      notifiers: [{ type: 'webhook', url: 'https://h.example', renotify: '30m', flap_window: 7200e9 }],
    });
    expect(config.notifiers[0]).toMatchObject({ renotify: 1800e9, flap_window: 7200e9 });
  });
});

describe('createNotifiers ids', () => {
  it('refuses two notifiers under one id, naming the second', async () => {
    const config = validateConfig({
      checkers: [],
      notifiers: [
        { type: 'slack', webhook: 'https://h.example/a' },
        { type: 'webhook', url: 'https://h.example/b', id: 'slack' },
      ],
    });
    await expect(createNotifiers(config.notifiers)).rejects.toThrow(
      'notifiers[1].id: "slack" is already used by notifiers[0]',
    );
  });
});
