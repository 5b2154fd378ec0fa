/** A value written as `ssm:/path/to/param` is read from SSM at run time. */
export const SSM_PREFIX = 'ssm:';

/** Reads one secret by its SSM parameter name (decrypted). */
export type SecretReader = (name: string) => Promise<string>;

/** A secret could not be read. The message names the parameter, never its value. */
export class SecretError extends Error {
  override readonly name = 'SecretError';
}

/**
 * Returns the config with every string value of the form `ssm:/path` replaced by the parameter's
 * value, read with `read`. Only top-level string values are secrets (webhook, url, secret).
 * The resolved config lives in memory only: never log it or store it.
 */
export async function resolveSecrets<T extends object>(
  config: T,
  read: SecretReader | undefined,
  where: string,
): Promise<T> {
  const out: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string' || !value.startsWith(SSM_PREFIX)) continue;
    const name = value.slice(SSM_PREFIX.length);
    if (!read) throw new SecretError(`${where}.${key}: ${value} needs SSM, which is not available here`);
    try {
      out[key] = await read(name);
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new SecretError(`${where}.${key}: cannot read SSM parameter ${name} (${reason})`, {
        cause: error,
      });
    }
  }
  return out as T;
}
