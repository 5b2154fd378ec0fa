/**
 * A checker that cannot be built from its (schema-valid) config: a file that cannot be read, a
 * checker type this host refuses. `key` names the config key at fault, when there is one.
 */
export class CheckerSetupError extends Error {
  override readonly name = 'CheckerSetupError';
  readonly key: string | undefined;

  constructor(message: string, options?: { key?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.key = options?.key;
  }
}
