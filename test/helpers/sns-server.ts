import { randomUUID } from 'node:crypto';
import { type RunningServer, startHttpServer } from './servers.js';

/** One Publish the stand-in accepted. */
export interface PublishedMessage {
  topicArn: string;
  subject: string | undefined;
  message: string;
}

export interface RunningSnsServer extends RunningServer {
  readonly published: PublishedMessage[];
  /** Topics whose Publish is refused as IAM refuses an ungranted one (403 AuthorizationError). */
  readonly deniedTopics: Set<string>;
}

/**
 * A loopback stand-in for SNS speaking its query protocol over real HTTP (POST / with a
 * form-encoded `Action=Publish&Version=2010-03-31&...`, XML answers; errors as `ErrorResponse`),
 * for the built `checkup` (no SNS emulator exists). An unsigned request is refused.
 */
export async function startSnsServer(): Promise<RunningSnsServer> {
  const published: PublishedMessage[] = [];
  const deniedTopics = new Set<string>();
  const server = await startHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const fail = (status: number, code: string, message: string) => {
        response.writeHead(status, { 'content-type': 'text/xml' });
        response.end(
          `<ErrorResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
        );
      };
      if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        fail(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
        return;
      }
      if (
        request.method !== 'POST' ||
        form.get('Action') !== 'Publish' ||
        form.get('Version') !== '2010-03-31'
      ) {
        fail(400, 'InvalidAction', `unsupported action ${form.get('Action')}`);
        return;
      }
      const topicArn = form.get('TopicArn') ?? '';
      if (deniedTopics.has(topicArn)) {
        fail(
          403,
          'AuthorizationError',
          `User is not authorized to perform: SNS:Publish on resource: ${topicArn}`,
        );
        return;
      }
      published.push({
        topicArn,
        subject: form.get('Subject') ?? undefined,
        message: form.get('Message') ?? '',
      });
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<PublishResponse xmlns="https://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`,
      );
    });
  });
  return { ...server, published, deniedTopics };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
