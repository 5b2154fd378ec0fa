import http from 'node:http';
import { type RunningServer, startHttpServer } from './servers.js';

/**
 * A loopback proxy in front of s3rver that adds what s3rver (older than S3's conditional
 * writes) lacks: a PUT with `If-Match: <etag>` or `If-None-Match: *` is checked against the
 * object's current ETag (by HEAD) and refused with S3's 412 PreconditionFailed when it differs.
 * Requests go one at a time, so a check and its write are atomic and a read never sees half
 * a write (s3rver writes objects in place), as in S3.
 */
export async function startS3ConditionalProxy(target: string): Promise<RunningServer> {
  const upstream = new URL(target);
  let queue = Promise.resolve();
  return startHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const ifMatch = request.headers['if-match'];
      const ifNoneMatch = request.headers['if-none-match'];
      const conditional = request.method === 'PUT' && (ifMatch !== undefined || ifNoneMatch !== undefined);
      queue = queue.then(async () => {
        if (!conditional) return forward(request, body, response);
        const current = await headEtag(request.url ?? '/');
        const refused =
          (ifNoneMatch === '*' && current !== undefined) || (ifMatch !== undefined && ifMatch !== current);
        if (refused) {
          response.writeHead(412, { 'content-type': 'application/xml' });
          response.end(
            '<?xml version="1.0" encoding="UTF-8"?><Error><Code>PreconditionFailed</Code>' +
              '<Message>At least one of the pre-conditions you specified did not hold</Message></Error>',
          );
          return;
        }
        await forward(request, body, response);
      });
    });
  });

  function headEtag(path: string): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const head = http.request(new URL(path, upstream), { method: 'HEAD' }, (answer) => {
        answer.resume();
        resolve(answer.statusCode === 200 ? (answer.headers.etag as string | undefined) : undefined);
      });
      head.on('error', reject);
      head.end();
    });
  }

  function forward(
    request: http.IncomingMessage,
    body: Buffer,
    response: http.ServerResponse,
  ): Promise<void> {
    return new Promise((resolve) => {
      const out = http.request(
        new URL(request.url ?? '/', upstream),
        { method: request.method, headers: request.headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          answer.on('end', resolve);
        },
      );
      out.on('error', () => {
        response.writeHead(502);
        response.end();
        resolve();
      });
      out.end(body);
    });
  }
}
