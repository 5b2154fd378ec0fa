/**
 * Where things live in the results bucket (and table). The infra grants, lifecycle rules and
 * CloudFront paths are all derived from these, so they stay in step with what the functions write.
 */
export const RESULTS_LAYOUT = {
  /** Run files: `<runPrefix><unix-ns>-check.json`, immutable, one per run. */
  runPrefix: 'checks/',
  /** Summary documents the status page reads (`/data/summary.json` -> `<summaryPrefix>summary.json`). */
  summaryPrefix: 'summaries/',
  /** The summary document (S3Storage's default key). */
  summaryKey: 'summaries/summary.json',
  /** The page's settings from the config's `status_page` (`/data/page.json`), written by the check function. */
  pageKey: 'summaries/page.json',
  /** Status badges (`/data/badge/<endpoint name>.svg` -> `<badgePrefix><endpoint name>.svg`), written by the check function. */
  badgePrefix: 'summaries/badges/',
  /** Alert state kept by the notify function between runs. */
  statePrefix: 'state/',
  /** The last config that validated, used when a later edit is invalid. Never served. */
  lastValidConfigKey: 'config/last-valid.json',
  tablePartitionKey: 'pk',
  tableSortKey: 'sk',
  tableTtlAttribute: 'expires',
} as const;
