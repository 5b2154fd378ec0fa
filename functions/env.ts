/** A required environment variable is missing or empty; the message names it. */
export class MissingEnvironmentError extends Error {
  override readonly name = 'MissingEnvironmentError';
}

/**
 * Reads the named variables once (at module scope, cold start). A missing required one fails
 * the cold start at once, naming the variable, rather than surfacing later as an odd error.
 */
export function readEnv<Required extends string, Optional extends string = never>(
  required: readonly Required[],
  optional: readonly Optional[] = [],
  source: NodeJS.ProcessEnv = process.env,
): Record<Required, string> & Partial<Record<Optional, string>> {
  const out: Record<string, string> = {};
  const missing = required.filter((name) => !source[name]);
  if (missing.length > 0) {
    throw new MissingEnvironmentError(
      `missing environment variable${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
    );
  }
  for (const name of [...required, ...optional]) {
    const value = source[name];
    if (value) out[name] = value;
  }
  return out as Record<Required, string> & Partial<Record<Optional, string>>;
}
