import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/config/config-error.js';
import { DEFAULT_CONCURRENT_CHECKS, parseConfig } from '../../core/config/parse-config.js';

function problems(text: string): string[] {
  try {
    parseConfig(text);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the config to be rejected');
}

const http = (extra: Record<string, unknown> = {}) => ({
  type: 'http',
  endpoint_name: 'Site',
  endpoint_url: 'https://example.com',
  ...extra,
});

describe('parseConfig', () => {
  it("reads checkup's own config unchanged, durations in nanoseconds", () => {
    const config = parseConfig(
      JSON.stringify({
        checkers: [
          http({ threshold_rtt: 400000000, attempts: 5, attempt_spacing: 100000000, up_status: 200 }),
          { type: 'tcp', endpoint_name: 'DB', endpoint_url: 'db.example.com:5432', timeout: 2000000000 },
        ],
        storage: { provider: 'fs', dir: '/var/checkup', check_expiry: 1209600000000000 },
        concurrent_checks: 10,
        timestamp: '2026-01-02T03:04:05Z',
      }),
    );
    expect(config.checkers[0]).toMatchObject({ threshold_rtt: 400e6, attempts: 5, attempt_spacing: 100e6 });
    expect(config.checkers[1]).toMatchObject({ type: 'tcp', timeout: 2e9 });
    expect(config.storage).toEqual({ type: 'fs', dir: '/var/checkup', check_expiry: 14 * 86_400e9 });
    expect(config.concurrent_checks).toBe(10);
    expect(config.timestamp).toBe(Date.parse('2026-01-02T03:04:05Z') * 1e6);
  });

  it('accepts durations as strings', () => {
    const config = parseConfig(
      JSON.stringify({ checkers: [http({ timeout: '500ms', threshold_rtt: '2s' })] }),
    );
    expect(config.checkers[0]).toMatchObject({ timeout: 500e6, threshold_rtt: 2e9 });
  });

  it('defaults concurrent_checks and leaves storage unset', () => {
    const config = parseConfig(JSON.stringify({ checkers: [http()] }));
    expect(config.concurrent_checks).toBe(DEFAULT_CONCURRENT_CHECKS);
    expect(config.storage).toBeUndefined();
  });

  it.each([
    [{ checkers: [http(), http({ endpoint_url: undefined })] }, 'checkers[1].endpoint_url: required'],
    [
      { checkers: [http({ type: 'htp' })] },
      'checkers[0].type: unknown type "htp" (http, tcp, tls, dns, exec, heartbeat); did you mean "http"?',
    ],
    [{ checkers: [http({ endpoint_url: 'not a url' })] }, 'checkers[0].endpoint_url: not an http(s) URL'],
    [
      { checkers: [http({ endpont_url: 'x' })] },
      'checkers[0].endpont_url: unknown key; did you mean "endpoint_url"?',
    ],
    [{ checkers: [http({ timeout: '10 parsecs' })] }, 'checkers[0].timeout: not a duration'],
    [{ checkers: [http({ attempts: 0 })] }, 'checkers[0].attempts: must be at least 1, got 0'],
    [{ checkers: [], storge: {} }, 'storge: unknown key; did you mean "storage"?'],
    [{ checkers: [], storage: { type: 'fs' } }, 'storage.dir: required'],
    [
      { checkers: [], storage: { type: 'gitlab' } },
      'storage.type: unknown type "gitlab" (fs, s3, dynamodb, github, appinsights, sqlite3, postgres, mysql, sql)',
    ],
    [
      { checkers: [{ type: 'tcp', endpoint_name: 'x', endpoint_url: 'nohost' }] },
      'checkers[0].endpoint_url: not host:port',
    ],
    [{ checkers: [http(), http()] }, 'checkers[1].endpoint_name: "Site" is already used by checkers[0]'],
    [{ checkers: [], timestamp: 'yesterday' }, 'timestamp: not a date'],
    [{ checkers: 'all of them' }, 'checkers: expected a list ([...]), got the string "all of them"'],
  ])('rejects %j with a message that names the place', (config, expected) => {
    expect(problems(JSON.stringify(config)).some((line) => line.startsWith(expected))).toBe(true);
  });

  it('reports every problem at once, not only the first', () => {
    const lines = problems(
      JSON.stringify({
        checkers: [http({ endpoint_url: 'nope' }), http({ type: 'x', endpoint_name: 'Other' })],
      }),
    );
    expect(lines).toHaveLength(2);
  });

  it('points at the line and column of broken JSON', () => {
    const [line] = problems('{\n  "checkers": [\n    {"type": "http",}\n  ]\n}');
    expect(line).toBe(`not valid JSON at line 3, column 21: expected a double-quoted string`);
  });

  it('maps the old single notifier and its name to notifiers with a type', () => {
    const lines = problems(JSON.stringify({ checkers: [], notifier: { name: 'carrier-pigeon' } }));
    expect(lines[0]).toMatch(/^notifier\.type: unknown type "carrier-pigeon"/);
  });
});

describe('broken JSON', () => {
  it.each([
    ['{"checkers": [,]}', 'line 1, column 15: expected a value'],
    ['{\n"checkers": []', 'line 2, column 15: unexpected end, expected "," or "}"'],
    ['{"checkers" []}', 'line 1, column 13: expected ":" after a key'],
    ['{"checkers": []} extra', 'line 1, column 18: unexpected text after the end'],
    ['{"a": "unterminated}', 'line 1, column 21: unterminated string'],
    ["{'checkers': []}", 'line 1, column 2: expected a double-quoted string'],
  ])('places the error in %j', (text, expected) => {
    expect(problems(text)).toEqual([`not valid JSON at ${expected}`]);
  });
});
