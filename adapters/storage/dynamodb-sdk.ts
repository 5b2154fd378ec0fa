import { awsSdk } from '../aws/aws-sdk.js';

/**
 * The DynamoDB client module, imported on first use. Bundlers hoist a static import of an
 * external package to the top of a single-file bundle, so a check function storing in S3 would
 * load it (about 30 ms of its cold start) without ever sending a DynamoDB request.
 */
export const dynamodbSdk = awsSdk.dynamodb;

/** Whether a DynamoDB request failed its ConditionExpression (the SDK's error, matched by name). */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
