import * as z from 'zod';
import { lazySchema } from './lazy-schema.js';

/** RFC 9110's token: the characters a header name may have. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A header value: no CR, LF or NUL, which would end the header early (and are refused by Node
 * only when the request is sent, after the checks started).
 */
export const headerValueSchema = lazySchema(() =>
  z.string().regex(/^[^\r\n\0]*$/, 'a header value cannot contain a line break (CR, LF) or NUL'),
);

/** Request headers by name; names are checked as keys, so the place of a bad one is named. */
export function headersSchema<T extends z.ZodType>(values: T) {
  return z.record(
    z.string().regex(HEADER_NAME, "not a header name (letters, digits and !#$%&'*+-.^_`|~ only)"),
    values,
  );
}
