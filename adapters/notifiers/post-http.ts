import { DeliveryError } from '../../core/alerts/notifier.js';
import { parseRetryAfter } from '../../core/alerts/retry-delay.js';

/** The most of an error response kept for the message (receivers say why in the body). */
const MAX_ERROR_BODY = 200;

/** One POST a notifier makes. */
export interface HttpPost {
  url: string;
  body: string;
  /** Default `application/json`. */
  contentType?: string;
  headers?: Record<string, string>;
  /**
   * Values that must never appear in an error message (API keys, tokens), in case a receiver
   * quotes them back in its error body.
   */
  secrets?: readonly (string | undefined)[];
  /** For receivers that say how long to wait in a 429's body, not in Retry-After (Telegram). */
  retryAfterFromBody?: (text: string) => number | undefined;
}

/**
 * The one HTTP sender every HTTP notifier uses: POSTs once with Node's fetch and reads the
 * answer to the end. A 2xx resolves; 429, 408 and 5xx reject with a retryable DeliveryError
 * (429 with its Retry-After); other statuses with a final one. Messages name the status and
 * the start of the body, never the URL (a webhook URL or a bot token in a path is a secret).
 */
export async function postHttp(post: HttpPost, signal: AbortSignal): Promise<void> {
  let response: Response;
  try {
    response = await fetch(post.url, {
      method: 'POST',
      headers: { 'content-type': post.contentType ?? 'application/json', ...post.headers },
      body: post.body,
      signal,
      redirect: 'error',
    });
  } catch (error) {
    throw new DeliveryError(describeFetchError(error, signal), { retryable: true, cause: error });
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return;
  const status = response.status;
  const detail = redact(text.trim().replace(/\s+/g, ' '), [
    ...(post.secrets ?? []),
    ...urlSecrets(post.url),
  ]).slice(0, MAX_ERROR_BODY);
  throw new DeliveryError(`HTTP ${status}${detail ? `: ${detail}` : ''}`, {
    retryable: status === 429 || status === 408 || status >= 500,
    retryAfterMs:
      status === 429
        ? (parseRetryAfter(response.headers.get('retry-after'), Date.now()) ??
          post.retryAfterFromBody?.(text))
        : undefined,
  });
}

function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.replaceAll(secret, '***');
  return out;
}

/** The URL and its longer query values (a workflow's `sig`), which a webhook URL's owner keeps secret. */
function urlSecrets(url: string): string[] {
  const values = [...new URL(url).searchParams.values()].filter((value) => value.length >= 8);
  return [url, ...values];
}

function describeFetchError(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timed out';
  // fetch reports "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND...) in its cause.
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return code ? `could not connect (${code})` : 'could not connect';
}
