const BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'host name lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  HPE_INVALID_CONSTANT: 'malformed HTTP response',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in chain',
  CERT_HAS_EXPIRED: 'certificate has expired',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the certificate chain',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate issuer is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
};

/** A short, human sentence for a socket, DNS, TLS or HTTP parse error, keeping the code. */
export function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const known = code ? BY_CODE[code] : undefined;
  if (known) return `${known} (${code})`;
  // llhttp's codes, which the lean client (lean-http-exchange.ts) gives for the same faults.
  if (code?.startsWith('HPE_')) return `malformed HTTP response (${code})`;
  return error.message || code || error.name;
}
