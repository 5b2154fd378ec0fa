/** Monotonic stamps (ns) of one request/response exchange, as its socket reported them. */
export interface ExchangeStamps {
  /** When the request was made. */
  sent: number;
  /** When the TCP connection attempt started, if a socket was connected for it. */
  attempt?: number;
  /** When the DNS answer came (no lookup for an IP address). */
  lookup?: number;
  /** When TCP connected. */
  connect?: number;
  /** When the TLS handshake finished, on https. */
  secure?: number;
  /** When the bytes that completed the response headers arrived. */
  firstByte: number;
}

/**
 * Adds one exchange's phase durations (dns, connect, tls, firstByte) to an attempt's, so that
 * over redirects they add up to where the time went, and says when the exchange began: with its
 * first packet, the DNS query that leaves as the request is made, or else the TCP connection
 * attempt.
 */
export function accumulatePhases(
  phases: Readonly<Record<string, number>>,
  stamps: ExchangeStamps,
): { phases: Record<string, number>; began: number } {
  const { sent, lookup, connect, secure, firstByte } = stamps;
  const began = lookup === undefined ? (stamps.attempt ?? sent) : sent;
  const connected = connect ?? began;
  const next = { ...phases };
  const add = (name: string, ns: number) => {
    next[name] = (next[name] ?? 0) + ns;
  };
  add('dns', lookup !== undefined ? lookup - sent : 0);
  add('connect', connect !== undefined ? connect - (lookup ?? began) : 0);
  if (secure !== undefined) add('tls', secure - connected);
  add('firstByte', Math.max(0, firstByte - (secure ?? connected)));
  return { phases: next, began };
}
