/** Codes of a resource this machine ran out of, which say nothing about the endpoint. */
const LOCAL_CODES = new Set(['EMFILE', 'ENFILE', 'ENOMEM', 'ENOBUFS']);

/**
 * An attempt that could not be made because this machine ran out of something (descriptors,
 * memory, buffers). It is never the endpoint's fault: the attempt is made again once there is
 * room, not recorded as an error.
 */
export class LocalResourceError extends Error {
  override readonly name = 'LocalResourceError';
  readonly code: string;

  constructor(code: string, options?: { cause?: unknown }) {
    super(`checkup ran out of a local resource (${code})`, options);
    this.code = code;
  }
}

/** The error as a LocalResourceError when it is one (by its code or its cause's), else undefined. */
export function asLocalResourceError(error: unknown): LocalResourceError | undefined {
  if (error instanceof LocalResourceError) return error;
  for (let cause = error, depth = 0; cause instanceof Error && depth < 3; depth++) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code && LOCAL_CODES.has(code)) return new LocalResourceError(code, { cause: error });
    cause = cause.cause;
  }
  return undefined;
}
