/** How many times a read that looks cut off is tried in all. */
const TORN_READ_ATTEMPTS = 8;

/**
 * Runs `read` again, a little later each time, while its error is one `isTorn` says a body cut
 * off mid-write gives. S3 never shows a half-written object, but s3rver and some S3-compatible
 * stores write in place, so a read racing another writer can see part of a body. After the last
 * attempt, or on any other error, the error is thrown.
 */
export async function readAgainWhileTorn<T>(
  read: () => Promise<T>,
  isTorn: (error: unknown) => boolean,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      if (!isTorn(error) || attempt >= TORN_READ_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
    }
  }
}

/** A body cut off mid-write: it does not parse as JSON, or its stream ended short of its length. */
export function isCutOffJson(error: unknown): boolean {
  return error instanceof SyntaxError || (error instanceof Error && error.message === 'aborted');
}
