/** Decides whether an HTTP status is an "up" status. */
export interface StatusMatcher {
  matches(status: number): boolean;
  /** What was expected, for the error message (`200`, `200-204`). */
  readonly expected: string;
}

/** checkup's rule: a set `up_status` must match exactly; unset accepts 200-204. */
export function statusMatcher(upStatus: number | undefined): StatusMatcher {
  if (upStatus === undefined) return { matches: (s) => s >= 200 && s <= 204, expected: '200-204' };
  return { matches: (s) => s === upStatus, expected: String(upStatus) };
}
