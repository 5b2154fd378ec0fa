import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTION_BUNDLING, ON_DEMAND_PACKAGES } from '../function-bundling.js';

/** The repository root: where package-lock.json and functions/ live. */
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
 * built by the local esbuild (no Docker, so `cdk synth` works offline), minified, with an external
 * source map and `NODE_OPTIONS=--enable-source-maps` merged into the caller's environment, its
 * own log group with a retention, and a role that may write only to that log group (no managed
 * policy: callers grant exactly what the handler needs).
 */
export class CheckupFunction extends Construct {
  readonly function: NodejsFunction;
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
    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      description: props.description,
      runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      // Advanced logging controls: Lambda keeps each JSON line of the handlers as it is, drops
      // application lines below INFO (the handlers' logger reads the same level from
      // AWS_LAMBDA_LOG_LEVEL and skips them), and keeps its own START/END/REPORT lines.
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: FUNCTION_BUNDLING.target,
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourcemap,
        sourceMapMode: SourceMapMode.EXTERNAL,
        sourcesContent: false,
        externalModules: [...FUNCTION_BUNDLING.external],
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        banner: FUNCTION_BUNDLING.banner,
        tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir, outputDir) => onDemandPackageCommands(outputDir),
        },
      },
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

/**
 * Shell commands that put each on-demand package in the asset as `node_modules/<name>/index.mjs`
 * (one minified ESM file, built by the local esbuild: no install, so synth stays offline).
 */
function onDemandPackageCommands(outputDir: string): string[] {
  const esbuild = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'esbuild');
  return ON_DEMAND_PACKAGES.flatMap((name) => {
    const dir = path.join(outputDir, 'node_modules', name);
    const entry = fileURLToPath(import.meta.resolve(name));
    const manifest = JSON.stringify({ name, type: 'module', exports: './index.mjs' });
    return [
      `mkdir -p "${dir}"`,
      `"${esbuild}" "${entry}" --bundle --platform=node --format=esm --target=${FUNCTION_BUNDLING.target} --minify --log-level=warning --outfile="${path.join(dir, 'index.mjs')}"`,
      `printf '%s' '${manifest}' > "${path.join(dir, 'package.json')}"`,
    ];
  });
}
