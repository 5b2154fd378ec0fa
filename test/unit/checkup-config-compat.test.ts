import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/config/config-error.js';
import { configJsonSchema } from '../../core/config/config-json-schema.js';
import { decodeConfigText } from '../../core/config/decode-config-text.js';
import { type ConfigUse, parseConfig, validateConfig } from '../../core/config/parse-config.js';
import { unsupportedStorageSchemas } from '../../core/config/storage-schemas.js';

function problems(config: unknown, use: ConfigUse = {}): string[] {
  try {
    validateConfig(config, use);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
}

const site = { type: 'http', endpoint_name: 'Site', endpoint_url: 'https://example.com' };
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

/** Every json key of checkup's config structs (check/, storage/, notifier/, checkup.go), with a value. */
const GO_CHECKERS = [
  {
    type: 'http',
    endpoint_name: 'H',
    endpoint_url: 'https://example.com',
    up_status: 200,
    threshold_rtt: 1e9,
    must_contain: 'ok',
    must_not_contain: 'error',
    attempts: 3,
    attempt_spacing: 1e8,
    headers: { 'X-Token': ['a'] },
  },
  {
    type: 'tcp',
    endpoint_name: 'T',
    endpoint_url: 'db.example.com:5432',
    tls: true,
    tls_skip_verify: false,
    tls_ca_file: 'ca.pem',
    timeout: 2e9,
    threshold_rtt: 1e9,
    attempts: 2,
  },
  {
    type: 'tls',
    endpoint_name: 'S',
    endpoint_url: 'example.com:443',
    timeout: 2e9,
    threshold_rtt: 1e9,
    attempts: 2,
    cert_expiry_threshold: 14 * 86_400e9,
    trusted_roots: ['root.pem'],
  },
  {
    type: 'dns',
    endpoint_name: 'D',
    endpoint_url: '1.1.1.1:53',
    hostname_fqdn: 'example.com',
    timeout: 2e9,
    threshold_rtt: 1e9,
    attempts: 2,
  },
  {
    type: 'exec',
    name: 'E',
    command: 'true',
    arguments: ['-x'],
    threshold_rtt: 1e9,
    must_contain: 'ok',
    must_not_contain: 'bad',
    raise: 'warn',
    attempts: 2,
    attempt_spacing: 1e8,
  },
];

const GO_STORAGES = [
  { type: 'fs', dir: 'checks', url: 'http://127.0.0.1:2015/checks', check_expiry: 86_400e9 },
  {
    type: 's3',
    access_key_id: 'AKIA',
    secret_access_key: 'secret',
    region: 'us-east-1',
    bucket: 'b',
    check_expiry: 86_400e9,
  },
  {
    type: 'github',
    access_token: 't',
    repository_owner: 'o',
    repository_name: 'r',
    committer_name: 'n',
    committer_email: 'e@example.com',
    branch: 'gh-pages',
    dir: 'updates',
    check_expiry: 86_400e9,
    commit_message_suffix: '[skip ci]',
  },
  // checkup's older sql type took one of the two (it refused a config with both).
  { type: 'sql', sqlite_db_file: 'checkup.db', check_expiry: 86_400e9 },
  {
    type: 'sql',
    postgresql: { host: 'h', port: 5432, user: 'u', password: 'p', dbname: 'd', sslmode: 'disable' },
    check_expiry: 86_400e9,
  },
  { type: 'sqlite3', dsn: 'checkup.db', create: true, check_expiry: 86_400e9 },
  { type: 'postgres', dsn: 'postgres://u@h/d', create: true, check_expiry: 86_400e9 },
  { type: 'mysql', dsn: 'u:p@/d', create: false, check_expiry: 86_400e9 },
  {
    type: 'appinsights',
    instrumentation_key: '00000000-0000-4000-8000-000000000000',
    test_location: 'eu',
    tags: { team: 'ops' },
    max_retries: 3,
    retry_interval: 5,
    timeout: 2,
  },
];

const GO_NOTIFIERS = [
  { type: 'slack', username: 'u', channel: '#c', webhook: 'https://hooks.slack.com/services/x' },
  { type: 'discord', webhook: 'https://discord.com/api/webhooks/x' },
  {
    type: 'mail',
    from: 'a@example.com',
    to: ['b@example.com'],
    subject: 's',
    smtp: { server: 'smtp.example.com', port: 587, username: 'u', password: 'p' },
  },
  { type: 'mailgun', from: 'a@example.com', to: ['b@example.com'], subject: 's', apikey: 'k', domain: 'd' },
  { type: 'pushover', token: 't', recipient: 'r', subject: 's' },
];

const LENIENT: ConfigUse = { checks: true, stores: false, alerts: false };

describe("checkup's own keys", () => {
  it.each(GO_CHECKERS)('accepts every key checkup has for a $type checker', (checker) => {
    expect(problems({ checkers: [checker] }, LENIENT)).toEqual([]);
  });

  it.each(GO_STORAGES)('accepts every key checkup has for $type storage', (storage) => {
    expect(problems({ checkers: [site], storage }, LENIENT)).toEqual([]);
  });

  it.each(GO_NOTIFIERS)('accepts every key checkup has for the $type notifier', (notifier) => {
    expect(problems({ checkers: [site], notifiers: [notifier] }, LENIENT)).toEqual([]);
    expect(problems({ checkers: [site], notifier }, LENIENT)).toEqual([]);
  });

  it('accepts every top-level key checkup has', () => {
    const config = validateConfig({
      checkers: [site],
      concurrent_checks: 5,
      timestamp: '2026-01-02T03:04:05Z',
      storage: GO_STORAGES[0],
      notifiers: [GO_NOTIFIERS[0]],
      notifier: GO_NOTIFIERS[1],
    });
    expect(config.notifiers.map((notifier) => notifier.type)).toEqual(['slack', 'discord']);
  });

  it('keeps the misspelt-key errors, with suggestions, for keys checkup never had', () => {
    expect(problems({ checkers: [site], storage: { type: 'github', acess_token: 't' } }, LENIENT)).toContain(
      'storage.acess_token: unknown key; did you mean "access_token"?',
    );
    expect(problems({ checkers: [site], storage: { type: 'fs', dir: 'c', urll: 'x' } })).toEqual([
      'storage.urll: unknown key; did you mean "url"?',
    ]);
  });

  it("gives a notice saying why fs storage's url has no effect here", () => {
    const config = validateConfig({ checkers: [site], storage: GO_STORAGES[0] });
    expect(config.notices).toEqual([
      { path: 'storage.url', message: expect.stringMatching(/^no effect here: .*checkup serve/) },
    ]);
  });

  it('builds every storage type checkup had: none is merely accepted and refused when storing', () => {
    expect(Object.keys(unsupportedStorageSchemas)).toEqual([]);
    for (const storage of GO_STORAGES) {
      const messages = problems({ checkers: [site], storage }, { checks: true, alerts: false });
      expect(messages.join('\n')).not.toContain('not supported');
    }
  });

  it("alerts through checkup's mail, mailgun and pushover notifiers, with checkup's keys", () => {
    const notifiers = [GO_NOTIFIERS[2], GO_NOTIFIERS[3], GO_NOTIFIERS[4]];
    const config = validateConfig({ checkers: [site], notifiers });
    expect(config.notifiers).toEqual(notifiers);
    expect(config.warnings).toEqual([]);
  });

  it('publishes the keys and types checkup had in the JSON Schema', () => {
    const text = JSON.stringify(configJsonSchema());
    for (const word of ['"github"', '"commit_message_suffix"', '"sqlite_db_file"', '"pushover"', '"apikey"'])
      expect(text).toContain(word);
  });
});

describe('a notifier problem in a run that sends nothing', () => {
  const walkthrough = fixture('checkup-walkthrough.json');

  it('is a warning naming the key when the run sends no alerts', () => {
    const config = parseConfig(walkthrough, LENIENT);
    expect(config.checkers).toHaveLength(2);
    expect(config.storage).toEqual({
      type: 'fs',
      dir: './check_files',
      url: 'http://127.0.0.1:2015/check_files',
    });
    expect(config.notices.map((notice) => notice.path)).toEqual(['storage.url']);
    expect(config.warnings).toEqual([
      { path: 'notifier.webhook', message: expect.stringMatching(/^not an http\(s\) URL.*sends no alerts/) },
    ]);
  });

  it('is an error naming the key when the run alerts', () => {
    expect(() => parseConfig(walkthrough, { checks: true })).toThrow(
      /^notifier\.webhook: not an http\(s\) URL/,
    );
  });
});

describe('timestamps', () => {
  it("reads checkup's zero time as not set (the run's own time is used)", () => {
    const config = parseConfig(fixture('checkup-testdata-config.json'), { checks: true });
    expect(config.timestamp).toBeUndefined();
    expect(config.checkers).toHaveLength(3);
    expect(config.storage).toMatchObject({ type: 's3', bucket: 'test', check_expiry: 604_800e9 });
  });

  it.each([
    [-5, 'timestamp: -5 is not a time: give unix nanoseconds from 1970 to 2262'],
    [1e300, 'timestamp: 1e+300 is not a time'],
    [1.5, 'timestamp: 1.5 is not a time'],
    ['1960-01-01T00:00:00Z', 'timestamp: "1960-01-01T00:00:00Z" is not after 1970'],
    ['2300-01-01T00:00:00Z', 'timestamp: "2300-01-01T00:00:00Z" is after 2262'],
  ])('refuses %j up front, before any check runs', (timestamp, expected) => {
    const lines = problems({ checkers: [site], timestamp });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('problems said in our words, all at once', () => {
  it('names the place and the expected type of a quoted number', () => {
    expect(problems({ checkers: [{ ...site, attempts: '3' }] })).toEqual([
      'checkers[0].attempts: expected a number, got the string "3" (write it without quotes)',
    ]);
  });

  it('reports a misspelt top-level key and a bad checker type together', () => {
    expect(problems({ checkerz: [], checkers: [{ ...site, type: 'htp' }] })).toEqual([
      'checkerz: unknown key; did you mean "checkers"?',
      'checkers[0].type: unknown type "htp" (http, tcp, tls, dns, exec, heartbeat); did you mean "http"?',
    ]);
  });

  it('says there is nothing to check when the caller checks and the list is empty', () => {
    expect(problems({ checkers: [] }, { checks: true })).toEqual([
      'checkers: nothing to check: the list is empty (add a checker)',
    ]);
    expect(problems({ checkers: [] })).toEqual([]);
  });

  it.each([
    [
      { type: 'tcp', endpoint_name: 'T', endpoint_url: 'db:99999' },
      'checkers[0].endpoint_url: port 99999 is out of range',
    ],
    [
      { type: 'dns', endpoint_name: 'D', hostname_fqdn: 'a.example', endpoint_url: 'ns:0' },
      'checkers[0].endpoint_url: port 0 is out of range',
    ],
    [
      { ...site, headers: { 'X-A': 'a\r\nInjected: 1' } },
      'checkers[0].headers.X-A: a header value cannot contain a line break',
    ],
    [
      { ...site, headers: { 'X-A': ['ok', 'b\nc'] } },
      'checkers[0].headers.X-A[1]: a header value cannot contain a line break',
    ],
    [{ ...site, headers: { 'Bad Name': 'v' } }, 'checkers[0].headers.Bad Name: not a header name'],
  ])('refuses %j up front with its place', (checker, expected) => {
    const lines = problems({ checkers: [checker] });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.startsWith(expected)).toBe(true);
  });

  it("checks a webhook notifier's headers the same way", () => {
    expect(
      problems({
        checkers: [site],
        notifiers: [{ type: 'webhook', url: 'https://h.example', headers: { 'A:B': 'x' } }],
      }),
    ).toEqual([expect.stringMatching(/^notifiers\[0\]\.headers\.A:B: not a header name/)]);
  });
});

describe('file text', () => {
  it('accepts a UTF-8 byte order mark', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(JSON.stringify({ checkers: [site] })),
    ]);
    expect(parseConfig(decodeConfigText(bytes)).checkers).toHaveLength(1);
  });

  it.each([
    [
      'with a byte order mark',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"checkers":[]}', 'utf16le')]),
    ],
    ['without one', Buffer.from('{"checkers":[]}', 'utf16le')],
  ])('names UTF-16 text (%s) as such', (_, bytes) => {
    expect(() => decodeConfigText(bytes)).toThrow('the file is UTF-16 text; save it as UTF-8');
  });

  it('refuses deep nesting with a message, not a stack overflow', () => {
    expect(() => parseConfig(`{"checkers":${'['.repeat(200_000)}`)).toThrow(
      /^nested more than 64 levels deep at line 1, column 76/,
    );
    expect(() => parseConfig(`{"checkers":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`)).toThrow(
      /nested more/,
    );
  });
});
