import type { Alert } from './alert.js';
import type { AlertPolicy } from './alert-policy.js';

/** Something that delivers alerts: Slack, Discord, a webhook, SNS (implementations in adapters). */
export interface Notifier {
  /** The key its alert state is kept under (see notifierIds). */
  readonly id: string;
  readonly type: string;
  readonly policy: AlertPolicy;
  /**
   * Delivers one alert, once: no retries here (the shared sender retries). Rejects with a
   * DeliveryError that says whether a retry may help. Never puts a secret in an error message.
   */
  send(alert: Alert, signal: AbortSignal): Promise<void>;
}

/** A delivery that did not succeed. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  /** Whether trying again may succeed (timeouts, 429, 5xx), as opposed to a bad request. */
  readonly retryable: boolean;
  /** What the receiver asked for (429 Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: { retryable: boolean; retryAfterMs?: number | undefined; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}
