import type { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { s3LastValidConfig } from '../adapters/config/s3-last-valid-config.js';
import { readSsmConfig } from '../adapters/config/ssm-config.js';
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
  return createConfigLoader({
    read: () => readSsmConfig(clients.ssm, env.CHECKUP_CONFIG_PARAMETER),
    sourceName: `ssm:${env.CHECKUP_CONFIG_PARAMETER}`,
    lastValid: s3LastValidConfig(clients.s3, env.CHECKUP_BUCKET, env.CHECKUP_LAST_VALID_CONFIG_KEY),
    cacheMs: Number(env.CHECKUP_CONFIG_CACHE_MS ?? 20_000),
    limits: deploymentLimits(env.CHECKUP_ALERT_TOPIC_ARNS),
    ...options,
  });
}
