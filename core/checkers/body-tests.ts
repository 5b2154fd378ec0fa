import type { HttpCheckerConfig } from '../config/checker-schemas.js';
import { clip, excerpt, patternExcerpt } from '../excerpt.js';
import { evaluateJsonAssertion } from './json-assertion.js';
import { MatchStoppedError, matchInWorker } from './match-in-worker.js';

/** The most of a body read for the body tests; the rest is discarded. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A body as read: its text, and whether it was cut at MAX_BODY_BYTES. */
export interface ReadBody {
  text: string;
  truncated: boolean;
}

/** What the body tests find wrong with a body, or undefined; the signal stops a match under way. */
export type BodyTest = (body: ReadBody, signal: AbortSignal) => Promise<string | undefined>;

/**
 * The body tests of an http checker (must_contain, must_not_contain, must_match, json) as one
 * function, or undefined when there are none and the body need not be read. Regular expressions
 * run on a worker thread, stopped with the attempt, so a pattern that backtracks without end is
 * a timeout, not a hang.
 */
export function bodyTests(
  config: Pick<HttpCheckerConfig, 'must_contain' | 'must_not_contain' | 'must_match' | 'json'>,
): BodyTest | undefined {
  const { must_contain: mustContain, must_not_contain: mustNotContain, must_match: mustMatch } = config;
  const json = config.json ?? [];
  if (mustContain === undefined && mustNotContain === undefined && mustMatch === undefined && !json.length) {
    return undefined;
  }
  return async ({ text, truncated }, signal) => {
    const scope = truncated ? ` in the first ${MAX_BODY_BYTES} bytes` : '';
    if (mustContain !== undefined && !text.includes(mustContain)) {
      return `response does not contain ${excerpt(mustContain)}${scope}`;
    }
    if (mustNotContain !== undefined && text.includes(mustNotContain)) {
      return `response contains ${excerpt(mustNotContain)}`;
    }
    const match = (source: string, subject: string) => matchInWorker(source, '', subject, signal);
    if (mustMatch !== undefined) {
      try {
        if (!(await match(mustMatch, text)))
          return `response does not match ${patternExcerpt(mustMatch)}${scope}`;
      } catch (error) {
        if (error instanceof MatchStoppedError) {
          return `${error.message} matching the body against ${patternExcerpt(mustMatch)}`;
        }
        throw error;
      }
    }
    if (!json.length) return undefined;
    if (truncated) return `response is over ${MAX_BODY_BYTES} bytes, too large for the json tests`;
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      return `response is not JSON: ${(error as Error).message}`;
    }
    for (const assertion of json) {
      try {
        const failure = await evaluateJsonAssertion(document, assertion, match);
        if (failure) return failure;
      } catch (error) {
        if (error instanceof MatchStoppedError)
          return `${error.message} testing json ${clip(assertion.path)}`;
        throw error;
      }
    }
    return undefined;
  };
}
