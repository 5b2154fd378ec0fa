import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RESULTS_LAYOUT } from '../../core/results-layout.js';

export type StorageKind = 's3' | 'dynamodb';

export interface ResultsStoreProps {
  /**
   * How long run files are kept (checkup's `check_expiry`); S3 lifecycle deletes older ones,
   * DynamoDB's TTL removes older rows.
   * @default Duration.days(90)
   */
  readonly checkExpiry?: Duration;
  /**
   * Where runs go: the results bucket, or also a DynamoDB table (for history queries). The run
   * files, the summary and the last valid config are in the bucket either way: the status page
   * and the notify function read them there.
   * @default 's3'
   */
  readonly storage?: StorageKind;
  /**
   * A fixed bucket name, needed when check stacks in other regions write into this bucket.
   * @default - a name CloudFormation picks
   */
  readonly bucketName?: string;
  /**
   * What happens to the stored runs when the stack is deleted.
   * @default RemovalPolicy.RETAIN (history is never lost by accident)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Where results live: a private, encrypted, SSL-only bucket whose run files expire after
 * `checkExpiry`, and optionally a DynamoDB table with TTL.
 */
export class ResultsStore extends Construct {
  readonly bucket: s3.Bucket;
  readonly table?: dynamodb.Table;
  readonly storage: StorageKind;
  /** How long runs are kept (the lifecycle rule; the check function sets each row's TTL from it). */
  readonly checkExpiry: Duration;

  constructor(scope: Construct, id: string, props: ResultsStoreProps = {}) {
    super(scope, id);
    const expiry = props.checkExpiry ?? Duration.days(90);
    this.checkExpiry = expiry;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.storage = props.storage ?? 's3';
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      removalPolicy,
      autoDeleteObjects: false,
      lifecycleRules: [
        {
          id: 'expire-runs',
          prefix: RESULTS_LAYOUT.runPrefix,
          // S3 expires in whole days; a shorter check_expiry still keeps a day.
          expiration: Duration.days(Math.max(1, Math.ceil(expiry.toHours() / 24))),
        },
        // Each only says who applied a fanned-out tick, for the minute that tick is decided.
        { id: 'expire-tick-claims', prefix: RESULTS_LAYOUT.tickClaimPrefix, expiration: Duration.days(1) },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only Checkup functions and CloudFront (OAC) can reach this bucket; every write is a run file named by its time, so access logs would add cost and no audit value.',
    });

    if (this.storage === 'dynamodb') {
      this.table = new dynamodb.Table(this, 'Table', {
        partitionKey: { name: RESULTS_LAYOUT.table.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: RESULTS_LAYOUT.table.sortKey, type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        timeToLiveAttribute: RESULTS_LAYOUT.table.ttlAttribute,
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        removalPolicy,
      });
    }
  }
}
