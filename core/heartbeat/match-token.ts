import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The index of the heartbeat whose token `candidate` is, or undefined. Every token is compared,
 * in constant time, on SHA-256 digests (equal lengths), so the time taken tells nothing of how
 * much of a token was right, nor which heartbeat matched.
 */
export function matchToken(candidate: string, tokens: readonly string[]): number | undefined {
  const digest = createHash('sha256').update(candidate, 'utf8').digest();
  let found: number | undefined;
  tokens.forEach((token, index) => {
    const equal = timingSafeEqual(digest, createHash('sha256').update(token, 'utf8').digest());
    if (equal && found === undefined) found = index;
  });
  return found;
}
