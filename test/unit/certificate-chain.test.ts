import { describe, expect, it } from 'vitest';
import { type ChainCertificate, judgeCertificateChain } from '../../core/checkers/certificate-chain.js';

const NOW = Date.UTC(2026, 0, 10, 12, 0);
const DAY = 86_400_000;
const DAY_NS = 86_400e9;

function cert(subject: string, fromDays: number, toDays: number): ChainCertificate {
  return { subject, issuer: 'CN=Root', notBefore: NOW + fromDays * DAY, notAfter: NOW + toDays * DAY };
}

describe('judgeCertificateChain', () => {
  it.each([
    {
      name: 'a valid chain',
      chain: [cert('CN=leaf', -1, 90), cert('CN=ca', -1, 900)],
      status: 'ok',
      notice: undefined,
    },
    {
      name: 'an expired leaf',
      chain: [cert('CN=leaf', -30, -2), cert('CN=ca', -1, 900)],
      status: 'error',
      notice: 'certificate "CN=leaf" expired 2 days ago (2026-01-08 12:00 UTC)',
    },
    {
      name: 'a leaf expiring in 3 days',
      chain: [cert('CN=leaf', -30, 3)],
      status: 'degraded',
      notice: 'certificate "CN=leaf" expires in 3 days (2026-01-13 12:00 UTC)',
    },
    {
      name: 'an intermediate expiring before the leaf',
      chain: [cert('CN=leaf', -1, 60), cert('CN=mid', -1, 5), cert('CN=root', -1, 900)],
      status: 'degraded',
      notice: 'certificate "CN=mid" expires in 5 days (2026-01-15 12:00 UTC)',
    },
    {
      name: 'a leaf expiring in 5 hours',
      chain: [cert('CN=leaf', -1, 5 / 24)],
      status: 'degraded',
      notice: 'certificate "CN=leaf" expires in 5 hours (2026-01-10 17:00 UTC)',
    },
    {
      name: 'a certificate not valid yet',
      chain: [cert('CN=leaf', 2, 90)],
      status: 'error',
      notice: 'certificate "CN=leaf" is not valid until 2026-01-12 12:00 UTC',
    },
  ])('judges $name', ({ chain, status, notice }) => {
    const verdict = judgeCertificateChain(chain, 14 * DAY_NS, NOW);
    expect(verdict.notice).toBe(notice);
    expect(verdict.error !== undefined ? 'error' : (verdict.atLeast ?? 'ok')).toBe(status);
  });

  it('records the certificate that expires first', () => {
    const verdict = judgeCertificateChain([cert('CN=leaf', -1, 60), cert('CN=mid', -1, 30)], DAY_NS, NOW);
    expect(verdict.cert).toEqual({ expires: (NOW + 30 * DAY) * 1e6, issuer: 'CN=Root', subject: 'CN=mid' });
    expect(verdict.atLeast).toBeUndefined();
  });

  it('reports an empty chain as an error', () => {
    expect(judgeCertificateChain([], DAY_NS, NOW).error).toBe('no certificate presented');
  });
});
