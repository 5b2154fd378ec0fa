import type { IncomingHttpHeaders } from 'node:http';
import { type RunningServer, startHttpServer } from './servers.js';

/** One request the recording server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  /** The body's fields, in order, when it is a form (application/x-www-form-urlencoded). */
  form: Array<[string, string]> | undefined;
}

/** How to answer one request: a status, and optionally a Retry-After, a body and headers. */
export interface ScriptedAnswer {
  status: number;
  retryAfter?: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface RecordingServer extends RunningServer {
  /** Every request so far, in arrival order (the ones answered with errors too). */
  readonly requests: RecordedRequest[];
  /** Queues answers for the next requests; after them every request gets 200 "ok". */
  answer(...answers: ScriptedAnswer[]): void;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1, port 0, standing in for Slack, PagerDuty, Mailgun or any other
 * HTTP receiver (their API base URL points at it): it records what was posted and answers as
 * scripted (429 with Retry-After, 500...), else 200.
 */
export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const script: ScriptedAnswer[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server = await startHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
        json,
        form: String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')
          ? [...new URLSearchParams(body)]
          : undefined,
      });
      const answer = script.shift() ?? { status: 200, body: 'ok' };
      response.writeHead(answer.status, {
        'content-type': 'text/plain',
        ...(answer.retryAfter !== undefined ? { 'retry-after': answer.retryAfter } : {}),
        ...answer.headers,
      });
      response.end(answer.body ?? (answer.status < 300 ? 'ok' : 'error'));
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  });
  return {
    ...server,
    requests,
    answer: (...answers) => script.push(...answers),
    waitFor: (count) =>
      requests.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ count, resolve })),
  };
}
