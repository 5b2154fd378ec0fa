/**
 * Where things live in the results bucket (and table): the one source for the storage adapters'
 * defaults, the functions' keys, and the infra's grants, lifecycle rules and CloudFront paths,
 * so all of them stay in step with what the functions write.
 */
export const RESULTS_LAYOUT = {
  /** Run files: `<runPrefix><unix-ns>-check.json`, immutable, one per run. */
  runPrefix: 'checks/',
  /** Summary documents the status page reads (`/data/summary.json` -> `<summaryPrefix>summary.json`). */
  summaryPrefix: 'summaries/',
  /** The summary document (S3Storage's default key): the writers' whole state, no longer read by the page. */
  summaryKey: 'summaries/summary.json',
  /**
   * The page documents of core/summary/page-document-types.ts, each `<summaryPrefix><name>`:
   * `/data/overview.json` -> `overviewKey`, `/data/history/<block>.json` -> `<historyPrefix><block>.json`,
   * `/data/recent/<block>-<slot>.json` -> `<recentPrefix><block>-<slot>.json`.
   */
  overviewKey: 'summaries/overview.json',
  /** A split overview's parts, `<overviewPartPrefix><block>.json` (above 200 endpoints). */
  overviewPartPrefix: 'summaries/overview/',
  /**
   * The writers' block states beside the summary (`<writerStatePrefix><block>-<generation>.json`,
   * core/summary/summary-state-types.ts): written once each, read by the next writers, deleted
   * once replaced for 15 minutes.
   */
  writerStatePrefix: 'summaries/state/',
  historyPrefix: 'summaries/history/',
  recentPrefix: 'summaries/recent/',
  /** The page's settings from the config's `status_page` (`/data/page.json`), written by the check function. */
  pageKey: 'summaries/page.json',
  /** Maintenance and incidents for the page (`/data/notices.json`), written by the notify function. */
  noticesKey: 'summaries/notices.json',
  /** The Atom feed of incidents, maintenance and status changes (`/data/feed.atom`), written by the notify function. */
  feedKey: 'summaries/feed.atom',
  /** Status badges (`/data/badge/<endpoint name>.svg` -> `<badgePrefix><endpoint name>.svg`), written by the check function. */
  badgePrefix: 'summaries/badges/',
  /**
   * The status each badge shows (`{ "version": 1, "shown": { <endpoint name>: <status> } }`) under
   * `badgePrefix`, written by the check function after the badges it changed and read once per
   * container, so a fresh container writes only the badges whose status changed. Never served
   * (the page's badge path maps `.svg` names only).
   */
  badgeStatusesName: 'shown.json',
  /** Alert state kept by the notify function between runs. */
  statePrefix: 'state/',
  /** The alert state object's name under `statePrefix` (and the file's name in fs storage). */
  alertStateName: 'alert-state.json',
  /**
   * Who applies a fanned-out tick: `<tickClaimPrefix><tick>-<region>.json`, created once (a
   * conditional write) by the notify invocation that first sees the tick whole. Expire in a day.
   */
  tickClaimPrefix: 'state/ticks/',
  /**
   * Heartbeat pings: `<heartbeatPrefix><sha256(token)>.json`, the newest ping of each heartbeat,
   * written by the ping function (or `checkup serve`), read by the check. Never served.
   */
  heartbeatPrefix: 'heartbeats/',
  /** The last config that validated, used when a later edit is invalid. Never served. */
  lastValidConfigKey: 'config/last-valid.json',
  /**
   * A config too big for one SSM parameter, put by `checkup config push`; the parameter points to
   * it with its sha-256. Never served.
   */
  configObjectKey: 'config/checkup.json',
  /** The DynamoDB table's keys and TTL attribute (DynamoDbStorage, provisioning, the CDK table). */
  table: {
    partitionKey: 'pk',
    sortKey: 'sk',
    ttlAttribute: 'expires',
    /** The partitions a store writes (so grants can name them): runs, `<endpointPrefix><title>`, latest. */
    runPartition: 'RUN',
    endpointPartitionPrefix: 'EP#',
    latestPartition: 'LATEST',
  },
} as const;
