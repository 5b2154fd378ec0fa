import { describe, expect, it } from 'vitest';
import { discordMessage } from '../../../adapters/notifiers/discord-notifier.js';
import { slackMessage } from '../../../adapters/notifiers/slack-notifier.js';
import { snsMessage } from '../../../adapters/notifiers/sns-notifier.js';
import { webhookBody } from '../../../adapters/notifiers/webhook-notifier.js';
import type { Alert } from '../../../core/alerts/alert.js';
import { describeAlert } from '../../../core/alerts/describe-alert.js';
import { minute } from '../../helpers/results.js';

const down: Alert = {
  id: 'slack|Shop|1|down',
  notifierId: 'slack',
  kind: 'down',
  title: 'Shop',
  endpoint: 'https://shop.example/health',
  status: 'down',
  previous: 'healthy',
  timestamp: minute(3),
  failingSince: minute(1),
  error: 'response status 503 <b>Service & Unavailable</b>',
  rtt: 123_456_789,
  region: 'eu-west-1',
};

describe('describeAlert', () => {
  it.each([
    { alert: down, headline: 'Shop is down' },
    { alert: { ...down, kind: 'degraded', status: 'degraded' }, headline: 'Shop is degraded' },
    {
      alert: { ...down, kind: 'recovered', status: 'healthy', failedFor: 754e9 },
      headline: 'Shop recovered after 12m34s down',
    },
    { alert: { ...down, kind: 'reminder' }, headline: 'Shop is still down, for 2m0s' },
    {
      alert: { ...down, kind: 'flapping', changes: 6, windowNs: 3600e9 },
      headline: 'Shop is flapping: 6 changes in 1h0m0s; alerts pause until it is stable for as long',
    },
    {
      alert: { ...down, kind: 'stable', status: 'healthy' },
      headline: 'Shop stopped flapping and is healthy',
    },
  ] as Array<{ alert: Alert; headline: string }>)('says "$headline"', ({ alert, headline }) => {
    expect(describeAlert(alert).headline).toBe(headline);
  });
});

describe('slackMessage', () => {
  const message = slackMessage(down, {
    channel: '#ops',
    username: 'checkup',
    status_page_url: 'https://status.example/',
  });
  const json = JSON.stringify(message);

  it('is a Block Kit message with a plain-text fallback, channel and username', () => {
    expect(message).toMatchObject({ text: '🔴 Shop is down', channel: '#ops', username: 'checkup' });
    expect((message.blocks as Array<{ type: string }>).map((block) => block.type)).toEqual([
      'section',
      'section',
      'section',
      'context',
    ]);
  });

  it('shows the status, endpoint, error, RTT, region and a status page link', () => {
    for (const text of [
      '*Status*\\ndown',
      '*Endpoint*\\nhttps://shop.example/health',
      '*RTT*\\n123.5ms',
      '*Region*\\neu-west-1',
      '*Error*',
      '<https://status.example/|Status page>',
    ])
      expect(json).toContain(text);
  });

  it('escapes the result text so it cannot link, ping or format', () => {
    expect(json).toContain('response status 503 &lt;b&gt;Service &amp; Unavailable&lt;/b&gt;');
    expect(json).not.toContain('<b>');
  });
});

describe('discordMessage', () => {
  it('puts the facts in one embed and never lets the text mention anyone', () => {
    const message = discordMessage(
      { ...down, error: '@everyone look' },
      { status_page_url: 'https://status.example/' },
    );
    expect(message).toMatchObject({
      content: '🔴 Shop is down',
      allowed_mentions: { parse: [] },
      embeds: [{ title: 'Shop is down', url: 'https://status.example/', color: 0xd93025 }],
    });
    const fields = (message.embeds as Array<{ fields: Array<{ name: string; value: string }> }>)[0]?.fields;
    expect(fields).toContainEqual(expect.objectContaining({ name: 'Error', value: '@everyone look' }));
  });
});

describe('snsMessage', () => {
  it('gives an ASCII subject under 100 characters and the facts as text', () => {
    const message = snsMessage(
      { ...down, title: `Shöp ${'x'.repeat(200)}` },
      { status_page_url: 'https://s.example/' },
    );
    expect(message.Subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(message.Message).toContain('Endpoint: https://shop.example/health');
    expect(message.Message).toContain('Status page: https://s.example/');
  });
});

describe('webhookBody', () => {
  it('carries the whole alert, a type and a headline', () => {
    expect(webhookBody(down, {})).toEqual({ type: 'checkup.down', text: 'Shop is down', alert: down });
  });
});
