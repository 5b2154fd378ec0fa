import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNotifiers } from '../../../adapters/notifiers/create-notifiers.js';
import type { Alert } from '../../../core/alerts/alert.js';
import { deliverAlerts } from '../../../core/alerts/deliver-alerts.js';
import { DeliveryError, type Notifier } from '../../../core/alerts/notifier.js';
import { testAlert } from '../../../core/alerts/test-alert.js';
import { validateConfig } from '../../../core/config/parse-config.js';
import {
  type RecordedRequest,
  type RecordingServer,
  startRecordingServer,
} from '../../helpers/recording-server.js';
import { SAMPLE_AT, shopDownAlert, shopRecoveredAlert } from '../../helpers/sample-alerts.js';

const AT = SAMPLE_AT;
const STATUS_PAGE = 'https://status.example/';
const KEY = 'checkup-shop-e0deefef4ba8b382';

function downAlert(notifierId: string): Alert {
  return shopDownAlert({
    id: `${notifierId}|Shop|${AT}|down`,
    notifierId,
    error: 'HTTP 503: <b>Service & "Unavailable"</b> *now*',
  });
}

function recoveredAlert(notifierId: string): Alert {
  return shopRecoveredAlert({ id: `${notifierId}|Shop|${AT + 754e9}|recovered`, notifierId });
}

const DOWN_LINES = [
  'Status: down',
  'Endpoint: https://shop.example/health',
  'Error: HTTP 503: <b>Service & "Unavailable"</b> *now*',
  'RTT: 123.5ms',
  'Failing since: 2026-01-02T03:03:05.000Z',
  'Checked at: 2026-01-02T03:04:05.000Z',
];
const RECOVERED_LINES = [
  'Status: healthy',
  'Endpoint: https://shop.example/health',
  'RTT: 45ms',
  'Checked at: 2026-01-02T03:16:39.000Z',
];
const TEST_LINES = ['Status: healthy', 'Checked at: 2026-01-02T03:04:05.000Z'];
const details = (lines: string[]) =>
  Object.fromEntries(
    lines.map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
  );

/** What a test checks of a request: everything the receiver reads. */
interface Expected {
  path: string;
  headers: Record<string, string>;
  json?: unknown;
  form?: Array<[string, string]>;
  text?: string;
}

interface Case {
  type: string;
  config: (url: string) => Record<string, unknown>;
  /** The secrets of the config, which no error may show. */
  secrets: string[];
  down: Expected;
  recovered: Expected;
  test: Expected;
}

const teamsFact = (label: string, value: string) => ({
  type: 'RichTextBlock',
  spacing: 'Small',
  inlines: [
    { type: 'TextRun', text: `${label}: `, weight: 'Bolder' },
    { type: 'TextRun', text: value, ...(label === 'Error' ? { fontType: 'Monospace' } : {}) },
  ],
});
const teamsCard = (headline: string, color: string, lines: string[]) => ({
  type: 'message',
  summary: headline.slice(3),
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        msteams: { width: 'Full' },
        body: [
          {
            type: 'RichTextBlock',
            inlines: [{ type: 'TextRun', text: headline, size: 'Large', weight: 'Bolder', color }],
          },
          ...Object.entries(details(lines)).map(([label, value]) => teamsFact(label, value)),
        ],
        actions: [{ type: 'Action.OpenUrl', title: 'Status page', url: STATUS_PAGE }],
      },
    },
  ],
});

const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };
const mailgunHeaders = {
  ...FORM_TYPE,
  authorization: `Basic ${Buffer.from('api:key-123').toString('base64')}`,
};
const mailgunStart: Array<[string, string]> = [
  ['from', 'Checkup <checkup@mg.example.com>'],
  ['to', 'ops@example.com'],
  ['to', 'dev@example.com'],
];
const row = (line: string) => {
  const [label, value] = Object.entries(details([line]))[0] as [string, string];
  const html = value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
  return `<tr><th align="left">${label}</th><td>${html}</td></tr>`;
};
const telegram = (text: string) => ({
  chat_id: -1001234,
  text,
  parse_mode: 'HTML',
  link_preview_options: { is_disabled: true },
});
const ntfyHeaders = (title: string, priority: string, tags: string) => ({
  'content-type': 'text/plain; charset=utf-8',
  title,
  priority,
  tags,
  click: STATUS_PAGE,
  authorization: 'Bearer tk_abc',
});
const opsgenieCreate = (
  message: string,
  alias: string,
  lines: string[],
  priority: string,
  entity: string,
  kind: string,
) => ({
  message,
  alias,
  description: lines.join('\n'),
  priority,
  entity,
  source: 'checkup',
  tags: ['checkup', kind],
  details: details(lines),
});
const pagerdutyTrigger = (dedupKey: string, payload: Record<string, unknown>) => ({
  routing_key: 'R0UTINGKEY',
  dedup_key: dedupKey,
  event_action: 'trigger',
  payload,
  client: 'checkup',
  client_url: STATUS_PAGE,
});

const CASES: Case[] = [
  {
    type: 'mailgun',
    config: (url) => ({
      type: 'mailgun',
      apikey: 'key-123',
      domain: 'mg.example.com',
      from: 'Checkup <checkup@mg.example.com>',
      to: ['ops@example.com', 'dev@example.com'],
      subject: '[checkup]',
      api_url: url,
    }),
    secrets: ['key-123'],
    down: {
      path: '/v3/mg.example.com/messages',
      headers: mailgunHeaders,
      form: [
        ...mailgunStart,
        ['subject', '[checkup] Shop is down'],
        ['text', ['Shop is down', '', ...DOWN_LINES].join('\n')],
        ['html', `<h2>Shop is down</h2><table>${DOWN_LINES.map(row).join('')}</table>`],
      ],
    },
    recovered: {
      path: '/v3/mg.example.com/messages',
      headers: mailgunHeaders,
      form: [
        ...mailgunStart,
        ['subject', '[checkup] Shop recovered after 12m34s down'],
        ['text', ['Shop recovered after 12m34s down', '', ...RECOVERED_LINES].join('\n')],
        [
          'html',
          `<h2>Shop recovered after 12m34s down</h2><table>${RECOVERED_LINES.map(row).join('')}</table>`,
        ],
      ],
    },
    test: {
      path: '/v3/mg.example.com/messages',
      headers: mailgunHeaders,
      form: [
        ...mailgunStart,
        ['subject', '[checkup] Test alert from checkup: notifier "mailgun" works'],
        ['text', ['Test alert from checkup: notifier "mailgun" works', '', ...TEST_LINES].join('\n')],
        [
          'html',
          `<h2>Test alert from checkup: notifier &quot;mailgun&quot; works</h2><table>${TEST_LINES.map(row).join('')}</table>`,
        ],
      ],
    },
  },
  {
    type: 'pushover',
    config: (url) => ({ type: 'pushover', token: 'app-token', recipient: 'user-key', api_url: url }),
    secrets: ['app-token', 'user-key'],
    down: {
      path: '/1/messages.json',
      headers: FORM_TYPE,
      form: [
        ['token', 'app-token'],
        ['user', 'user-key'],
        ['title', '🔴 Shop is down'],
        ['message', DOWN_LINES.join('\n')],
        ['timestamp', '1767323045'],
      ],
    },
    recovered: {
      path: '/1/messages.json',
      headers: FORM_TYPE,
      form: [
        ['token', 'app-token'],
        ['user', 'user-key'],
        ['title', '🟢 Shop recovered after 12m34s down'],
        ['message', RECOVERED_LINES.join('\n')],
        ['timestamp', '1767323799'],
      ],
    },
    test: {
      path: '/1/messages.json',
      headers: FORM_TYPE,
      form: [
        ['token', 'app-token'],
        ['user', 'user-key'],
        ['title', '🧪 Test alert from checkup: notifier "pushover" works'],
        ['message', TEST_LINES.join('\n')],
        ['timestamp', '1767323045'],
      ],
    },
  },
  {
    type: 'teams',
    config: (url) => ({
      type: 'teams',
      webhook: `${url}/workflows/abc/triggers/manual/paths/invoke?sig=sig-0123456789abcdef`,
      status_page_url: STATUS_PAGE,
    }),
    secrets: ['sig-0123456789abcdef'],
    down: {
      path: '/workflows/abc/triggers/manual/paths/invoke?sig=sig-0123456789abcdef',
      headers: JSON_TYPE,
      json: teamsCard('🔴 Shop is down', 'Attention', DOWN_LINES),
    },
    recovered: {
      path: '/workflows/abc/triggers/manual/paths/invoke?sig=sig-0123456789abcdef',
      headers: JSON_TYPE,
      json: teamsCard('🟢 Shop recovered after 12m34s down', 'Good', RECOVERED_LINES),
    },
    test: {
      path: '/workflows/abc/triggers/manual/paths/invoke?sig=sig-0123456789abcdef',
      headers: JSON_TYPE,
      json: teamsCard('🧪 Test alert from checkup: notifier "teams" works', 'Accent', TEST_LINES),
    },
  },
  {
    type: 'pagerduty',
    config: (url) => ({
      type: 'pagerduty',
      routing_key: 'R0UTINGKEY',
      api_url: url,
      status_page_url: STATUS_PAGE,
    }),
    secrets: ['R0UTINGKEY'],
    down: {
      path: '/v2/enqueue',
      headers: JSON_TYPE,
      json: pagerdutyTrigger(KEY, {
        summary: 'Shop is down',
        source: 'https://shop.example/health',
        severity: 'critical',
        timestamp: '2026-01-02T03:04:05.000Z',
        component: 'Shop',
        class: 'down',
        custom_details: details(DOWN_LINES),
      }),
    },
    recovered: {
      path: '/v2/enqueue',
      headers: JSON_TYPE,
      json: { routing_key: 'R0UTINGKEY', dedup_key: KEY, event_action: 'resolve' },
    },
    test: {
      path: '/v2/enqueue',
      headers: JSON_TYPE,
      json: pagerdutyTrigger('checkup-test-pagerduty', {
        summary: 'Test alert from checkup: notifier "pagerduty" works',
        source: 'checkup',
        severity: 'info',
        timestamp: '2026-01-02T03:04:05.000Z',
        component: 'checkup',
        class: 'test',
        custom_details: details(TEST_LINES),
      }),
    },
  },
  {
    type: 'opsgenie',
    config: (url) => ({ type: 'opsgenie', api_key: 'genie-key', api_url: url }),
    secrets: ['genie-key'],
    down: {
      path: '/v2/alerts',
      headers: { ...JSON_TYPE, authorization: 'GenieKey genie-key' },
      json: opsgenieCreate('Shop is down', KEY, DOWN_LINES, 'P1', 'Shop', 'down'),
    },
    recovered: {
      path: `/v2/alerts/${KEY}/close?identifierType=alias`,
      headers: { ...JSON_TYPE, authorization: 'GenieKey genie-key' },
      json: { source: 'checkup', note: 'Shop recovered after 12m34s down' },
    },
    test: {
      path: '/v2/alerts',
      headers: { ...JSON_TYPE, authorization: 'GenieKey genie-key' },
      json: opsgenieCreate(
        'Test alert from checkup: notifier "opsgenie" works',
        'checkup-test-opsgenie',
        TEST_LINES,
        'P5',
        'checkup',
        'test',
      ),
    },
  },
  {
    type: 'telegram',
    config: (url) => ({
      type: 'telegram',
      token: '123:ABC',
      chat_id: -1001234,
      api_url: url,
      status_page_url: STATUS_PAGE,
    }),
    secrets: ['123:ABC'],
    down: {
      path: '/bot123:ABC/sendMessage',
      headers: JSON_TYPE,
      json: telegram(
        [
          '🔴 <b>Shop is down</b>',
          '',
          '<b>Status:</b> down',
          '<b>Endpoint:</b> https://shop.example/health',
          '<b>Error:</b> <code>HTTP 503: &lt;b&gt;Service &amp; &quot;Unavailable&quot;&lt;/b&gt; *now*</code>',
          '<b>RTT:</b> 123.5ms',
          '<b>Failing since:</b> 2026-01-02T03:03:05.000Z',
          '<b>Checked at:</b> 2026-01-02T03:04:05.000Z',
          '',
          `<a href="${STATUS_PAGE}">Status page</a>`,
        ].join('\n'),
      ),
    },
    recovered: {
      path: '/bot123:ABC/sendMessage',
      headers: JSON_TYPE,
      json: telegram(
        [
          '🟢 <b>Shop recovered after 12m34s down</b>',
          '',
          '<b>Status:</b> healthy',
          '<b>Endpoint:</b> https://shop.example/health',
          '<b>RTT:</b> 45ms',
          '<b>Checked at:</b> 2026-01-02T03:16:39.000Z',
          '',
          `<a href="${STATUS_PAGE}">Status page</a>`,
        ].join('\n'),
      ),
    },
    test: {
      path: '/bot123:ABC/sendMessage',
      headers: JSON_TYPE,
      json: telegram(
        [
          '🧪 <b>Test alert from checkup: notifier &quot;telegram&quot; works</b>',
          '',
          '<b>Status:</b> healthy',
          '<b>Checked at:</b> 2026-01-02T03:04:05.000Z',
          '',
          `<a href="${STATUS_PAGE}">Status page</a>`,
        ].join('\n'),
      ),
    },
  },
  {
    type: 'ntfy',
    config: (url) => ({
      type: 'ntfy',
      url: `${url}/checkup-alerts`,
      token: 'tk_abc',
      status_page_url: STATUS_PAGE,
    }),
    secrets: ['tk_abc'],
    down: {
      path: '/checkup-alerts',
      headers: ntfyHeaders('Shop is down', '5', 'red_circle'),
      text: DOWN_LINES.join('\n'),
    },
    recovered: {
      path: '/checkup-alerts',
      headers: ntfyHeaders('Shop recovered after 12m34s down', '3', 'green_circle'),
      text: RECOVERED_LINES.join('\n'),
    },
    test: {
      path: '/checkup-alerts',
      headers: ntfyHeaders('Test alert from checkup: notifier "ntfy" works', '2', 'test_tube'),
      text: TEST_LINES.join('\n'),
    },
  },
];

/** The request as the receiver reads it: the headers a test expects, and the body. */
function seen(request: RecordedRequest, expected: Expected): Expected {
  return {
    path: request.path,
    headers: Object.fromEntries(
      Object.keys(expected.headers).map((name) => [name, String(request.headers[name])]),
    ),
    ...(expected.json !== undefined ? { json: request.json } : {}),
    ...(expected.form !== undefined ? { form: request.form } : {}),
    ...(expected.text !== undefined ? { text: request.body } : {}),
  };
}

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

async function build(testCase: Case): Promise<Notifier> {
  const config = validateConfig({ checkers: [], notifiers: [testCase.config(server.url)] });
  const [notifier] = await createNotifiers(config.notifiers);
  return notifier as Notifier;
}

describe.each(CASES)('the $type notifier', (testCase) => {
  it('POSTs exactly what the API expects for a down alert, a recovery and a test message', async () => {
    const notifier = await build(testCase);
    expect(notifier.type).toBe(testCase.type);
    const outcomes = await deliverAlerts(
      [downAlert(notifier.id), recoveredAlert(notifier.id), testAlert(notifier.id, AT)],
      [notifier],
    );
    expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, true]);
    expect(server.requests.map((request) => request.method)).toEqual(['POST', 'POST', 'POST']);
    const [down, recovered, test] = server.requests as [RecordedRequest, RecordedRequest, RecordedRequest];
    expect(seen(down, testCase.down)).toEqual(testCase.down);
    expect(seen(recovered, testCase.recovered)).toEqual(testCase.recovered);
    expect(seen(test, testCase.test)).toEqual(testCase.test);
  });

  it('retries after a 429 with Retry-After, sending the same request again', async () => {
    const notifier = await build(testCase);
    server.answer({ status: 429, retryAfter: '0', body: 'slow down' });
    const [outcome] = await deliverAlerts([downAlert(notifier.id)], [notifier]);
    expect(outcome).toMatchObject({ ok: true, tries: 2 });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.body).toBe(server.requests[0]?.body);
  });

  it('says a 429 may be retried after its Retry-After, a 503 may be retried, a 400 may not', async () => {
    const notifier = await build(testCase);
    const failure = async () => {
      try {
        await notifier.send(downAlert(notifier.id), AbortSignal.timeout(5000));
      } catch (error) {
        return error as DeliveryError;
      }
      throw new Error('sent');
    };
    server.answer(
      { status: 429, retryAfter: '7' },
      { status: 503 },
      { status: 400, body: `bad ${testCase.secrets.join(' ')}` },
    );
    expect(await failure()).toMatchObject({ retryable: true, retryAfterMs: 7000 });
    expect(await failure()).toMatchObject({ retryable: true, retryAfterMs: undefined });
    const final = await failure();
    expect(final).toBeInstanceOf(DeliveryError);
    expect(final.retryable).toBe(false);
    // A receiver quoting a key back in its error never gets it into a log.
    expect(final.message).toBe(`HTTP 400: bad ${testCase.secrets.map(() => '***').join(' ')}`);
  });
});

describe('the telegram notifier', () => {
  it('waits as long as a 429 body says when there is no Retry-After', async () => {
    const notifier = await build(CASES.find((testCase) => testCase.type === 'telegram') as Case);
    server.answer({
      status: 429,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 9","parameters":{"retry_after":9}}',
    });
    await expect(notifier.send(downAlert(notifier.id), AbortSignal.timeout(5000))).rejects.toMatchObject({
      retryable: true,
      retryAfterMs: 9000,
    });
  });
});

describe('the ntfy notifier', () => {
  it('sends a title that is not ASCII as an RFC 2047 word', async () => {
    const notifier = await build(CASES.find((testCase) => testCase.type === 'ntfy') as Case);
    await notifier.send({ ...downAlert(notifier.id), title: 'Café' }, AbortSignal.timeout(5000));
    const title = String(server.requests[0]?.headers.title);
    expect(title).toBe(`=?UTF-8?B?${Buffer.from('Café is down').toString('base64')}?=`);
  });
});
