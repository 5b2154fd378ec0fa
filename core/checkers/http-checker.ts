import http from 'node:http';
import https from 'node:https';
import type { CheckContext, Checker } from '../checker.js';
import { monotonicNs } from '../clock.js';
import type { HttpCheckerConfig } from '../config/checker-schemas.js';
import { formatDuration } from '../duration.js';
import type { Attempt } from '../result.js';
import { arrivalNs } from './arrival-clock.js';
import { buildResult } from './build-result.js';
import { describeNetworkError } from './describe-network-error.js';
import { runAttempts } from './run-attempts.js';
import { statusMatcher } from './status-matcher.js';

/** Per-attempt timeout when `timeout` is not set. */
export const DEFAULT_TIMEOUT_NS = 10e9;
/** The most of a body read for `must_contain`/`must_not_contain`; the rest is discarded. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The HTTP checker: checkup's semantics (RTT to the response headers, status, body text). */
export function createHttpChecker(config: HttpCheckerConfig): Checker {
  const url = new URL(config.endpoint_url);
  const timeoutNs = config.timeout ?? DEFAULT_TIMEOUT_NS;
  const upStatus = statusMatcher(config.up_status);
  const headers = flattenHeaders(config.headers);
  const needsBody = config.must_contain !== undefined || config.must_not_contain !== undefined;
  const client = url.protocol === 'https:' ? https : http;

  function attempt(signal?: AbortSignal): Promise<Attempt> {
    return new Promise((resolve) => {
      const start = monotonicNs();
      let rtt = 0;
      let settled = false;
      // When the bytes that completed the headers arrived, stamped before Node parses them, so a
      // burst of responses handled one after another does not inflate the later ones' RTT.
      let receivedAt = 0;
      const stamp = () => {
        receivedAt = arrivalNs();
      };
      const request = client.request(url, { method: 'GET', headers, agent: false });
      request.once('socket', (socket) => socket.prependListener('data', stamp));
      const timer = setTimeout(
        () => fail(new Error(`timed out after ${formatDuration(timeoutNs)}`)),
        timeoutNs / 1e6,
      );
      const onAbort = () => fail(new Error('cancelled'));
      signal?.addEventListener('abort', onAbort, { once: true });

      function finish(error?: string) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        request.socket?.removeListener('data', stamp);
        // Closing the socket and starting the next attempt wait until the event loop has read
        // every response that is ready, so their arrival times stay accurate.
        setImmediate(() => {
          request.destroy();
          resolve(error === undefined ? { rtt } : { rtt, error });
        });
      }
      function fail(error: unknown) {
        if (rtt === 0) rtt = monotonicNs() - start;
        finish(describeNetworkError(error));
      }

      request.on('error', fail);
      request.on('response', (response) => {
        rtt = (receivedAt || monotonicNs()) - start;
        response.on('error', fail);
        if (!upStatus.matches(response.statusCode ?? 0)) {
          return finish(
            `response status ${response.statusCode} ${response.statusMessage ?? ''}`.trim() +
              ` (want ${upStatus.expected})`,
          );
        }
        if (!needsBody) return finish();
        readBounded(response, MAX_BODY_BYTES, (body, truncated) => finish(checkBody(body, truncated)));
      });
      request.end();
    });
  }

  function checkBody(body: string, truncated: boolean): string | undefined {
    const scope = truncated ? ` in the first ${MAX_BODY_BYTES} bytes` : '';
    if (config.must_contain !== undefined && !body.includes(config.must_contain)) {
      return `response does not contain ${JSON.stringify(config.must_contain)}${scope}`;
    }
    if (config.must_not_contain !== undefined && body.includes(config.must_not_contain)) {
      return `response contains ${JSON.stringify(config.must_not_contain)}`;
    }
    return undefined;
  }

  return {
    type: 'http',
    title: config.endpoint_name,
    endpoint: config.endpoint_url,
    async check(context: CheckContext) {
      const times = await runAttempts(
        { attempts: config.attempts ?? 1, spacingNs: config.attempt_spacing ?? 0, signal: context.signal },
        () => attempt(context.signal),
      );
      return buildResult({
        title: config.endpoint_name,
        endpoint: config.endpoint_url,
        timestamp: context.timestamp,
        times,
        thresholdNs: config.threshold_rtt,
      });
    },
  };
}

function readBounded(
  response: http.IncomingMessage,
  limit: number,
  done: (body: string, truncated: boolean) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (truncated: boolean) => {
    if (finished) return;
    finished = true;
    response.removeAllListeners('data');
    done(Buffer.concat(chunks).toString('utf8'), truncated);
  };
  response.on('data', (chunk: Buffer) => {
    const room = limit - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (size >= limit) finish(true);
  });
  response.on('end', () => finish(false));
}

function flattenHeaders(headers: HttpCheckerConfig['headers']): Record<string, string> {
  const flat: Record<string, string> = { 'user-agent': 'checkup' };
  for (const [name, value] of Object.entries(headers ?? {})) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
