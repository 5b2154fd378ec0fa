import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { s3LastValidConfig } from '../adapters/config/s3-last-valid-config.js';
import { type ConfigObjectReader, readSsmConfig } from '../adapters/config/ssm-config.js';
import { s3Location, sha256Hex } from '../core/config/config-pointer.js';
import { type ConfigLoaderOptions, createConfigLoader } from './config-loader.js';
import { deploymentLimits } from './deployment-limits.js';

/** The environment both functions get for their config (set by infra/constructs). */
export interface DeployedConfigEnv {
  CHECKUP_BUCKET: string;
  CHECKUP_CONFIG_PARAMETER: string;
  CHECKUP_LAST_VALID_CONFIG_KEY: string;
  CHECKUP_CONFIG_CACHE_MS?: string;
  CHECKUP_ALERT_TOPIC_ARNS?: string;
}

/**
 * The config loader of a deployed function: the config from its SSM parameter, the last valid one
 * in the results bucket, limited to what the stack granted. `options` say what differs by function.
 */
export function deployedConfigLoader(
  env: DeployedConfigEnv,
  clients: { s3: S3Client; ssm: SSMClient },
  options: Pick<ConfigLoaderOptions, 'metrics'> & Partial<ConfigLoaderOptions>,
) {
  const readObject = configObjectReader(clients.s3);
  return createConfigLoader({
    read: () => readSsmConfig(clients.ssm, env.CHECKUP_CONFIG_PARAMETER, readObject),
    sourceName: `ssm:${env.CHECKUP_CONFIG_PARAMETER}`,
    lastValid: s3LastValidConfig(clients.s3, env.CHECKUP_BUCKET, env.CHECKUP_LAST_VALID_CONFIG_KEY),
    cacheMs: Number(env.CHECKUP_CONFIG_CACHE_MS ?? 20_000),
    limits: deploymentLimits(env.CHECKUP_ALERT_TOPIC_ARNS),
    ...options,
  });
}

/**
 * Reads the config object a pointer names, once per digest: while the pointer names the same
 * sha-256, the copy already read (and found to match) is used again, so a warm function reads
 * only the parameter each time its cache expires.
 */
function configObjectReader(s3: S3Client): ConfigObjectReader {
  let last: { url: string; sha256: string; text: Promise<string> } | undefined;
  return (pointer) => {
    if (last && last.url === pointer.url && last.sha256 === pointer.sha256) return last.text;
    const { bucket, key } = s3Location(pointer.url);
    const text = s3
      .send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      .then(async (answer) => (await answer.Body?.transformToString('utf8')) ?? '');
    last = { url: pointer.url, sha256: pointer.sha256, text };
    // A failed read, or a copy that turns out not to match, is not kept.
    text.then(
      (read) => {
        if (last?.text === text && sha256Hex(read) !== pointer.sha256) last = undefined;
      },
      () => {
        if (last?.text === text) last = undefined;
      },
    );
    return text;
  };
}
