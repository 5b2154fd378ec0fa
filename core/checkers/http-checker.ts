import type { CheckContext, Checker } from '../checker.js';
import { monotonicNs } from '../clock.js';
import type { HttpCheckerConfig } from '../config/checker-schemas.js';
import { formatDuration } from '../duration.js';
import type { Attempt } from '../result.js';
import { setSharedTimeout } from '../shared-timeouts.js';
import { afterPass } from './arrival-clock.js';
import { bodyTests, MAX_BODY_BYTES } from './body-tests.js';
import { type CertificateVerdict, certificateOutcome } from './certificate-chain.js';
import { checkByAttempts } from './check-by-attempts.js';
import { describeNetworkError } from './describe-network-error.js';
import type { Exchange, Flight, HttpResponse, SendOptions } from './http-exchange.js';
import { leanRequest, sendLean } from './lean-http-exchange.js';
import { asLocalResourceError } from './local-resource-error.js';
import { sendWithNodeHttp } from './node-http-exchange.js';
import { accumulatePhases } from './phase-timing.js';
import { type HttpRequestPlan, redirectStep } from './redirect-rule.js';
import { statusMatcher, type UpStatus } from './status-matcher.js';

/** Per-attempt timeout when `timeout` is not set. */
export const DEFAULT_TIMEOUT_NS = 10e9;
export { MAX_BODY_BYTES } from './body-tests.js';
export { MAX_REDIRECTS } from './redirect-rule.js';

/**
 * The HTTP checker: checkup's semantics (RTT to the response headers, status, body text) plus
 * method/body, redirects, status ranges, regular expression and JSON tests, the certificate
 * dates on https, and per-attempt phase timings.
 */
export function createHttpChecker(config: HttpCheckerConfig): Checker {
  const firstRequest: HttpRequestPlan = {
    url: new URL(config.endpoint_url),
    method: (config.method ?? 'GET').toUpperCase(),
    headers: flattenHeaders(config.headers),
    ...(config.body !== undefined ? { body: config.body } : {}),
  };
  const timeoutNs = config.timeout ?? DEFAULT_TIMEOUT_NS;
  const upStatus = statusMatcher(withStatusRange(config.up_status, config.up_status_range));
  const testBody = bodyTests(config);
  const sendOptions: SendOptions = {
    tlsSkipVerify: config.tls_skip_verify === true,
    certThresholdNs: config.cert_expiry_threshold ?? 0,
  };

  async function attempt(signal: AbortSignal | undefined, verdicts: CertificateVerdict[]): Promise<Attempt> {
    // The round trip runs from the first packet to the endpoint; until the first exchange says
    // when that was, from the start of the attempt.
    let start = monotonicNs();
    let phases: Record<string, number> = {};
    const flight: Flight = {};
    let stopped: string | undefined;
    // Stops a body test under way on its worker thread; made only for a checker with body tests
    // (an AbortController per attempt is a noticeable share of an attempt's CPU).
    const stopper = testBody ? new AbortController() : undefined;
    const stop = (reason: string) => {
      stopped ??= reason;
      flight.stop?.(new Error(reason));
      stopper?.abort(stopped);
    };
    const timer = setSharedTimeout(
      () => stop(`timed out after ${formatDuration(timeoutNs)}`),
      timeoutNs / 1e6,
    );
    const onAbort = () => stop('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    let rtt = 0;
    const done = (error?: string): Attempt => {
      if (rtt === 0) rtt = monotonicNs() - start;
      phases.total = monotonicNs() - start;
      return error === undefined ? { rtt, phases } : { rtt, phases, error };
    };
    let current: HttpResponse | undefined;
    try {
      let request = firstRequest;
      for (let hop = 0; ; hop++) {
        if (stopped !== undefined) throw new Error(stopped);
        const exchange = await send(request, flight, sendOptions);
        current = exchange.response;
        const timed = accumulatePhases(phases, exchange.stamps);
        phases = timed.phases;
        if (hop === 0) start = timed.began;
        const status = current.status;
        const step = config.follow_redirects
          ? redirectStep(status, current.location, request, hop)
          : undefined;
        if (step) {
          current.discard();
          if ('error' in step) return done(step.error);
          request = step.next;
          continue;
        }
        rtt = exchange.stamps.firstByte - start;
        if (exchange.cert) verdicts.push(exchange.cert);
        if (exchange.cert?.error) return done(exchange.cert.error);
        if (!upStatus.matches(status)) {
          return done(
            `${`response status ${status} ${current.statusMessage}`.trim()} (want ${upStatus.expected})`,
          );
        }
        if (!testBody || !stopper) return done();
        return done(await testBody(await current.readBody(MAX_BODY_BYTES), stopper.signal));
      }
    } catch (error) {
      // Out of descriptors here is no fault of the endpoint: runAttempts makes the attempt again.
      if (stopped === undefined && asLocalResourceError(error)) throw error;
      return done(stopped ?? describeNetworkError(error));
    } finally {
      timer.clear();
      signal?.removeEventListener('abort', onAbort);
      // Closing the socket and starting the next attempt wait until the event loop has read
      // every response that is ready, so their arrival times stay accurate.
      await afterPass();
      current?.discard();
    }
  }

  return {
    type: 'http',
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

/**
 * Makes one request: through the lean client when it takes the request (plain http GET or HEAD,
 * the common case and most of the CPU of a large run), else through node:http.
 */
function send(request: HttpRequestPlan, flight: Flight, options: SendOptions): Promise<Exchange> {
  const lean = leanRequest(request);
  return lean === undefined ? sendWithNodeHttp(request, flight, options) : sendLean(request, lean, flight);
}

function flattenHeaders(headers: HttpCheckerConfig['headers']): Record<string, string> {
  const flat: Record<string, string> = { 'user-agent': 'checkup' };
  for (const [name, value] of Object.entries(headers ?? {})) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * checkup's `up_status_range` ({min, max}, either optional) joins `up_status` as one more
 * accepted range, clamped to real statuses.
 */
function withStatusRange(
  upStatus: UpStatus | undefined,
  range: { min?: number; max?: number } | undefined,
): UpStatus | undefined {
  if (!range || (range.min === undefined && range.max === undefined)) return upStatus;
  const low = Math.max(100, range.min ?? 100);
  const high = Math.min(599, range.max ?? 599);
  const pattern = `${low}-${high}`;
  if (upStatus === undefined) return pattern;
  return [...(Array.isArray(upStatus) ? upStatus : [upStatus as number | string]), pattern];
}
