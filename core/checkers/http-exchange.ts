import type { ReadBody } from './body-tests.js';
import type { CertificateVerdict } from './certificate-chain.js';
import type { ResponseHead } from './http-response-parser.js';
import type { ExchangeStamps } from './phase-timing.js';

/** A response as an attempt uses it, whichever client read it. */
export interface HttpResponse extends ResponseHead {
  /** Reads the body, at most `limit` bytes of it; rejects if the connection ends before it does. */
  readBody(limit: number): Promise<ReadBody>;
  /** Lets go of the response and closes its connection. */
  discard(): void;
}

/** What one request/response exchange gave. */
export interface Exchange {
  response: HttpResponse;
  /** Its socket's events, for the phases and the round trip. */
  stamps: ExchangeStamps;
  /** The certificate chain's verdict, on https. */
  cert?: CertificateVerdict;
}

/** The exchange of an attempt that is under way, for stopping it. */
export interface Flight {
  stop?: (reason: Error) => void;
}

/** How every request of a checker is sent. */
export interface SendOptions {
  tlsSkipVerify: boolean;
  certThresholdNs: number;
}
