import { promises as dns } from 'node:dns';
import net from 'node:net';
import type { CheckContext, Checker } from '../checker.js';
import { monotonicNs } from '../clock.js';
import type { DNS_RECORD_TYPES, DnsCheckerConfig } from '../config/checker-schemas.js';
import { formatDuration } from '../duration.js';
import { clip } from '../excerpt.js';
import { MAX_TIMER_MS, setLongTimeout } from '../long-timer.js';
import type { Attempt } from '../result.js';
import { checkByAttempts } from './check-by-attempts.js';
import { describeNetworkError } from './describe-network-error.js';
import { DEFAULT_TIMEOUT_NS } from './http-checker.js';
import { asLocalResourceError } from './local-resource-error.js';

type RecordType = (typeof DNS_RECORD_TYPES)[number];

/**
 * The DNS checker: one real query per attempt to the server in `endpoint_url` (or the system's
 * servers), RTT being the query's round trip. NXDOMAIN, SERVFAIL, REFUSED, no answer of the
 * type, a timeout or a missing `expect`ed answer is an error.
 */
export function createDnsChecker(config: DnsCheckerConfig): Checker {
  const name = config.hostname_fqdn.replace(/\.$/, '');
  const recordType: RecordType = config.record_type ?? 'A';
  const timeoutNs = config.timeout ?? DEFAULT_TIMEOUT_NS;
  const server = config.endpoint_url ? splitServer(config.endpoint_url) : undefined;
  const expected = (config.expect ?? []).map((value) => normalise(recordType, value));

  async function attempt(signal?: AbortSignal): Promise<Attempt> {
    // c-ares takes a 32-bit timeout; a longer wait is left to the timer below.
    const resolverTimeoutMs = Math.min(MAX_TIMER_MS, Math.max(1, Math.round(timeoutNs / 1e6)));
    const resolver = new dns.Resolver({ timeout: resolverTimeoutMs, tries: 1 });
    if (server) {
      try {
        resolver.setServers([await serverAddress(server)]);
      } catch (error) {
        return { rtt: 0, error: `cannot find the DNS server ${server.host}: ${describeNetworkError(error)}` };
      }
    }
    let stopped: string | undefined;
    const stop = (reason: string) => {
      stopped = reason;
      resolver.cancel();
    };
    const timer = setLongTimeout(
      () => stop(`no answer within ${formatDuration(timeoutNs)}`),
      timeoutNs / 1e6,
    );
    const onAbort = () => stop('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    const start = monotonicNs();
    try {
      const answers = await query(resolver, recordType, name);
      const rtt = monotonicNs() - start;
      const missing = expected.filter((want) => !answers.some((got) => matches(recordType, want, got)));
      if (missing.length === 0) return { rtt };
      return {
        rtt,
        error: `${recordType} ${name}: answer lacks ${clip(missing.map((m) => JSON.stringify(m)).join(', '))} (got ${clip(answers.join(', ')) || 'nothing'})`,
      };
    } catch (error) {
      const rtt = monotonicNs() - start;
      // Out of descriptors here is no fault of the endpoint: runAttempts makes the attempt again.
      if (stopped === undefined && asLocalResourceError(error)) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (stopped !== undefined || code === 'ETIMEOUT') {
        return { rtt, error: stopped ?? `no answer within ${formatDuration(timeoutNs)}` };
      }
      return { rtt, error: describeDnsError(code, recordType, name, error) };
    } finally {
      timer.clear();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    type: 'dns',
    title: config.endpoint_name,
    endpoint: config.endpoint_url ?? config.hostname_fqdn,
    check(context: CheckContext) {
      const endpoint = config.endpoint_url ?? config.hostname_fqdn;
      return checkByAttempts({ title: config.endpoint_name, endpoint, config, context, attempt });
    },
  };
}

/** The answers of one query, each as one comparable string (MX as `10 mail.example.com`). */
async function query(resolver: dns.Resolver, type: RecordType, name: string): Promise<string[]> {
  switch (type) {
    case 'A':
      return resolver.resolve4(name);
    case 'AAAA':
      return (await resolver.resolve6(name)).map((address) => normalise('AAAA', address));
    case 'CNAME':
      return (await resolver.resolveCname(name)).map((host) => normalise('CNAME', host));
    case 'NS':
      return (await resolver.resolveNs(name)).map((host) => normalise('NS', host));
    case 'MX':
      return (await resolver.resolveMx(name)).map((mx) => `${mx.priority} ${normalise('NS', mx.exchange)}`);
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
  }
}

/** Whether an answer satisfies an expectation; an MX expectation may leave out the priority. */
function matches(type: RecordType, want: string, got: string): boolean {
  if (want === got) return true;
  return type === 'MX' && !want.includes(' ') && got.split(' ')[1] === want;
}

/** Host names compare without case or trailing dot; IPv6 addresses in their shortest form. */
function normalise(type: RecordType, value: string): string {
  switch (type) {
    case 'AAAA':
      return net.isIPv6(value) ? new URL(`http://[${value}]`).hostname.slice(1, -1) : value;
    case 'CNAME':
    case 'NS':
      return value.toLowerCase().replace(/\.$/, '');
    case 'MX':
      return value.toLowerCase().replace(/\.$/, '').replace(/\s+/g, ' ');
    default:
      return value;
  }
}

const DNS_ERRORS: Record<string, (type: RecordType, name: string) => string> = {
  ENOTFOUND: (_, name) => `${name}: no such domain (NXDOMAIN)`,
  ENODATA: (type, name) => `${name}: no ${type} records`,
  ESERVFAIL: (_, name) => `${name}: server failure (SERVFAIL)`,
  EREFUSED: (_, name) => `${name}: query refused (REFUSED)`,
  ECONNREFUSED: (_, name) => `${name}: connection refused (nothing listens)`,
  EFORMERR: (_, name) => `${name}: the server could not read the query (FORMERR)`,
  EBADRESP: (_, name) => `${name}: malformed response`,
  ENOTIMP: (type, name) => `${name}: the server does not implement ${type} queries (NOTIMP)`,
};

function describeDnsError(code: string | undefined, type: RecordType, name: string, error: unknown): string {
  const describe = code ? DNS_ERRORS[code] : undefined;
  return describe ? describe(type, name) : describeNetworkError(error);
}

interface Server {
  host: string;
  port: number;
}

function splitServer(endpoint: string): Server {
  const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(endpoint);
  if (bracketed) return { host: bracketed[1] as string, port: Number(bracketed[2] ?? 53) };
  const colon = endpoint.lastIndexOf(':');
  if (colon === -1) return { host: endpoint, port: 53 };
  return { host: endpoint.slice(0, colon), port: Number(endpoint.slice(colon + 1)) };
}

/** c-ares wants addresses, so a server given by name is looked up first (not timed). */
async function serverAddress({ host, port }: Server): Promise<string> {
  const address = net.isIP(host) ? host : (await dns.lookup(host)).address;
  return net.isIPv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}
