import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChecker } from '../../core/checkers/create-checker.js';
import { validateConfig } from '../../core/config/parse-config.js';
import { statusOf } from '../../core/result.js';
import { type RunningDnsServer, startDnsServer } from '../helpers/dns-server.js';

let server: RunningDnsServer;
let silent: RunningDnsServer;

beforeAll(async () => {
  server = await startDnsServer({
    zone: {
      'www.example.test': { A: ['192.0.2.10', '192.0.2.11'], AAAA: ['2001:db8::10'] },
      'alias.example.test': { CNAME: ['www.example.test'] },
      'example.test': {
        MX: ['10 mail.example.test', '20 backup.example.test'],
        TXT: ['v=spf1 -all', 'x'.repeat(300)],
        NS: ['ns1.example.test', 'ns2.example.test'],
      },
    },
    servfail: ['broken.example.test'],
    refused: ['elsewhere.test'],
  });
  silent = await startDnsServer({ silent: true });
});

afterAll(async () => {
  await server.close();
  await silent.close();
});

async function check(fields: Record<string, unknown>) {
  const config = validateConfig({
    checkers: [{ type: 'dns', endpoint_name: 'dns', endpoint_url: server.address, ...fields }],
  });
  return createChecker(config.checkers[0] as never, { allowExec: false }).check({ timestamp: 1 });
}

describe('dns checker', () => {
  it('reports healthy when the server answers the A query, timing each attempt', async () => {
    const before = server.queries;
    const result = await check({ hostname_fqdn: 'www.example.test.', attempts: 3 });
    expect(statusOf(result)).toBe('healthy');
    expect(result.endpoint).toBe(server.address);
    expect(result.times).toHaveLength(3);
    expect(result.times.every((t) => t.error === undefined && t.rtt > 0)).toBe(true);
    expect(server.queries - before).toBe(3);
  });

  it.each([
    { record_type: 'A', expect: ['192.0.2.11'] },
    { record_type: 'AAAA', expect: ['2001:0db8:0:0::10'] },
    { record_type: 'CNAME', expect: ['WWW.example.test.'], name: 'alias.example.test' },
    { record_type: 'MX', expect: ['10 mail.example.test', 'backup.example.test'] },
    { record_type: 'TXT', expect: ['v=spf1 -all', 'x'.repeat(300)] },
    { record_type: 'NS', expect: ['ns1.example.test', 'ns2.example.test.'] },
  ])('finds the expected $record_type answers', async ({ record_type, expect: wanted, name }) => {
    const result = await check({
      hostname_fqdn:
        name ?? (record_type === 'A' || record_type === 'AAAA' ? 'www.example.test' : 'example.test'),
      record_type,
      expect: wanted,
    });
    expect(result.times[0]?.error).toBeUndefined();
    expect(statusOf(result)).toBe('healthy');
  });

  it('reports down when an expected answer is missing, saying which and what came', async () => {
    const result = await check({ hostname_fqdn: 'www.example.test', expect: ['192.0.2.10', '192.0.2.99'] });
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toBe(
      'A www.example.test: answer lacks "192.0.2.99" (got 192.0.2.10, 192.0.2.11)',
    );
  });

  it('reports down on NXDOMAIN', async () => {
    const result = await check({ hostname_fqdn: 'missing.example.test' });
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toBe('missing.example.test: no such domain (NXDOMAIN)');
  });

  it('reports down when the name has no record of the type asked', async () => {
    const result = await check({ hostname_fqdn: 'alias.example.test', record_type: 'MX' });
    expect(result.times[0]?.error).toBe('alias.example.test: no MX records');
  });

  it('reports down on SERVFAIL', async () => {
    const result = await check({ hostname_fqdn: 'broken.example.test' });
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toBe('broken.example.test: server failure (SERVFAIL)');
  });

  it('reports down when the server refuses the query', async () => {
    const result = await check({ hostname_fqdn: 'elsewhere.test' });
    expect(result.times[0]?.error).toBe('elsewhere.test: query refused (REFUSED)');
  });

  it('reports down at the timeout when the server never answers', async () => {
    const result = await check({
      endpoint_url: silent.address,
      hostname_fqdn: 'www.example.test',
      timeout: '400ms',
    });
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toBe('no answer within 400ms');
    expect(silent.queries).toBeGreaterThan(0);
  });

  it('reports down when nothing listens on the server port', async () => {
    const closed = await startDnsServer();
    await closed.close();
    const result = await check({
      endpoint_url: closed.address,
      hostname_fqdn: 'www.example.test',
      timeout: '2s',
    });
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toBe('www.example.test: connection refused (nothing listens)');
  });

  it('reports degraded when the median query time is over threshold_rtt', async () => {
    const result = await check({ hostname_fqdn: 'www.example.test', threshold_rtt: 1 });
    expect(statusOf(result)).toBe('degraded');
  });

  it('uses the system resolver without endpoint_url and reports its failure as down, not a crash', async () => {
    const result = await check({
      endpoint_url: undefined,
      hostname_fqdn: 'checkup-test.invalid',
      timeout: '3s',
    });
    expect(result.endpoint).toBe('checkup-test.invalid');
    expect(statusOf(result)).toBe('down');
    expect(result.times[0]?.error).toMatch(/checkup-test\.invalid|no answer within 3s/);
  });

  it('rejects an unknown record type in the config, naming the key', () => {
    expect(() =>
      validateConfig({
        checkers: [{ type: 'dns', endpoint_name: 'd', hostname_fqdn: 'a.test', record_type: 'SRV' }],
      }),
    ).toThrow(/^checkers\[0\]\.record_type: /);
  });
});
