import http from 'node:http';
import { type RunningServer, startHttpServer } from './servers.js';

export interface FlakyProxy extends RunningServer {
  /** Requests seen, as `METHOD path` with the status answered. */
  readonly log: string[];
}

/**
 * A loopback HTTP proxy in front of `target` that answers the first `failures` requests matching
 * `when` with `status` (503 Slow Down, by default) and forwards every other request unchanged
 * (Host header included, so signed requests stay valid).
 */
export async function startFlakyProxy(
  target: string,
  options: { failures: number; status?: number; when?: (request: http.IncomingMessage) => boolean },
): Promise<FlakyProxy> {
  const log: string[] = [];
  let left = options.failures;
  const server = await startHttpServer((request, response) => {
    const line = `${request.method} ${request.url}`;
    if (left > 0 && (options.when?.(request) ?? true)) {
      left -= 1;
      const status = options.status ?? 503;
      log.push(`${line} -> ${status}`);
      request.resume();
      response.writeHead(status, { 'content-type': 'application/xml' });
      response.end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
      );
      return;
    }
    const url = new URL(request.url ?? '/', target);
    const upstream = http.request(url, { method: request.method, headers: request.headers }, (answer) => {
      log.push(`${line} -> ${answer.statusCode}`);
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  return Object.assign(server, { log });
}
