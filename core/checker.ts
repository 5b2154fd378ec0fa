import type { Result } from './result.js';

/** What a check is given for one run. */
export interface CheckContext {
  /** The unix-ns timestamp every result of this run carries. */
  timestamp: number;
  /** Aborted when the run is cancelled (Ctrl-C): attempts stop as soon as they can. */
  signal?: AbortSignal;
}

/** One configured endpoint, ready to be checked any number of times. */
export interface Checker {
  readonly type: string;
  /** checkup's `endpoint_name`, the result's title. */
  readonly title: string;
  /** checkup's `endpoint_url`, the result's endpoint. */
  readonly endpoint: string;
  check(context: CheckContext): Promise<Result>;
}
