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
 * value, read with `read`: top-level values (webhook, url, secret) and the values of a nested
 * record (headers). The resolved config lives in memory only: never log it or store it.
 */
export async function resolveSecrets<T extends object>(
  config: T,
  read: SecretReader | undefined,
  where: string,
): Promise<T> {
  const out: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  for (const [key, value] of Object.entries(out)) {
    if (typeof value === 'string') out[key] = await resolveOne(value, read, `${where}.${key}`);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const nested: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [inner, text] of Object.entries(nested)) {
        if (typeof text === 'string')
          nested[inner] = await resolveOne(text, read, `${where}.${key}.${inner}`);
      }
      out[key] = nested;
    }
  }
  return out as T;
}

/** Whether a notifier config names any secret in SSM (so an SSM client is needed). */
export function usesSsm(config: object): boolean {
  return Object.values(config).some(
    (value) =>
      (typeof value === 'string' && value.startsWith(SSM_PREFIX)) ||
      (value !== null && typeof value === 'object' && !Array.isArray(value) && usesSsm(value)),
  );
}

async function resolveOne(value: string, read: SecretReader | undefined, path: string): Promise<string> {
  if (!value.startsWith(SSM_PREFIX)) return value;
  const name = value.slice(SSM_PREFIX.length);
  if (!read) throw new SecretError(`${path}: ${value} needs SSM, which is not available here`);
  try {
    return await read(name);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new SecretError(`${path}: cannot read SSM parameter ${name} (${reason})`, { cause: error });
  }
}
