import http from 'node:http';
import { type RunningServer, startHttpServer } from './servers.js';

/** What the proxy knows of the caller of one request (the gateway evaluates the caller's policy). */
export interface S3Caller {
  /**
   * Whether the caller may `s3:ListBucket` the bucket (with no `s3:prefix`, as a GET carries
   * none). S3 tells a caller that may not list only 403 AccessDenied for a missing key, never 404.
   * @default true
   */
  mayList?: boolean;
  /** Forward without the Authorization header (s3rver knows only its own key). @default false */
  anonymous?: boolean;
}

/** Handles one S3 request (its body already read) by S3's rules, forwarding to s3rver. */
export type S3RulesHandler = (
  request: http.IncomingMessage,
  body: Buffer,
  response: http.ServerResponse,
  caller?: S3Caller,
) => Promise<void>;

/**
 * What s3rver (older than S3's conditional writes) lacks, in front of it:
 * - a PUT with `If-None-Match: *` is refused with 412 PreconditionFailed when the object exists,
 *   one with `If-Match: <etag>` with 412 when the ETag differs and 404 NoSuchKey when the object
 *   is gone;
 * - a GET or HEAD of a missing key answers 403 AccessDenied to a caller without `s3:ListBucket`.
 * Requests go one at a time, so a check and its write are atomic and a read never sees half a
 * write (s3rver writes objects in place), as in S3.
 */
export function createS3Rules(target: string): S3RulesHandler {
  const upstream = new URL(target);
  let queue = Promise.resolve();
  return (request, body, response, caller = {}) => {
    const ifMatch = request.headers['if-match'];
    const ifNoneMatch = request.headers['if-none-match'];
    const conditional = request.method === 'PUT' && (ifMatch !== undefined || ifNoneMatch !== undefined);
    const headers = { ...request.headers };
    if (caller.anonymous) delete headers.authorization;
    const done = queue.then(async () => {
      if (conditional) {
        const current = await headEtag(request.url ?? '/');
        if (ifMatch !== undefined && current === undefined)
          return s3Error(response, 404, 'NoSuchKey', 'The specified key does not exist.');
        if ((ifNoneMatch === '*' && current !== undefined) || (ifMatch !== undefined && ifMatch !== current))
          return s3Error(
            response,
            412,
            'PreconditionFailed',
            'At least one of the pre-conditions you specified did not hold',
          );
      }
      await forward(request.method ?? 'GET', request.url ?? '/', headers, body, response, caller);
    });
    queue = done.catch(() => {});
    return done;
  };

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
    method: string,
    path: string,
    headers: http.IncomingHttpHeaders,
    body: Buffer,
    response: http.ServerResponse,
    caller: S3Caller,
  ): Promise<void> {
    const objectRead = (method === 'GET' || method === 'HEAD') && /^\/[^/?]+\/[^?]/.test(path);
    return new Promise((resolve) => {
      const out = http.request(new URL(path, upstream), { method, headers }, (answer) => {
        if (objectRead && answer.statusCode === 404 && caller.mayList === false) {
          answer.resume();
          // S3 says only "Access Denied"; the test that meets it is told why.
          const explained = `Access Denied (${path.split('?')[0]} does not exist; only a caller allowed s3:ListBucket is told 404)`;
          s3Error(response, 403, 'AccessDenied', explained, method === 'HEAD');
          return resolve();
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('end', resolve);
      });
      out.on('error', () => {
        response.writeHead(502);
        response.end();
        resolve();
      });
      out.end(body);
    });
  }
}

/** Answers with S3's XML error (a HEAD's error has no body). */
export function s3Error(
  response: http.ServerResponse,
  status: number,
  code: string,
  message: string,
  noBody = false,
): void {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(
    noBody
      ? undefined
      : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
}

/** The rules of createS3Rules as a loopback proxy in front of s3rver, for a caller that may do anything. */
export async function startS3ConditionalProxy(target: string): Promise<RunningServer> {
  const rules = createS3Rules(target);
  return startHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => void rules(request, Buffer.concat(chunks), response));
  });
}
