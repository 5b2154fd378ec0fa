import { createHash } from 'node:crypto';
import { type PingRateLimit, PingRateLimiter } from '../heartbeat/ping-rate-limiter.js';
import { parseSubscribeRequest, type SubscribeRequest } from './parse-subscribe-request.js';

/** Where an address is subscribed (an SNS topic with `email` subscriptions, which confirm by mail). */
export interface SubscribersTopic {
  subscribe(address: string): Promise<void>;
}

/** What the subscriber is answered. The body never repeats the address. */
export interface SubscribeAnswer {
  status: 202 | 400 | 403 | 405 | 413 | 415 | 429 | 502;
  body: string;
  /** Seconds to wait, with a 429. */
  retryAfterSeconds?: number;
  /** A salted hash of the address (salt of this process only), for the host's log line. */
  addressHash?: string;
  /** Which limit refused it, with a 429. */
  limit?: 'source' | 'address' | 'overall';
  /** With a 502, the name of the topic's error (never its message, which may quote the address). */
  failure?: string;
}

/** The same words whether the address was new, pending or subscribed already. */
export const SUBSCRIBE_ACCEPTED =
  'If the address can receive mail, a message asking to confirm the subscription is on its way. Follow its link to subscribe.\n';

/** How much one host admits (fixed windows, counted in memory). */
export interface SubscribeLimits {
  /** Per source IP address. */
  source: PingRateLimit;
  /** Per address (SNS mails a confirmation each time: no mail flood to one inbox). */
  address: PingRateLimit;
  /** All requests together. */
  overall: PingRateLimit;
}

/** 5 an hour from one IP, 3 a day to one address, 60 a minute in all. */
export const DEFAULT_SUBSCRIBE_LIMITS: SubscribeLimits = {
  source: { pings: 5, windowMs: 3_600_000 },
  address: { pings: 3, windowMs: 86_400_000 },
  overall: { pings: 60, windowMs: 60_000 },
};

/**
 * Subscribes addresses to the status page's updates: reads and checks the request, refuses other
 * pages' origins, counts it against per-source, per-address and overall limits, and hands the
 * address to the topic (whose confirmation mail the subscriber must follow). Nothing is kept
 * but the counters, which live as long as the host's memory: one warm Lambda environment.
 */
export class SubscriptionReceiver {
  readonly #topic: SubscribersTopic;
  readonly #origins: ReadonlySet<string>;
  readonly #limiters: Record<keyof SubscribeLimits, PingRateLimiter>;
  readonly #salt: string;

  constructor(options: {
    topic: SubscribersTopic;
    /** The page's origins (`https://status.example.com`): a browser request from another is refused. */
    allowedOrigins: readonly string[];
    limits?: SubscribeLimits;
    /** Random, per process: the log's hashes cannot be matched against a list of addresses elsewhere. */
    salt: string;
  }) {
    this.#topic = options.topic;
    this.#origins = new Set(options.allowedOrigins);
    const limits = options.limits ?? DEFAULT_SUBSCRIBE_LIMITS;
    this.#limiters = {
      source: new PingRateLimiter(limits.source),
      address: new PingRateLimiter(limits.address),
      overall: new PingRateLimiter(limits.overall),
    };
    this.#salt = options.salt;
  }

  /** Answers one request from `sourceIp`, sent by a page at `origin` (the Origin header, if any). */
  async receive(
    request: SubscribeRequest & { sourceIp: string; origin: string | undefined },
    nowMs: number,
  ): Promise<SubscribeAnswer> {
    // A form on another site can POST here without CORS's leave (a "simple" request); a browser
    // always names its origin on a cross-origin POST, so refuse it before anything is counted.
    if (request.origin !== undefined && !this.#origins.has(request.origin))
      return { status: 403, body: 'subscribe on the status page\n' };
    const refused = this.#limit('source', request.sourceIp, nowMs) ?? this.#limit('overall', '*', nowMs);
    if (refused) return refused;
    const parsed = parseSubscribeRequest(request);
    if (!parsed.ok) return { status: parsed.status, body: `${parsed.reason}\n` };
    const address = parsed.address.toLowerCase();
    const addressHash = createHash('sha256').update(`${this.#salt}\n${address}`).digest('hex').slice(0, 16);
    const perAddress = this.#limit('address', addressHash, nowMs);
    // Past its limit an address is told what any address is: nothing reveals it was asked for.
    if (perAddress) return { status: 202, body: SUBSCRIBE_ACCEPTED, addressHash, limit: 'address' };
    try {
      await this.#topic.subscribe(parsed.address);
    } catch (error) {
      // The error's name only: a message from the topic may quote the address.
      const failure = error instanceof Error ? error.name : 'Error';
      return {
        status: 502,
        body: 'the subscription could not be made now; try again later\n',
        addressHash,
        failure,
      };
    }
    return { status: 202, body: SUBSCRIBE_ACCEPTED, addressHash };
  }

  #limit(which: keyof SubscribeLimits, key: string, nowMs: number): SubscribeAnswer | undefined {
    const limiter = this.#limiters[which];
    if (limiter.admit(key, nowMs)) return undefined;
    return {
      status: 429,
      body: 'too many subscribe requests: try again later\n',
      retryAfterSeconds: Math.max(1, Math.ceil(limiter.retryAfterMs(key, nowMs) / 1000)),
      limit: which,
    };
  }
}
