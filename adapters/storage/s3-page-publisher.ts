import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CACHE_RULES } from '../../core/cache-rules.js';
import type { Result } from '../../core/result.js';
import { statusOf } from '../../core/result.js';
import { stringifyResults } from '../../core/result-json.js';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import type { EndpointStatus } from '../../core/summary/page-document-types.js';
import { pageSettings, type StatusPageKeys } from '../../core/summary/page-settings.js';
import { renderBadge } from '../../core/summary/render-badge.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';

export interface S3PagePublisherOptions {
  /** Built once by the caller (module scope in a Lambda) and reused. */
  client: S3Client;
  bucket: string;
  /** Where the page settings go (`/data/page.json`); none: not published. */
  pageKey?: string;
  /**
   * Where badges go, `<badgePrefix><endpoint name>.svg`, with the statuses they show
   * (`<badgePrefix>shown.json`); none: not published.
   */
  badgePrefix?: string;
  /** Where the page's subscribe form posts (a stack with subscriptions); none: no form. */
  subscribeUrl?: string;
  /** How often the checks run, so the page can tell stale data. */
  checkIntervalMs?: number;
  /** Where mirrored run files go (`<prefix><name>`), as S3Storage's `prefix`. Default `checks/`. */
  prefix?: string;
  /** Where the mirrored summary goes. Default `summaries/summary.json`. */
  summaryKey?: string;
}

/**
 * The objects the status page reads from the results bucket beside the runs: the page settings
 * (`/data/page.json`), one status badge per endpoint, and, when runs are stored elsewhere
 * (DynamoDB), a mirror of each run file and of the summary. The settings are written once per
 * cold start, then on changes; a badge only when its status changes, whatever the container: the
 * statuses the badges show are kept beside them, read once per container (docs/scale.md).
 */
export class S3PagePublisher {
  readonly #options: S3PagePublisherOptions;
  #publishedPage: string | undefined;
  readonly #publishedBadges = new Map<string, EndpointStatus>();
  /** The stored statuses, read into `#publishedBadges` once: the read's error, if it failed. */
  #badgesRead: Promise<unknown> | undefined;
  /** The last write of the statuses: each waits for the one before, so the newest lands last. */
  #statusesWritten: Promise<void> = Promise.resolve();

  constructor(options: S3PagePublisherOptions) {
    this.#options = options;
  }

  /** The page settings and the badges of a run, each written only when changed. */
  async publish(
    statusPage: StatusPageKeys | undefined,
    results: readonly Result[],
    summary?: StatusSummary,
  ): Promise<void> {
    await Promise.all([this.publishPageSettings(statusPage), this.publishBadges(results, summary)]);
  }

  /** The config's `status_page` (title, banners, refresh, and a stale rule from the schedule). */
  async publishPageSettings(statusPage: StatusPageKeys | undefined): Promise<void> {
    const key = this.#options.pageKey;
    if (!key) return;
    const { subscribeUrl } = this.#options;
    const body = JSON.stringify({
      ...pageSettings(statusPage, this.#options.checkIntervalMs),
      ...(subscribeUrl ? { subscribeUrl } : {}),
    });
    if (body === this.#publishedPage) return;
    await this.#put(key, body, 'application/json', CACHE_RULES.revalidate);
    this.#publishedPage = body;
  }

  /**
   * Each endpoint of a run's badge, written when its status changed: the status the summary
   * shows (with several regions, their vote; unknown while the probe is offline), else the run's.
   * The statuses shown are written after the badges, so a badge whose write failed, or never
   * happened (a container stopped halfway), still differs from them and is written next time.
   */
  async publishBadges(results: readonly Result[], summary?: StatusSummary): Promise<void> {
    const prefix = this.#options.badgePrefix;
    if (!prefix) return;
    const unread = await this.#readBadgeStatuses(prefix);
    const shown = new Map(summary?.endpoints.map((endpoint) => [endpoint.title, endpoint.status]));
    const writes = await Promise.allSettled(
      results.map(async (result) => {
        const status = shown.get(result.title) ?? statusOf(result);
        if (this.#publishedBadges.get(result.title) === status) return false;
        await this.#put(
          `${prefix}${result.title}.svg`,
          renderBadge(result.title, status),
          'image/svg+xml',
          CACHE_RULES.badge,
        );
        this.#publishedBadges.set(result.title, status);
        return true;
      }),
    );
    if (writes.some((write) => write.status === 'fulfilled' && write.value)) {
      const body = JSON.stringify({ version: 1, shown: Object.fromEntries(this.#publishedBadges) });
      this.#statusesWritten = this.#statusesWritten
        .catch(() => undefined)
        .then(() =>
          this.#put(
            `${prefix}${RESULTS_LAYOUT.badgeStatusesName}`,
            body,
            'application/json',
            CACHE_RULES.revalidate,
          ),
        );
      await this.#statusesWritten;
    }
    const failed = writes.find((write) => write.status === 'rejected');
    if (failed) throw failed.reason;
    if (unread) {
      // Told once: this container knows its badges now.
      this.#badgesRead = Promise.resolve(undefined);
      throw new Error('badge statuses not read: this container wrote every badge', { cause: unread });
    }
  }

  /**
   * What the badges show, as the last container to write them left it. None stored (a new
   * stack), not statuses, or not read (its error is returned): every badge is written once, as
   * before there were stored statuses, and never fewer than changed.
   */
  #readBadgeStatuses(prefix: string): Promise<unknown> {
    this.#badgesRead ??= this.#get(`${prefix}${RESULTS_LAYOUT.badgeStatusesName}`).then(
      (stored) => {
        for (const [title, status] of Object.entries(badgeStatusesOf(stored)))
          if (!this.#publishedBadges.has(title)) this.#publishedBadges.set(title, status);
        return undefined;
      },
      (error: unknown) => error ?? new Error('badge statuses not read'),
    );
    return this.#badgesRead;
  }

  /** A run stored elsewhere, as the run file and the summary's head the notify function reads (2 PUTs). */
  async mirrorRun(name: string, results: readonly Result[], summary?: StatusSummary): Promise<void> {
    const { prefix = RESULTS_LAYOUT.runPrefix } = this.#options;
    await this.#put(`${prefix}${name}`, stringifyResults(results), 'application/json', CACHE_RULES.run);
    if (summary) await this.mirrorSummary(summary);
  }

  /**
   * The head of a summary kept elsewhere (1 PUT, a few KB whatever the endpoints): its timeline,
   * which the notify function's feed tells, and its last runs. Every endpoint's figures and
   * history are in the page documents the store wrote (`putDocument`), which is all the page
   * reads; the writers' bookkeeping stays with the store. So the whole summary, megabytes at
   * 1,000 endpoints, is never written here (docs/storage.md).
   */
  async mirrorSummary(summary: StatusSummary): Promise<void> {
    const { summaryKey = RESULTS_LAYOUT.summaryKey } = this.#options;
    const { endpoints: _endpoints, writer: _writer, ...head } = summary;
    const body = JSON.stringify({ ...head, endpoints: [] } satisfies StatusSummary);
    await this.#put(summaryKey, body, 'application/json', CACHE_RULES.summary);
  }

  /** A page document (`overview.json`, `history/0.json`, ...) beside the summary, for a storage that keeps it elsewhere. */
  async putDocument(name: string, body: string): Promise<void> {
    const { summaryKey = RESULTS_LAYOUT.summaryKey } = this.#options;
    const key = summaryKey.slice(0, summaryKey.lastIndexOf('/') + 1) + name;
    await this.#put(key, body, 'application/json', CACHE_RULES.summary);
  }

  /** An object's text; undefined when there is none. */
  async #get(key: string): Promise<string | undefined> {
    try {
      const answer = await this.#options.client.send(
        new GetObjectCommand({ Bucket: this.#options.bucket, Key: key }),
      );
      return await answer.Body?.transformToString();
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async #put(key: string, body: string, contentType: string, cacheControl: string): Promise<void> {
    await this.#options.client.send(
      new PutObjectCommand({
        Bucket: this.#options.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        CacheControl: cacheControl,
      }),
    );
  }
}

const STATUSES: ReadonlySet<string> = new Set<EndpointStatus>(['healthy', 'degraded', 'down', 'unknown']);

/** The stored statuses' entries that are statuses; none from a document that is not one. */
function badgeStatusesOf(text: string | undefined): Record<string, EndpointStatus> {
  if (!text) return {};
  let shown: unknown;
  try {
    shown = (JSON.parse(text) as { shown?: unknown }).shown;
  } catch {
    return {};
  }
  if (typeof shown !== 'object' || shown === null) return {};
  return Object.fromEntries(
    Object.entries(shown).filter((entry): entry is [string, EndpointStatus] =>
      STATUSES.has(String(entry[1])),
    ),
  );
}
