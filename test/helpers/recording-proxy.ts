import http from 'node:http';
import { type RunningServer, startHttpServer } from './servers.js';

/** One request that went through the proxy. */
export interface ProxiedRequest {
  method: string;
  /** Path and query, e.g. `/bucket?publicAccessBlock=`. */
  url: string;
  /** The `X-Amz-Target` header (DynamoDB's operation name), when sent. */
  target?: string;
  body: string;
  /** The upstream's answer. */
  status: number;
}

export interface RecordingProxy extends RunningServer {
  readonly requests: ProxiedRequest[];
}

/**
 * A loopback proxy in front of an emulator that forwards every request unchanged (Host
 * included, so signatures stay valid) and records it with the status answered, so a test can
 * see that a request was made even when the emulator does not implement it.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const requests: ProxiedRequest[] = [];
  const server = await startHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const upstream = http.request(
        new URL(request.url ?? '/', target),
        { method: request.method, headers: request.headers },
        (answer) => {
          const target = request.headers['x-amz-target'];
          requests.push({
            method: request.method ?? '',
            url: request.url ?? '',
            ...(typeof target === 'string' ? { target } : {}),
            body: body.toString('utf8'),
            status: answer.statusCode ?? 0,
          });
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => response.destroy());
      upstream.end(body);
    });
  });
  return { ...server, requests };
}
