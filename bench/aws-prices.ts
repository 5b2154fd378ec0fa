/**
 * AWS list prices the fan-out bench turns requests and durations into dollars with: us-east-1,
 * on-demand, before free tiers. Source: the pricing pages named beside each, as published in
 * 2025 (read 2025-06; this machine cannot reach them, so check them before relying on a figure).
 */
export const AWS_PRICES = {
  source: 'aws.amazon.com/{lambda,sqs,s3,step-functions}/pricing, us-east-1, read 2025-06',
  /** Lambda, arm64: per GB-second of duration, and per request. (aws.amazon.com/lambda/pricing) */
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  /** SQS standard queue: per request; each 64 KiB of a payload is one request. (aws.amazon.com/sqs/pricing) */
  sqsRequest: 0.4 / 1e6,
  sqsChunkBytes: 64 * 1024,
  /** S3 Standard: PUT, COPY, POST, LIST per request; GET and others per request. (aws.amazon.com/s3/pricing) */
  s3Put: 0.005 / 1000,
  s3Get: 0.0004 / 1000,
  /** Step Functions: Standard per state transition; Express per request and GB-second (first 1,000 h). */
  sfnStandardTransition: 0.025 / 1000,
  sfnExpressRequest: 1 / 1e6,
  sfnExpressGbSecond: 0.00001667,
} as const;

/** Minutes in AWS's billing month (730 hours): ticks a month at a one-minute schedule. */
export const TICKS_PER_MONTH = 730 * 60;
