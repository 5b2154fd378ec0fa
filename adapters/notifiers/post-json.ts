import { DeliveryError } from '../../core/alerts/notifier.js';
import { parseRetryAfter } from '../../core/alerts/retry-delay.js';

/** The most of an error response kept for the message (receivers say why in the body). */
const MAX_ERROR_BODY = 200;

/**
 * POSTs a body once with Node's fetch and reads the answer to the end. A 2xx resolves; 429,
 * 408 and 5xx reject with a retryable DeliveryError (429 with its Retry-After); other statuses
 * with a final one. Messages name the status and the start of the body, never the URL (a
 * webhook URL is a secret).
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal,
      redirect: 'error',
    });
  } catch (error) {
    throw new DeliveryError(describeFetchError(error, signal), { retryable: true, cause: error });
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return;
  const status = response.status;
  const detail = text.trim().replace(/\s+/g, ' ').slice(0, MAX_ERROR_BODY);
  throw new DeliveryError(`HTTP ${status}${detail ? `: ${detail}` : ''}`, {
    retryable: status === 429 || status === 408 || status >= 500,
    retryAfterMs:
      status === 429 ? parseRetryAfter(response.headers.get('retry-after'), Date.now()) : undefined,
  });
}

function describeFetchError(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'timed out';
  // fetch reports "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND...) in its cause.
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  return code ? `could not connect (${code})` : 'could not connect';
}
