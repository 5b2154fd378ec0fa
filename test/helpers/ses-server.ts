import { randomUUID } from 'node:crypto';
import { type RunningServer, startHttpServer } from './servers.js';

/** One mail the stand-in accepted (SESv2 SendEmail, simple content). */
export interface SentMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** What SES answers: the status, the error type (restJson's x-amzn-ErrorType) and the body. */
export interface SesAnswer {
  status: number;
  errorType?: string;
  json: object;
}

/**
 * The identity SES would send `from` as: the address itself when it is verified, else its domain
 * when that is; undefined when neither is (SES refuses the mail).
 */
export function sendingIdentity(from: string, verified: ReadonlySet<string>): string | undefined {
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
  const domain = address.split('@')[1] ?? '';
  if (verified.has(address)) return address;
  return verified.has(domain) ? domain : undefined;
}

/**
 * SESv2's answer to a request, recording each accepted mail in `sent`: only `POST
 * /v2/email/outbound-emails` with simple content, from a verified identity, is understood.
 */
export function sesAnswer(
  method: string,
  path: string,
  body: string,
  verified: ReadonlySet<string>,
  sent: SentMail[],
): SesAnswer {
  if (method !== 'POST' || path !== '/v2/email/outbound-emails')
    return {
      status: 404,
      errorType: 'NotFoundException',
      json: { message: `no such operation: ${method} ${path}` },
    };
  const input = JSON.parse(body || '{}') as {
    FromEmailAddress?: string;
    Destination?: { ToAddresses?: string[] };
    Content?: {
      Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string }; Html?: { Data?: string } } };
    };
  };
  const from = input.FromEmailAddress ?? '';
  if (!sendingIdentity(from, verified))
    return {
      status: 400,
      errorType: 'MessageRejected',
      json: { message: `Email address is not verified. The following identities failed the check: ${from}` },
    };
  const simple = input.Content?.Simple;
  if (
    !simple?.Subject?.Data ||
    !(simple.Body?.Text || simple.Body?.Html) ||
    !input.Destination?.ToAddresses?.length
  )
    return {
      status: 400,
      errorType: 'BadRequestException',
      json: { message: 'subject, body and a recipient are required' },
    };
  sent.push({
    from,
    to: input.Destination.ToAddresses,
    subject: simple.Subject.Data,
    text: simple.Body?.Text?.Data ?? '',
    html: simple.Body?.Html?.Data ?? '',
  });
  return { status: 200, json: { MessageId: randomUUID() } };
}

export interface RunningSesServer extends RunningServer {
  readonly sent: SentMail[];
}

/**
 * A loopback stand-in for the SES v2 API over real HTTP (restJson), for the built `checkup` (no
 * SES emulator exists). An unsigned request is refused, as SES refuses it.
 */
export async function startSesServer(verified: readonly string[]): Promise<RunningSesServer> {
  const sent: SentMail[] = [];
  const identities = new Set(verified);
  const server = await startHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer: SesAnswer = String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')
        ? sesAnswer(
            request.method ?? 'GET',
            new URL(request.url ?? '/', 'http://x').pathname,
            Buffer.concat(chunks).toString('utf8'),
            identities,
            sent,
          )
        : {
            status: 403,
            errorType: 'MissingAuthenticationTokenException',
            json: { message: 'Missing Authentication Token' },
          };
      response.writeHead(answer.status, {
        'content-type': 'application/json',
        ...(answer.errorType ? { 'x-amzn-errortype': answer.errorType } : {}),
      });
      response.end(JSON.stringify(answer.json));
    });
  });
  return { ...server, sent };
}
