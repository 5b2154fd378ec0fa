import type { AppinsightsStorageConfig } from '../../core/config/storage-schemas.js';
import { type Result, timestampDigits } from '../../core/result.js';
import type { RunRef, Storage } from '../../core/storage.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';
import { type AvailabilityEnvelope, availabilityEnvelope } from './availability-envelope.js';

/** Where classic instrumentation-key telemetry goes when no connection string names a region's endpoint. */
export const APPINSIGHTS_INGESTION_URL = 'https://dc.services.visualstudio.com';
/** checkup's `test_location` when left out. */
export const DEFAULT_TEST_LOCATION = 'Checkup Monitor';
/** checkup's `timeout` when left out: seconds one send may take. */
const DEFAULT_TIMEOUT_S = 2;
/** Item statuses the ingestion endpoint says are worth sending again (in a 206's `errors`). */
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/** A send to Application Insights failed; the message names the status and what the endpoint said. */
export class AppInsightsError extends Error {
  override readonly name = 'AppInsightsError';
}

/** A storage that only sends runs on was asked for stored runs. */
export class WriteOnlyStorageError extends Error {
  override readonly name = 'WriteOnlyStorageError';
}

/** The instrumentation key and ingestion endpoint a config names (its connection string wins). */
export function ingestionTarget(config: AppinsightsStorageConfig): { key: string; url: string } {
  const parts = new Map(
    (config.connection_string ?? '')
      .split(';')
      .map((part) => part.split('=') as [string, string?])
      .filter(([, value]) => value !== undefined)
      .map(([name, ...value]) => [name.trim().toLowerCase(), value.join('=').trim()]),
  );
  const key = parts.get('instrumentationkey') || config.instrumentation_key || '';
  const base = config.endpoint ?? (parts.get('ingestionendpoint') || APPINSIGHTS_INGESTION_URL);
  return { key, url: `${base.replace(/\/+$/, '')}/v2/track` };
}

/**
 * checkup's `appinsights` storage: every result of a run is sent to Application Insights as
 * availability telemetry (what trackAvailability sends), in one request to the ingestion endpoint.
 * Nothing is kept: like checkup's, it is a sink, so `list`, `read`, `history` and the summary
 * refuse (the CLI refuses the commands that read before they start). With checkup's retry keys
 * both above 0, items the endpoint could not take are sent again `max_retries` times,
 * `retry_interval` seconds apart; each send may take `timeout` seconds.
 */
export class AppInsightsStorage implements Storage {
  readonly #key: string;
  readonly #url: string;
  readonly #config: AppinsightsStorageConfig;

  constructor(config: AppinsightsStorageConfig) {
    const target = ingestionTarget(config);
    this.#key = target.key;
    this.#url = target.url;
    this.#config = config;
  }

  async store(results: readonly Result[]): Promise<RunRef> {
    const first = results[0];
    const digits = first ? timestampDigits(first) : BigInt(Date.now()) * 1_000_000n;
    let items = results.map((result) =>
      availabilityEnvelope(result, {
        instrumentationKey: this.#key,
        runLocation: this.#config.test_location || DEFAULT_TEST_LOCATION,
        tags: this.#config.tags,
      }),
    );
    const interval = this.#config.retry_interval ?? 0;
    const retries = interval > 0 ? (this.#config.max_retries ?? 0) : 0;
    for (let attempt = 0; items.length > 0; attempt += 1) {
      const failed = await this.#send(items, attempt >= retries);
      if (failed.length === 0) break;
      items = failed;
      await new Promise((resolve) => setTimeout(resolve, interval * 1000));
    }
    return { name: `${digits}-check.json`, timestamp: Number(digits) };
  }

  /** Sends the items; returns those to send again, or throws when `last` or nothing can be retried. */
  async #send(items: AvailabilityEnvelope[], last: boolean): Promise<AvailabilityEnvelope[]> {
    let response: Response;
    try {
      response = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(items),
        signal: AbortSignal.timeout((this.#config.timeout || DEFAULT_TIMEOUT_S) * 1000),
      });
    } catch (error) {
      if (!last) return items;
      const reason = (error as Error).name === 'TimeoutError' ? 'timed out' : 'could not connect';
      throw new AppInsightsError(`Application Insights ${this.#url}: ${reason}`, { cause: error });
    }
    const text = await response.text().catch(() => '');
    if (response.status === 200) return [];
    const answer = parseAnswer(text);
    if (response.status === 206 && answer) {
      const again = answer.errors.filter((error) => RETRYABLE.has(error.statusCode));
      const refused = answer.errors.filter((error) => !RETRYABLE.has(error.statusCode));
      if (refused.length > 0 || (again.length > 0 && last))
        throw new AppInsightsError(
          `Application Insights took ${answer.itemsAccepted} of ${answer.itemsReceived} results: ${describe(answer.errors)}`,
        );
      return again.flatMap((error) => items[error.index] ?? []);
    }
    if (RETRYABLE.has(response.status) && !last) return items;
    const said = answer?.errors.length ? describe(answer.errors) : text.trim().slice(0, 200);
    throw new AppInsightsError(
      `Application Insights ${this.#url}: HTTP ${response.status}${said ? `: ${said}` : ''}`,
    );
  }

  list(): Promise<never> {
    return this.#refuse();
  }

  read(): Promise<never> {
    return this.#refuse();
  }

  readSummary(): Promise<StatusSummary | undefined> {
    return this.#refuse();
  }

  history(): Promise<never> {
    return this.#refuse();
  }

  updateSummary(): Promise<never> {
    return this.#refuse();
  }

  rebuildSummary(): Promise<never> {
    return this.#refuse();
  }

  #refuse(): Promise<never> {
    return Promise.reject(
      new WriteOnlyStorageError(
        'appinsights storage sends each run to Application Insights and keeps nothing to read back; use fs, s3, dynamodb or github storage for history and the status page',
      ),
    );
  }
}

interface TrackAnswer {
  itemsReceived: number;
  itemsAccepted: number;
  errors: Array<{ index: number; statusCode: number; message: string }>;
}

function parseAnswer(text: string): TrackAnswer | undefined {
  try {
    const answer = JSON.parse(text) as Partial<TrackAnswer>;
    return Array.isArray(answer.errors) ? (answer as TrackAnswer) : undefined;
  } catch {
    return undefined;
  }
}

function describe(errors: TrackAnswer['errors']): string {
  return errors
    .slice(0, 3)
    .map((error) => `item ${error.index}: ${error.statusCode} ${String(error.message).slice(0, 120)}`)
    .join('; ');
}
