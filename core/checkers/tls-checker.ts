import net from 'node:net';
import tls from 'node:tls';
import type { CheckContext, Checker } from '../checker.js';
import { monotonicNs } from '../clock.js';
import type { TlsCheckerConfig } from '../config/checker-schemas.js';
import { formatDuration } from '../duration.js';
import { clip } from '../excerpt.js';
import { setLongTimeout } from '../long-timer.js';
import type { Attempt } from '../result.js';
import {
  type CertificateVerdict,
  certificateChain,
  certificateOutcome,
  DEFAULT_CERT_EXPIRY_THRESHOLD_NS,
  judgeCertificateChain,
} from './certificate-chain.js';
import { checkByAttempts } from './check-by-attempts.js';
import { CheckerSetupError } from './checker-setup-error.js';
import { describeNetworkError } from './describe-network-error.js';
import { DEFAULT_TIMEOUT_NS } from './http-checker.js';
import { asLocalResourceError } from './local-resource-error.js';
import { readSmallFile } from './read-small-file.js';
import { splitHostPort } from './tcp-checker.js';

/** Verification failures that the chain's own dates explain better (with the certificate and date). */
const DATE_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
/** Node's own host name check (done when a server name is sent); repeated below with a clearer message. */
const NAME_ERROR = 'ERR_TLS_CERT_ALTNAME_INVALID';

/**
 * The TLS checker: RTT is the time to connect and finish the handshake. Down on a handshake
 * error, an untrusted chain, a host name mismatch or any certificate of the chain expired;
 * degraded when one expires within `cert_expiry_threshold`.
 */
export function createTlsChecker(config: TlsCheckerConfig): Checker {
  const { host, port } = splitHostPort(config.endpoint_url);
  const timeoutNs = config.timeout ?? DEFAULT_TIMEOUT_NS;
  const thresholdNs = config.cert_expiry_threshold ?? DEFAULT_CERT_EXPIRY_THRESHOLD_NS;
  const serverName = config.server_name ?? host;
  const ca = readTrustedRoots(config.trusted_roots);
  const skipVerify = config.tls_skip_verify === true;

  function attempt(signal: AbortSignal | undefined, verdicts: CertificateVerdict[]): Promise<Attempt> {
    return new Promise((resolve, reject) => {
      const start = monotonicNs();
      let settled = false;
      // Verification is done below rather than by node, so a failing chain still yields its dates.
      const socket = tls.connect({
        host,
        port,
        servername: net.isIP(serverName) ? undefined : serverName,
        rejectUnauthorized: false,
        ...(ca ? { ca } : {}),
      });
      const timer = setLongTimeout(
        () => finish(`timed out after ${formatDuration(timeoutNs)}`),
        timeoutNs / 1e6,
      );
      const onAbort = () => finish('cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });

      const marks: { lookup?: number; connect?: number } = {};
      socket.once('lookup', () => {
        marks.lookup = monotonicNs();
      });
      socket.once('connect', () => {
        marks.connect = monotonicNs();
      });

      function finish(error?: string, rtt = monotonicNs() - start, phases?: Record<string, number>) {
        if (settled) return;
        settled = true;
        timer.clear();
        signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        const attempt: Attempt = phases ? { rtt, phases } : { rtt };
        resolve(error === undefined ? attempt : { ...attempt, error });
      }
      socket.once('secureConnect', () => {
        const rtt = monotonicNs() - start;
        const peer = socket.getPeerCertificate(true);
        const verdict = judgeCertificateChain(certificateChain(peer), thresholdNs, Date.now());
        verdicts.push(verdict);
        // Where the time went, as the http checker reports it: name lookup, TCP, handshake.
        const connected = marks.connect ?? start;
        const phases = {
          dns: marks.lookup !== undefined ? marks.lookup - start : 0,
          connect: connected - (marks.lookup ?? start),
          tls: start + rtt - connected,
        };
        finish(verify(socket, peer, verdict) ?? verdict.error, rtt, phases);
      });
      socket.once('error', (error) => {
        const local = asLocalResourceError(error);
        // Out of descriptors here is no fault of the endpoint: runAttempts makes the attempt again.
        if (local && !settled) {
          settled = true;
          timer.clear();
          signal?.removeEventListener('abort', onAbort);
          socket.destroy();
          return reject(local);
        }
        finish(describeNetworkError(error));
      });
    });
  }

  /** Trust and host name, unless `tls_skip_verify`; date errors are left to the chain verdict. */
  function verify(socket: tls.TLSSocket, peer: tls.PeerCertificate, verdict: CertificateVerdict) {
    if (skipVerify) return undefined;
    const reason = socket.authorizationError as unknown as string | Error | null;
    if (!socket.authorized && reason && codeOf(reason) !== NAME_ERROR) {
      const code = codeOf(reason);
      // OpenSSL reports a date error where the chain may also be untrusted; the dates say which.
      if (!DATE_ERRORS.has(code) || verdict.error === undefined) {
        return `untrusted certificate: ${describeNetworkError(Object.assign(new Error(code), { code }))}`;
      }
    }
    const mismatch = tls.checkServerIdentity(serverName, peer);
    if (mismatch) {
      const names = peer.subjectaltname || `CN=${peer.subject?.CN ?? ''}`;
      return `certificate does not match ${serverName} (it names ${clip(names)})`;
    }
    return undefined;
  }

  return {
    type: 'tls',
    title: config.endpoint_name,
    endpoint: config.endpoint_url,
    check(context: CheckContext) {
      const verdicts: CertificateVerdict[] = [];
      return checkByAttempts({
        title: config.endpoint_name,
        endpoint: config.endpoint_url,
        config,
        context,
        attempt: (signal) => attempt(signal, verdicts),
        conclude: () => certificateOutcome(verdicts),
      });
    },
  };
}

function codeOf(reason: string | Error): string {
  return typeof reason === 'string' ? reason : ((reason as NodeJS.ErrnoException).code ?? reason.message);
}

/** Reads every `trusted_roots` PEM file once, when the checker is built. */
export function readTrustedRoots(files: readonly string[] | undefined): string[] | undefined {
  if (!files || files.length === 0) return undefined;
  return files.map((file, index) => {
    const text = readSmallFile(file, `trusted_roots[${index}]`).toString('utf8');
    if (!text.includes('-----BEGIN CERTIFICATE-----')) {
      throw new CheckerSetupError(`${file} holds no PEM certificate`, { key: `trusted_roots[${index}]` });
    }
    return text;
  });
}
