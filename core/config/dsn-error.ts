/** A connection string that cannot be read; the message never repeats a password. */
export class DsnError extends Error {
  override readonly name = 'DsnError';
}
