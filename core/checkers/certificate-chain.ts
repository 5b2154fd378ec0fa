import type { DetailedPeerCertificate, PeerCertificate } from 'node:tls';
import type { Result, Status } from '../result.js';
import type { Observation } from './build-result.js';

/** One certificate of the chain a server presented, with the dates that matter for a verdict. */
export interface ChainCertificate {
  subject: string;
  issuer: string;
  /** Unix milliseconds. */
  notBefore: number;
  /** Unix milliseconds. */
  notAfter: number;
}

/** Default `cert_expiry_threshold`: 14 days, as checkup. */
export const DEFAULT_CERT_EXPIRY_THRESHOLD_NS = 14 * 86_400e9;

/**
 * The chain as node saw it, leaf first, following `issuerCertificate` until the self-signed
 * end (node links a root to itself) or a certificate the server did not send.
 */
export function certificateChain(peer: DetailedPeerCertificate | PeerCertificate): ChainCertificate[] {
  const chain: ChainCertificate[] = [];
  const seen = new Set<unknown>();
  let current: PeerCertificate | undefined = peer;
  while (current && Object.keys(current).length > 0 && !seen.has(current)) {
    seen.add(current);
    chain.push({
      subject: formatName(current.subject),
      issuer: formatName(current.issuer),
      notBefore: Date.parse(current.valid_from),
      notAfter: Date.parse(current.valid_to),
    });
    current = (current as Partial<DetailedPeerCertificate>).issuerCertificate;
  }
  return chain;
}

/** What a chain's dates say about an endpoint. */
export interface CertificateVerdict {
  /** Set when a certificate has expired or is not valid yet: the attempt failed. */
  error?: string;
  /** `degraded` when a certificate expires within the threshold. */
  atLeast?: Status;
  notice?: string;
  /** The certificate that expires first (the leaf, unless an intermediate or root expires sooner). */
  cert?: NonNullable<Result['cert']>;
}

/**
 * Judges a chain's validity dates at `nowMs`: any certificate expired (or not yet valid) is an
 * error; the first to expire within `thresholdNs` makes the endpoint degraded. Pure.
 */
export function judgeCertificateChain(
  chain: readonly ChainCertificate[],
  thresholdNs: number,
  nowMs: number,
): CertificateVerdict {
  const first = [...chain].sort((a, b) => a.notAfter - b.notAfter)[0];
  if (!first) return { error: 'no certificate presented' };
  const cert = { expires: first.notAfter * 1e6, issuer: first.issuer, subject: first.subject };
  const notYet = chain.find((c) => c.notBefore > nowMs);
  if (first.notAfter <= nowMs) {
    const text = `certificate ${JSON.stringify(first.subject)} expired ${span(nowMs - first.notAfter)} ago (${formatDate(first.notAfter)})`;
    return { error: text, notice: text, cert };
  }
  if (notYet) {
    const text = `certificate ${JSON.stringify(notYet.subject)} is not valid until ${formatDate(notYet.notBefore)}`;
    return { error: text, notice: text, cert };
  }
  if (first.notAfter - nowMs < thresholdNs / 1e6) {
    return {
      atLeast: 'degraded',
      notice: `certificate ${JSON.stringify(first.subject)} expires in ${span(first.notAfter - nowMs)} (${formatDate(first.notAfter)})`,
      cert,
    };
  }
  return { cert };
}

/** `CN=example.com, O=Example`: node gives a name as an object, values sometimes as lists. */
function formatName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${key}=${v}`))
    .join(', ');
}

function formatDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A span a person reads at a glance, to the nearest unit: `3 days`, `5 hours`, `12 minutes`. */
function span(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  const hours = ms / 3_600_000;
  if (hours >= 23.5) return plural(Math.round(hours / 24), 'day');
  if (hours >= 1.5) return plural(Math.round(hours), 'hour');
  return plural(Math.round(ms / 60_000), 'minute');
}

/**
 * What a run's certificate verdicts (one per attempt) add to its result: the verdict floor, the
 * notice of the first failure or else of the first expiring chain, and the certificate seen last.
 */
export function certificateOutcome(
  verdicts: readonly CertificateVerdict[],
): Pick<Observation, 'atLeast' | 'notice' | 'extra'> {
  const failing = verdicts.find((v) => v.error !== undefined);
  const expiring = verdicts.find((v) => v.atLeast !== undefined);
  const notice = failing?.notice ?? expiring?.notice;
  const last = verdicts.at(-1);
  return {
    ...(expiring?.atLeast ? { atLeast: expiring.atLeast } : {}),
    ...(notice ? { notice } : {}),
    ...(last?.cert ? { extra: { cert: last.cert } } : {}),
  };
}
