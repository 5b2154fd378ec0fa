import path from 'node:path';

/**
 * One line for a failure: for a system error, the file and the cause in words with its code
 * (`/srv/checks/.tmp-1-ab: read-only file system (EROFS)`, the file made absolute); otherwise the message.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, path: file } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string' || !error.message.startsWith(`${code}: `)) return error.message;
  // Node's text is "EROFS: read-only file system, open '/x'": keep the words, say the code once.
  const words = error.message.slice(code.length + 2).replace(/, \w+( '.*')?$/, '');
  return `${file ? `${path.resolve(file)}: ` : ''}${words} (${code})`;
}
