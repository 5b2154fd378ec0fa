import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { SecretReader } from './resolve-secrets.js';

export interface SsmSecretReaderOptions {
  /** Built once by the caller (module scope in a Lambda) and reused. */
  client: SSMClient;
  /** How long a value is reused before it is read again (default 5 minutes). */
  cacheMs?: number;
  now?: () => number;
}

/**
 * Reads SecureString (or String) parameters, decrypted, caching each for a short while so a
 * warm Lambda does not call SSM per alert, and an edited secret is picked up soon after.
 */
export function ssmSecretReader(options: SsmSecretReaderOptions): SecretReader {
  const cacheMs = options.cacheMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: Promise<string>; at: number }>();
  return (name) => {
    const hit = cache.get(name);
    if (hit && now() - hit.at < cacheMs) return hit.value;
    const value = options.client
      .send(new GetParameterCommand({ Name: name, WithDecryption: true }))
      .then((answer) => {
        const text = answer.Parameter?.Value;
        if (text === undefined) throw new Error('the parameter has no value');
        return text;
      });
    cache.set(name, { value, at: now() });
    value.catch(() => cache.delete(name));
    return value;
  };
}
