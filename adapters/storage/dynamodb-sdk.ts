type DynamodbSdk = typeof import('@aws-sdk/client-dynamodb');

let loading: Promise<DynamodbSdk> | undefined;

/**
 * The DynamoDB client module, imported on first use. Bundlers hoist a static import of an
 * external package to the top of a single-file bundle, so a check function storing in S3 would
 * load it (about 30 ms of its cold start) without ever sending a DynamoDB request.
 */
export function dynamodbSdk(): Promise<DynamodbSdk> {
  // A CommonJS package imported dynamically: Node offers its exports by name, while the CLI
  // bundle (esbuild, code splitting) offers them only as the default export.
  loading ??= import('@aws-sdk/client-dynamodb').then(
    (module) => (module as { default?: DynamodbSdk }).default ?? module,
  );
  return loading;
}

/** Whether a DynamoDB request failed its ConditionExpression (the SDK's error, matched by name). */
export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
