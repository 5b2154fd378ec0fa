/** A subscribe request's body is at most this many bytes (an address is at most 254). */
export const MAX_SUBSCRIBE_BODY = 1024;

/** The longest address mail can carry (RFC 5321's path limit less the angle brackets). */
const MAX_ADDRESS = 254;

/** A subscribe request as any host hands it over: the Content-Type header and the raw body. */
export interface SubscribeRequest {
  method: string;
  contentType: string | undefined;
  body: string;
}

/** The address to subscribe, or why the request is refused. The reason never repeats the input. */
export type ParsedSubscribeRequest =
  | { ok: true; address: string }
  | { ok: false; status: 400 | 405 | 413 | 415; reason: string };

/**
 * Reads the `email` field of a POSTed subscribe form: `application/x-www-form-urlencoded` (what a
 * plain form sends) or `application/json` (`{"email": "..."}`). Anything else, an oversized body
 * or an address that is not a plain `local@domain.tld` (no spaces, no line breaks, no display
 * name, ASCII only) is refused with a status and a reason fit to show. Pure.
 */
export function parseSubscribeRequest(request: SubscribeRequest): ParsedSubscribeRequest {
  if (request.method !== 'POST') return { ok: false, status: 405, reason: 'subscribe with a POST' };
  if (Buffer.byteLength(request.body) > MAX_SUBSCRIBE_BODY)
    return { ok: false, status: 413, reason: `a subscribe request is at most ${MAX_SUBSCRIBE_BODY} bytes` };
  const type = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase();
  let field: unknown;
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(request.body);
    if (form.getAll('email').length > 1) return { ok: false, status: 400, reason: 'give one e-mail address' };
    field = form.get('email') ?? undefined;
  } else if (type === 'application/json') {
    let json: unknown;
    try {
      json = JSON.parse(request.body);
    } catch {
      return { ok: false, status: 400, reason: 'the body is not valid JSON' };
    }
    field =
      typeof json === 'object' && json !== null && !Array.isArray(json)
        ? (json as { email?: unknown }).email
        : undefined;
  } else {
    return {
      ok: false,
      status: 415,
      reason: 'send application/x-www-form-urlencoded or application/json',
    };
  }
  if (typeof field !== 'string' || field.trim() === '')
    return { ok: false, status: 400, reason: 'give an e-mail address in the "email" field' };
  const address = field.trim();
  if (!isPlainAddress(address)) return { ok: false, status: 400, reason: 'that is not an e-mail address' };
  return { ok: true, address };
}

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** `local@domain.tld` in the dot-atom form everyone uses: no quoting, comments or IP literals. */
function isPlainAddress(address: string): boolean {
  if (address.length > MAX_ADDRESS) return false;
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  return (
    at > 0 &&
    local.length <= 64 &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    /^([A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/.test(labels.at(-1) ?? '')
  );
}
