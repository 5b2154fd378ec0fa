const RUN_SECONDS = 365 * 86_400;
const SUMMARY_SECONDS = 30;

/**
 * How long each kind of object may be cached, for every place that serves or writes one: the S3
 * storage and page publisher (as `Cache-Control` on the objects), `checkup serve`, and the status
 * site's CloudFront cache policy.
 */
export const CACHE_RULES = {
  /** Run files never change once written, so a CDN or browser may keep them forever. */
  run: `public, max-age=${RUN_SECONDS}, immutable`,
  /** How long, in seconds, `run` lets a run file be kept (CloudFront's TTL for runs). */
  runSeconds: RUN_SECONDS,
  /**
   * The summary changes every run; a page 30 s behind is fine, and caching it that long lets
   * CloudFront answer most page views without reading S3 (the status site's cache policy keeps
   * it exactly as long).
   */
  summary: `public, max-age=${SUMMARY_SECONDS}`,
  /** How long, in seconds, `summary` lets the summary be kept (CloudFront's TTL for it). */
  summarySeconds: SUMMARY_SECONDS,
  /** A badge changes only with its endpoint's status; a minute behind is fine for a README. */
  badge: 'public, max-age=60',
  /** Revalidate every time (cheap with an ETag): the page settings and local files change in place. */
  revalidate: 'no-cache',
} as const;
