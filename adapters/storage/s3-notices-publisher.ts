import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AlertState } from '../../core/alerts/alert-state.js';
import { CACHE_RULES } from '../../core/cache-rules.js';
import { buildAtomFeed } from '../../core/incidents/atom-feed.js';
import { publicNotices } from '../../core/incidents/public-notices.js';
import type { MaintenanceWindow } from '../../core/maintenance/maintenance-window.js';
import type { StatusSummary } from '../../core/summary/summary-types.js';

export interface S3NoticesPublisherOptions {
  /** Built once by the caller (module scope in a Lambda) and reused. */
  client: S3Client;
  bucket: string;
  /** Where `/data/notices.json` and `/data/feed.atom` live, and the summary whose timeline the feed tells. */
  noticesKey: string;
  feedKey: string;
  summaryKey: string;
}

/**
 * Writes what users are told beside the status for CloudFront: the notices (maintenance under way
 * and within 7 days, incidents) and the Atom feed. Each object is written only when its content
 * changed since this container last wrote it.
 */
export class S3NoticesPublisher {
  readonly #options: S3NoticesPublisherOptions;
  readonly #written = new Map<string, string>();

  constructor(options: S3NoticesPublisherOptions) {
    this.#options = options;
  }

  async publish(
    title: string,
    windows: readonly MaintenanceWindow[],
    state: AlertState,
    nowMs: number,
  ): Promise<void> {
    const notices = publicNotices([...windows, ...(state.maintenance ?? [])], state.incidents ?? [], nowMs);
    const timeline = (await this.#summary())?.timeline ?? [];
    // The feed's `updated` follows its entries, so an unchanged feed is the same bytes.
    const feed = buildAtomFeed({ title, notices, timeline, nowMs });
    await this.#write(this.#options.noticesKey, JSON.stringify(notices), 'application/json; charset=utf-8');
    await this.#write(this.#options.feedKey, feed, 'application/atom+xml; charset=utf-8');
  }

  async #summary(): Promise<StatusSummary | undefined> {
    try {
      const answer = await this.#options.client.send(
        new GetObjectCommand({ Bucket: this.#options.bucket, Key: this.#options.summaryKey }),
      );
      return JSON.parse((await answer.Body?.transformToString('utf8')) ?? '{}') as StatusSummary;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async #write(key: string, body: string, type: string): Promise<void> {
    if (this.#written.get(key) === body) return;
    await this.#options.client.send(
      new PutObjectCommand({
        Bucket: this.#options.bucket,
        Key: key,
        Body: body,
        ContentType: type,
        CacheControl: CACHE_RULES.revalidate,
      }),
    );
    this.#written.set(key, body);
  }
}
