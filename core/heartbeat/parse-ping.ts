import type { HeartbeatPing } from './heartbeat-store.js';

/** What a ping may say, in characters: longer messages are clipped. */
export const MAX_PING_MESSAGE = 200;
/** A ping body larger than this (bytes) is refused with 413, unread. */
export const MAX_PING_BODY = 4096;
/** What a heartbeat token looks like (the config's rule too): long enough not to be guessed. */
export const HEARTBEAT_TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

/** A ping request, as any host (the local server, the Lambda function URL) hands it over. */
export interface PingRequest {
  method: string;
  /** The path, not decoded: `/ping/<token>` or `/ping/<token>/fail`. */
  path: string;
  /** The `msg` query parameter, when given. */
  query?: string | undefined;
  /** The body as text (a POST's message), already bounded by the host. */
  body?: string | undefined;
}

/** A ping understood: its token and what it says (its time is the host's to add). */
export type ParsedPing =
  | { ok: true; token: string; ping: Omit<HeartbeatPing, 'at'> }
  | { ok: false; status: 400 | 404 | 405; reason: string };

/**
 * Reads a ping request: `GET|POST /ping/<token>` (success) or `/ping/<token>/fail` (the job
 * failed), with an optional message in the body (POST) or `?msg=`. The message loses its
 * control characters and is clipped to MAX_PING_MESSAGE. Pure; the token is not checked against
 * any heartbeat here, only its shape.
 */
export function parsePing(request: PingRequest): ParsedPing {
  if (request.method !== 'GET' && request.method !== 'POST' && request.method !== 'HEAD')
    return { ok: false, status: 405, reason: 'send GET or POST' };
  const match = /^\/ping\/([^/]+)(\/fail|\/ok)?\/?$/.exec(request.path);
  if (!match) return { ok: false, status: 404, reason: 'not a ping URL (/ping/<token>[/fail])' };
  const token = match[1] as string;
  if (!HEARTBEAT_TOKEN.test(token)) return { ok: false, status: 404, reason: 'no such heartbeat' };
  const text = request.body?.trim() ? request.body : request.query;
  const message = text === undefined ? '' : cleanMessage(text);
  return {
    ok: true,
    token,
    ping: { ok: match[2] !== '/fail', ...(message ? { message } : {}) },
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;

/** A job's message made one plain line, at most MAX_PING_MESSAGE characters. */
export function cleanMessage(text: string): string {
  const line = text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > MAX_PING_MESSAGE ? `${chars.slice(0, MAX_PING_MESSAGE - 1).join('')}…` : line;
}
