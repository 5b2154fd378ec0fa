import { type ChildProcess, fork } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IamPolicy } from './iam-policy.js';
import type { TemplateJson, TemplateResolver } from './template-resolver.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./lambda-runtime-child.mjs', import.meta.url));

/** A Lambda function as the synthesized app deploys it. */
export interface DeployedFunction {
  logicalId: string;
  /** The asset directory in the cloud assembly (what is zipped and uploaded). */
  assetDir: string;
  /** The handler file in it (`index.handler` -> `index.mjs`). */
  handlerFile: string;
  /**
   * The environment the template gives it, resolved, with what Lambda adds from its LoggingConfig
   * (AWS_LAMBDA_LOG_FORMAT, AWS_LAMBDA_LOG_LEVEL).
   */
  environment: Record<string, string>;
  /** Its role's identity policy, resolved. */
  policy: IamPolicy;
}

/** The function whose logical id contains `part`, with its bundle, environment and role policy. */
export function deployedFunction(
  template: TemplateJson,
  resolver: TemplateResolver,
  assemblyDir: string,
  part: string,
): DeployedFunction {
  const ids = Object.keys(template.Resources).filter(
    (id) => template.Resources[id]?.Type === 'AWS::Lambda::Function' && id.includes(part),
  );
  if (ids.length !== 1)
    throw new Error(`expected one function with "${part}" in its id, found ${ids.join(', ')}`);
  const logicalId = ids[0] as string;
  const properties = template.Resources[logicalId]?.Properties as {
    Code: { S3Key: string };
    Handler: string;
    Role: { 'Fn::GetAtt': [string, string] };
    Environment?: { Variables: Record<string, unknown> };
    LoggingConfig?: { LogFormat?: string; ApplicationLogLevel?: string };
  };
  const logging = properties.LoggingConfig ?? {};
  const roleId = properties.Role['Fn::GetAtt'][0];
  return {
    logicalId,
    assetDir: path.join(assemblyDir, `asset.${properties.Code.S3Key.replace(/\.zip$/, '')}`),
    handlerFile: `${properties.Handler.split('.')[0]}.mjs`,
    environment: {
      ...(resolver.resolve(properties.Environment?.Variables ?? {}) as Record<string, string>),
      ...(logging.LogFormat ? { AWS_LAMBDA_LOG_FORMAT: logging.LogFormat } : {}),
      ...(logging.ApplicationLogLevel ? { AWS_LAMBDA_LOG_LEVEL: logging.ApplicationLogLevel } : {}),
    },
    policy: new IamPolicy(resolver.roleStatements(roleId)),
  };
}

export interface RunningLambda {
  /** Invokes the handler with `event` in the same (warm) process; rejects with the handler's error. */
  invoke<T = unknown>(event: unknown): Promise<T>;
  /** What the function wrote to stdout (its JSON log lines and EMF metrics), parsed. */
  logs(): Array<Record<string, unknown>>;
  /** What the runtime wrote to stderr (Node's warnings). */
  stderr(): string;
  stop(): Promise<void>;
}

/** The error a handler threw, as the runtime reports it. */
export class HandlerError extends Error {
  override readonly name = 'HandlerError';
}

/**
 * Starts an execution environment for `fn`: its bundle copied into a fresh directory whose
 * node_modules links to this repository's (the runtime's AWS SDK stands in for Lambda's, which the
 * bundle leaves external: ESM resolves packages from the file's own directory up, NODE_PATH does
 * not apply), run by node with exactly the template's environment plus `extra` (credentials,
 * endpoints): nothing of this process's environment leaks in.
 */
export async function startLambda(
  fn: DeployedFunction,
  extra: Record<string, string>,
): Promise<RunningLambda> {
  const dir = await mkdtemp(path.join(tmpdir(), 'checkup-lambda-'));
  const task = path.join(dir, 'task');
  // The asset as Lambda unpacks it: the bundle, its map, and node_modules of on-demand packages.
  await cp(fn.assetDir, task, { recursive: true });
  await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const environment: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LAMBDA_TASK_ROOT: task,
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    // No profile of this machine is read: credentials and region come from the variables only.
    AWS_CONFIG_FILE: path.join(dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
    ...fn.environment,
    ...extra,
  };
  const child: ChildProcess = fork(path.join(CHILD), [path.join(task, fn.handlerFile)], {
    cwd: task,
    env: environment,
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  await new Promise<void>((resolve, reject) => {
    child.on(
      'message',
      (message: { type: string; id?: number; result?: unknown; error?: { message: string } }) => {
        if (message.type === 'ready') resolve();
        if (message.type === 'init-error')
          reject(new HandlerError(`cold start failed: ${message.error?.message}`));
        if (message.type !== 'result' || message.id === undefined) return;
        const waiter = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) waiter?.reject(new HandlerError(message.error.message));
        else waiter?.resolve(message.result);
      },
    );
    child.once('exit', (code) => reject(new Error(`the function's process exited with ${code}: ${stderr}`)));
  });
  let next = 0;
  return {
    invoke<T>(event: unknown) {
      const id = ++next;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, event, functionName: fn.logicalId });
      });
    },
    logs: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
