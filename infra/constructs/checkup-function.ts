import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUNDLE_SCRIPT } from '../function-bundling.js';

/** The repository root: where package.json, functions/ and scripts/ live. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CheckupFunctionProps {
  /** The handler file, relative to the repository root (e.g. `functions/check-handler.ts`). */
  readonly entry: string;
  /** Shown in the console and in logs. */
  readonly description: string;
  /** Merged over the defaults (`NODE_OPTIONS`); the caller never loses them. */
  readonly environment?: Record<string, string>;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default lambda.Runtime.NODEJS_22_X */
  readonly runtime?: lambda.Runtime;
}

/**
 * A Node.js Lambda function with Checkup's defaults fixed once: arm64, nodejs22.x, an ESM bundle
 * built at synth by the local esbuild (scripts/bundle-function.mjs: minified, source map, AWS SDK
 * left to the runtime; no Docker, so `cdk synth` works offline), `NODE_OPTIONS=--enable-source-maps`
 * merged into the caller's environment, its own log group with a retention, and a role that may
 * write only to that log group (callers grant exactly what the handler needs).
 *
 * Not NodejsFunction: it runs the esbuild command line, which takes no plugins, and one plugin
 * leaves zod's unused locales out (the check bundle goes from ~475 KB to ~210 KB).
 */
export class CheckupFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CheckupFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const runtime = props.runtime ?? lambda.Runtime.NODEJS_22_X;
    this.function = new lambda.Function(this, 'Function', {
      code: bundledCode(props.entry),
      handler: 'index.handler',
      description: props.description,
      runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
    });
    if (runtime === lambda.Runtime.NODEJS_22_X) {
      Validations.of(this.function).acknowledge({
        id: 'AwsSolutions-L1',
        reason:
          'nodejs22.x is the runtime Checkup is built and tested for (esbuild target node22); pass runtime to choose a newer one.',
      });
    }
  }
}

/** The handler bundled at synth time by the local esbuild; the asset is hashed by its output. */
function bundledCode(entry: string): lambda.Code {
  const entryPath = path.join(PROJECT_ROOT, entry);
  return lambda.Code.fromAsset(path.dirname(entryPath), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: local bundling always answers (or throws), so Docker is never needed.
      image: DockerImage.fromRegistry('checkup/bundling-runs-locally'),
      // CDK caches bundling by source folder and options: the entry must be in the options, or
      // every handler of functions/ would get the first one's bundle.
      command: ['bundle', entry],
      local: {
        tryBundle(outputDir) {
          const run = spawnSync(
            process.execPath,
            [path.join(PROJECT_ROOT, BUNDLE_SCRIPT), entryPath, outputDir],
            {
              cwd: PROJECT_ROOT,
              encoding: 'utf8',
            },
          );
          if (run.status !== 0) {
            throw new Error(
              `bundling ${entry} failed (${BUNDLE_SCRIPT}):\n${run.stderr || run.error?.message}`,
            );
          }
          return true;
        },
      },
    },
  });
}
