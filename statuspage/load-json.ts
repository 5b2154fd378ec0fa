import { MalformedDataError } from './check-summary.js';

/** A data file could not be loaded; `kind` tells the page which message to show. */
export class DataLoadError extends Error {
  override name = 'DataLoadError';
  constructor(
    readonly kind: 'missing' | 'malformed' | 'unreachable',
    readonly url: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Fetches JSON from the page's own origin, with a timeout, and checks it with `check`. */
export async function loadJson<T>(url: string, check: (value: unknown) => T, timeoutMs = 20_000): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-cache', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new DataLoadError('unreachable', url, `could not reach ${url}`, { cause: error });
  }
  if (response.status === 404) {
    await response.body?.cancel();
    throw new DataLoadError('missing', url, `${url} was not found`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new DataLoadError('unreachable', url, `${url} answered ${response.status}`);
  }
  let value: unknown;
  try {
    value = await response.json();
  } catch (error) {
    throw new DataLoadError('malformed', url, `${url} is not valid JSON`, { cause: error });
  }
  try {
    return check(value);
  } catch (error) {
    if (error instanceof MalformedDataError)
      throw new DataLoadError('malformed', url, `${url} is not a status summary (${error.message})`, {
        cause: error,
      });
    throw error;
  }
}
