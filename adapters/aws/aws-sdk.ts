type Sdks = {
  s3: typeof import('@aws-sdk/client-s3');
  dynamodb: typeof import('@aws-sdk/client-dynamodb');
  ssm: typeof import('@aws-sdk/client-ssm');
  sns: typeof import('@aws-sdk/client-sns');
  sesv2: typeof import('@aws-sdk/client-sesv2');
  sqs: typeof import('@aws-sdk/client-sqs');
};

/**
 * The AWS SDK client packages, each imported on first use and once: the SDK takes a while to
 * load, and most runs of `checkup` (and a check function storing in S3) need only part of it.
 *
 * Every dynamic import of an `@aws-sdk/*` package goes through here (a test holds the code to
 * it), because the packages are CommonJS: Node offers their exports by name, but the CLI bundle
 * (esbuild, code splitting) offers them only as the default export, and a named class read from
 * the namespace is then undefined ("a is not a constructor" in the built `checkup`).
 */
export const awsSdk: { readonly [K in keyof Sdks]: () => Promise<Sdks[K]> } = {
  s3: once(() => import('@aws-sdk/client-s3')),
  dynamodb: once(() => import('@aws-sdk/client-dynamodb')),
  ssm: once(() => import('@aws-sdk/client-ssm')),
  sns: once(() => import('@aws-sdk/client-sns')),
  sesv2: once(() => import('@aws-sdk/client-sesv2')),
  sqs: once(() => import('@aws-sdk/client-sqs')),
};

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().then((module) => (module as { default?: T }).default ?? module);
    return loading;
  };
}
