import * as z from 'zod';
import { JSON_OPERATORS, parseJsonPath } from '../checkers/json-assertion.js';
import { parseStatusPattern } from '../checkers/status-matcher.js';
import { HEARTBEAT_TOKEN } from '../heartbeat/parse-ping.js';
import { checkIntervalSchema } from './check-interval-schema.js';
import { durationSchema } from './duration-schema.js';
import { headersSchema, headerValueSchema } from './header-schemas.js';
import { lazySchema, lazySchemas } from './lazy-schema.js';

/** Keys every checker shares. */
const baseCheckerShape = lazySchema(() => ({
  endpoint_name: z.string().min(1).meta({ description: 'The name shown for this endpoint' }),
  endpoint_url: z.string().min(1),
  attempts: z.number().int().min(1).max(100).optional().meta({ description: 'Attempts per run (default 1)' }),
  attempt_spacing: durationSchema().optional().meta({ description: 'Pause between attempts (default 0)' }),
  threshold_rtt: durationSchema()
    .optional()
    .meta({ description: 'A median RTT above this makes the endpoint degraded' }),
  timeout: durationSchema().optional().meta({ description: 'Per-attempt timeout (default 10s)' }),
  quorum: z.number().int().min(1).max(100).optional().meta({
    description:
      "With checks from several regions: how many of those that reported must see it down (default: the config's quorum, else a majority)",
  }),
  interval: checkIntervalSchema(),
  group: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'The section the status page shows this endpoint in (default: none)' }),
  depends_on: z.string().min(1).optional().meta({
    description:
      "Another endpoint's name: while it is down, this one's alerts are held and counted in its alert",
  }),
}));

const headerValues = lazySchema(() => z.union([headerValueSchema(), z.array(headerValueSchema())]));

const statusEntry = lazySchema(() =>
  z.union([z.number().int(), z.string()]).superRefine((entry, ctx) => {
    const parsed = parseStatusPattern(entry);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  }),
);

const regexSource = lazySchema(() =>
  z.string().superRefine((source, ctx) => {
    try {
      new RegExp(source);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `not a regular expression: ${(error as Error).message}` });
    }
  }),
);

const jsonAssertionSchema = lazySchema(() =>
  z
    .strictObject({
      path: z
        .string()
        .superRefine((path, ctx) => {
          const parsed = parseJsonPath(path);
          if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
        })
        .meta({
          description: 'Where in the JSON: `status`, `data.items[0].name`, `$["odd.key"]`, `items.length`',
        }),
      equals: z.unknown().optional().meta({ description: 'The value must equal this (any JSON)' }),
      not_equals: z.unknown().optional().meta({ description: 'The value must not equal this' }),
      gt: z.number().optional().meta({ description: 'The value must be a number greater than this' }),
      gte: z.number().optional(),
      lt: z.number().optional(),
      lte: z.number().optional(),
      matches: regexSource().optional().meta({ description: 'The value must match this regular expression' }),
      exists: z.boolean().optional().meta({ description: 'The path must (true) or must not (false) exist' }),
    })
    .superRefine((assertion, ctx) => {
      const given = JSON_OPERATORS.filter((operator) => operator in assertion);
      if (given.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message: `give exactly one of ${JSON_OPERATORS.join(', ')}${given.length ? ` (got ${given.join(', ')})` : ''}`,
        });
      }
    })
    .meta({ description: 'A path into the JSON response and one test of its value' }),
);

export const httpCheckerSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('http'),
    ...baseCheckerShape(),
    endpoint_url: z.url({ protocol: /^https?$/, error: 'not an http(s) URL' }),
    up_status: z
      .union([statusEntry(), z.array(statusEntry()).min(1)])
      .optional()
      .meta({
        description:
          'The status(es) a healthy endpoint answers: 200, "2xx", "200-299" or a list (default: any of 200-204)',
      }),
    up_status_range: z
      .strictObject({
        min: z.number().int().min(0).max(999).optional(),
        max: z.number().int().min(0).max(999).optional(),
      })
      .optional()
      .meta({
        description:
          "checkup's older form: healthy statuses from min (default 100) to max (default 599), with up_status",
      }),
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, 'not an HTTP method')
      .optional()
      .meta({ description: 'The request method (default GET)' }),
    body: z.string().optional().meta({ description: 'The request body' }),
    follow_redirects: z
      .boolean()
      .optional()
      .meta({ description: 'Follow up to 10 redirects (default false, as checkup)' }),
    must_contain: z.string().optional().meta({ description: 'Text the body must contain' }),
    must_not_contain: z.string().optional().meta({ description: 'Text the body must not contain' }),
    must_match: regexSource().optional().meta({ description: 'A regular expression the body must match' }),
    json: z
      .array(jsonAssertionSchema())
      .optional()
      .meta({ description: 'Tests of the JSON response, all of which must hold' }),
    headers: headersSchema(headerValues()).optional().meta({ description: 'Request headers, Host included' }),
    tls_skip_verify: z.boolean().optional().meta({ description: 'Accept any certificate (https)' }),
    cert_expiry_threshold: durationSchema().optional().meta({
      description: 'On https, a certificate of the chain expiring within this makes the endpoint degraded',
    }),
  }),
);

/** A port after the last colon of host:port, when there is one, must be 1-65535. */
const portInRange = (value: string, ctx: z.core.$RefinementCtx<string>) => {
  const port = /:(\d+)$/.exec(value)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535))
    ctx.addIssue({ code: 'custom', message: `port ${port} is out of range (1-65535)` });
};

const hostPort = lazySchema(() =>
  z
    .string()
    .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}$/, 'not host:port')
    .superRefine(portInRange)
    .meta({ description: 'host:port' }),
);

export const tcpCheckerSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('tcp'),
    ...baseCheckerShape(),
    endpoint_url: hostPort(),
    tls: z.boolean().optional().meta({ description: 'Do a TLS handshake after connecting' }),
    tls_skip_verify: z.boolean().optional(),
    tls_ca_file: z.string().optional().meta({ description: 'PEM file of CAs to trust' }),
  }),
);

const certExpiryThreshold = lazySchema(() =>
  durationSchema()
    .optional()
    .meta({ description: 'A certificate of the chain expiring within this makes the endpoint degraded' }),
);

export const tlsCheckerSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('tls'),
    ...baseCheckerShape(),
    endpoint_url: hostPort(),
    server_name: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'The name sent (SNI) and checked against the certificate (default: the host)' }),
    tls_skip_verify: z
      .boolean()
      .optional()
      .meta({ description: 'Do not check trust or host name (dates are still checked)' }),
    trusted_roots: z
      .array(z.string().min(1))
      .optional()
      .meta({ description: 'PEM files of the root CAs to trust instead of the system ones' }),
    cert_expiry_threshold: certExpiryThreshold().meta({
      description:
        'A certificate of the chain expiring within this makes the endpoint degraded (default 14d)',
    }),
  }),
);

/** The DNS record types the dns checker can ask for. */
export const DNS_RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS'] as const;

export const dnsCheckerSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('dns'),
    ...baseCheckerShape(),
    endpoint_url: z
      .string()
      .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+)(:\d{1,5})?$/, 'not host or host:port')
      .superRefine(portInRange)
      .optional()
      .meta({
        description: 'The DNS server to ask, host:port (default port 53; default server: the system ones)',
      }),
    hostname_fqdn: z
      .string()
      .min(1)
      .meta({ description: 'The name to look up (a trailing dot is optional)' }),
    record_type: z
      .enum(DNS_RECORD_TYPES)
      .optional()
      .meta({ description: 'The record type to ask for (default A)' }),
    expect: z.array(z.string().min(1)).optional().meta({
      description: 'Answers that must all be present (MX as "10 mail.example.com" or the host alone)',
    }),
  }),
);

export const execCheckerSchema = lazySchema(() =>
  z
    .strictObject({
      type: z.literal('exec'),
      name: z.string().min(1).meta({ description: 'The name shown for this check (checkup’s key for exec)' }),
      command: z.string().min(1).meta({ description: 'The program to run (not through a shell)' }),
      arguments: z.array(z.string()).optional().meta({ description: 'Its arguments' }),
      must_contain: z
        .string()
        .optional()
        .meta({ description: 'Text the output (stdout and stderr) must contain' }),
      must_not_contain: z.string().optional().meta({ description: 'Text the output must not contain' }),
      raise: z
        .enum(['error', 'warn', 'warning'])
        .optional()
        .meta({ description: 'How a failure counts: "error" means down (default), "warn" means degraded' }),
      attempts: baseCheckerShape().attempts,
      depends_on: baseCheckerShape().depends_on,
      attempt_spacing: baseCheckerShape().attempt_spacing,
      threshold_rtt: baseCheckerShape().threshold_rtt,
      quorum: baseCheckerShape().quorum,
      interval: baseCheckerShape().interval,
      group: baseCheckerShape().group,
      timeout: durationSchema()
        .optional()
        .meta({ description: 'Per-attempt timeout; the process group is killed then (default 10s)' }),
    })
    // Every checker config carries endpoint_name (the result's title); exec spells it `name`.
    .transform((config) => ({ ...config, endpoint_name: config.name })),
);

export const heartbeatCheckerSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('heartbeat'),
    endpoint_name: baseCheckerShape().endpoint_name,
    endpoint_url: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'What the page shows as the endpoint (default "heartbeat"); never the token' }),
    token: z
      .string()
      .regex(
        HEARTBEAT_TOKEN,
        '16 to 128 letters, digits, _ or - (a secret: generate it, e.g. openssl rand -hex 16)',
      )
      .meta({ description: 'The secret in the ping URL, /ping/<token>: only who knows it can ping' }),
    period: durationSchema().meta({ description: 'How often the job pings' }),
    grace: durationSchema()
      .optional()
      .meta({ description: 'How late a ping may be before the check is down (default 5m)' }),
    depends_on: baseCheckerShape().depends_on,
    group: baseCheckerShape().group,
  }),
);

export type HttpCheckerConfig = z.output<ReturnType<typeof httpCheckerSchema>>;
export type TcpCheckerConfig = z.output<ReturnType<typeof tcpCheckerSchema>>;
export type TlsCheckerConfig = z.output<ReturnType<typeof tlsCheckerSchema>>;
export type DnsCheckerConfig = z.output<ReturnType<typeof dnsCheckerSchema>>;
export type ExecCheckerConfig = z.output<ReturnType<typeof execCheckerSchema>>;
export type HeartbeatCheckerConfig = z.output<ReturnType<typeof heartbeatCheckerSchema>>;

/**
 * The schema of each checker type, by its `type`. A new checker type adds its schema here and
 * its factory in core/checkers/create-checker.ts.
 */
export const checkerSchemas = lazySchemas({
  http: httpCheckerSchema,
  tcp: tcpCheckerSchema,
  tls: tlsCheckerSchema,
  dns: dnsCheckerSchema,
  exec: execCheckerSchema,
  heartbeat: heartbeatCheckerSchema,
});

export type CheckerConfig = z.output<(typeof checkerSchemas)[keyof typeof checkerSchemas]>;
