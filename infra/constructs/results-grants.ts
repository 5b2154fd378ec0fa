import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';
import { acknowledgeWildcards } from '../nag-findings.js';

/**
 * Lets `role` store runs and keep the summary: in the bucket (S3Storage writes the run file, then
 * reads the summary and newer runs and writes the summary back), or in `table` with the run file
 * and summary mirrored into the bucket for the page and the notify function.
 */
export function grantStoreRuns(role: iam.IRole, bucket: s3.IBucket, table?: dynamodb.ITable): void {
  const runsAndSummary = [
    bucket.arnForObjects(`${RESULTS_LAYOUT.runPrefix}*`),
    bucket.arnForObjects(RESULTS_LAYOUT.summaryKey),
  ];
  // The page documents drawn from the summary: written (and, in the bucket, closed ones read back).
  const pageDocuments = [
    bucket.arnForObjects(RESULTS_LAYOUT.overviewKey),
    bucket.arnForObjects(`${RESULTS_LAYOUT.overviewPartPrefix}*`),
    bucket.arnForObjects(`${RESULTS_LAYOUT.historyPrefix}*`),
    bucket.arnForObjects(`${RESULTS_LAYOUT.recentPrefix}*`),
  ];
  if (table) {
    // DynamodbStorage: the run, one item per result, the latest per endpoint, and the summary
    // item (read, then written conditionally); runs read back when the summary catches up.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StoreRunsAndSummary',
        actions: [
          'dynamodb:PutItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:DeleteItem',
        ],
        resources: [table.tableArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'MirrorRunsAndSummary',
        actions: ['s3:PutObject'],
        resources: [...runsAndSummary, ...pageDocuments],
      }),
    );
  } else {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StoreRunsAndSummary',
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: runsAndSummary,
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WritePageDocuments',
        actions: ['s3:PutObject'],
        resources: pageDocuments,
      }),
    );
    // The writer state leaves closed days and hours in their page documents (docs/scale.md,
    // "Split by time"): the writer reads a block's history back when a day closes for it, and
    // its recent hours when its endpoints change.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadClosedDocuments',
        actions: ['s3:GetObject'],
        resources: [
          bucket.arnForObjects(`${RESULTS_LAYOUT.historyPrefix}*`),
          bucket.arnForObjects(`${RESULTS_LAYOUT.recentPrefix}*`),
        ],
      }),
    );
    // The writers' block states: written once under a fresh name, read back, deleted when replaced
    // or, once an hour, when no summary names them (listed under ListResults, below).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'KeepWriterState',
        actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
        resources: [bucket.arnForObjects(`${RESULTS_LAYOUT.writerStatePrefix}*`)],
      }),
    );
  }
  // S3 answers a read of a key that does not exist yet (the summary on a fresh stack) with 404
  // only to a caller allowed to list the bucket.
  role.addToPrincipalPolicy(listResultsStatement(bucket));
  acknowledgeWildcards(role, [
    [
      bucket.arnForObjects(`${RESULTS_LAYOUT.runPrefix}*`),
      'Each run is a new file named by its time, so the key is not known in advance; confined to the run prefix.',
    ],
    [
      bucket.arnForObjects(`${RESULTS_LAYOUT.overviewPartPrefix}*`),
      'One overview part per block of 50 endpoints, and endpoints change with the config; confined to the overview prefix.',
    ],
    [
      bucket.arnForObjects(`${RESULTS_LAYOUT.writerStatePrefix}*`),
      'One writer state document per block of 50 endpoints, a fresh name each write; confined to the state prefix.',
    ],
    [
      bucket.arnForObjects(`${RESULTS_LAYOUT.historyPrefix}*`),
      'One history document per block of 50 endpoints, and endpoints change with the config; confined to the history prefix.',
    ],
    [
      bucket.arnForObjects(`${RESULTS_LAYOUT.recentPrefix}*`),
      'One document per block of 50 endpoints and hour slot (25), and endpoints change with the config; confined to the recent prefix.',
    ],
  ]);
}

/**
 * Lets `role` write run files and read nothing: a shard of a fanned-out run, whose summary the
 * planner keeps (S3Storage with summaries off only puts its run). With `table`, the shard stores
 * as DynamodbStorage does with summaries off (its run item, one item per result, each endpoint's
 * latest) and mirrors the run file into the bucket, where the notify function is fired by it:
 * only those partitions, never the summary, a state or the alert state, and nothing read.
 */
export function grantWriteRuns(role: iam.IRole, bucket: s3.IBucket, table?: dynamodb.ITable): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'WriteRuns',
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`${RESULTS_LAYOUT.runPrefix}*`)],
    }),
  );
  if (table) {
    const { runPartition, latestPartition, endpointPartitionPrefix } = RESULTS_LAYOUT.table;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PutRunAndLatestItems',
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [runPartition, latestPartition] },
        },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteResultItems',
        actions: ['dynamodb:BatchWriteItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${endpointPartitionPrefix}*`] },
        },
      }),
    );
  }
  acknowledgeWildcards(role, [
    [
      bucket.arnForObjects(`${RESULTS_LAYOUT.runPrefix}*`),
      'Each run is a new file named by its time, so the key is not known in advance; confined to the run prefix.',
    ],
  ]);
}

/**
 * Lets `role` write what the page reads beside the summary: the status badges (with the statuses
 * they show, under the badge prefix) and, unless `pageSettings` is false (checks from another
 * region), its settings; and read back the statuses the badges show, and nothing else there.
 */
export function grantPublishSite(role: iam.IRole, bucket: s3.IBucket, pageSettings = true): void {
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'PublishPageSettingsAndBadges',
      actions: ['s3:PutObject'],
      resources: [
        ...(pageSettings ? [bucket.arnForObjects(RESULTS_LAYOUT.pageKey)] : []),
        bucket.arnForObjects(`${RESULTS_LAYOUT.badgePrefix}*`),
      ],
    }),
  );
  // Read once per container, so a fresh one rewrites only the badges that changed (404 on a new
  // stack: the role lists the bucket, grantStoreRuns).
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadBadgeStatuses',
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects(`${RESULTS_LAYOUT.badgePrefix}${RESULTS_LAYOUT.badgeStatusesName}`)],
    }),
  );
  acknowledgeWildcards(role, [
    [
      bucket.arnForObjects(`${RESULTS_LAYOUT.badgePrefix}*`),
      'One badge per endpoint, named by the endpoint, and endpoints change with the config; confined to the badge prefix.',
    ],
  ]);
}

/**
 * `s3:ListBucket` on the results bucket with no prefix condition. Needed by every function that
 * reads an object which may not exist yet: S3 answers such a GET with 404 NoSuchKey only to a
 * caller allowed to list the bucket, and with 403 AccessDenied to any other, which the functions
 * rightly never take for "absent". A GET carries no s3:prefix, so only a grant without a prefix
 * condition counts. The listing shows keys only, of a bucket the role already reads.
 */
export function listResultsStatement(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ListResults',
    actions: ['s3:ListBucket'],
    resources: [bucket.bucketArn],
  });
}
