/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where log lines go: one JSON document per line (stdout in Lambda, a buffer in tests). */
export type LineWriter = (line: string) => void;

const writeStdout: LineWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

const RANK: Record<LogLevel, number> = { debug: 1, info: 2, warn: 3, error: 4 };

/**
 * The lowest level written, from `AWS_LAMBDA_LOG_LEVEL` (set by Lambda from the function's
 * application log level, an advanced logging control): TRACE and DEBUG write everything, FATAL
 * nothing (Lambda would drop it all). Unset or unknown: info, as Lambda's own default.
 */
export function logLevelFrom(value: string | undefined): LogLevel | 'none' {
  const level = value?.trim().toLowerCase();
  if (level === 'trace' || level === 'debug') return 'debug';
  if (level === 'warn' || level === 'error') return level;
  if (level === 'fatal') return 'none';
  return 'info';
}

export interface LoggerOptions {
  /** @default logLevelFrom(process.env.AWS_LAMBDA_LOG_LEVEL) */
  level?: LogLevel | 'none';
  write?: LineWriter;
}

/**
 * A structured JSON logger: every line is one JSON object with `level`, `message`, `timestamp`
 * (RFC 3339: without it Lambda files every line as INFO and its level filter sees no level) and
 * the fields given, plus the fields bound with `with` (service, request id, cold start). Lines
 * below the level are not written. Written straight to stdout, so Lambda's JSON log format
 * keeps each line as it is and Logs Insights can query each field.
 */
export class Logger {
  readonly #fields: Record<string, unknown>;
  readonly #write: LineWriter;
  readonly #level: LogLevel | 'none';

  constructor(fields: Record<string, unknown> = {}, options: LoggerOptions = {}) {
    this.#fields = fields;
    this.#write = options.write ?? writeStdout;
    this.#level = options.level ?? logLevelFrom(process.env.AWS_LAMBDA_LOG_LEVEL);
  }

  /** A logger that adds `fields` to every line. */
  with(fields: Record<string, unknown>): Logger {
    return new Logger({ ...this.#fields, ...fields }, { write: this.#write, level: this.#level });
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.#log('debug', message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.#log('info', message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.#log('warn', message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.#log('error', message, fields);
  }

  #log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    if (this.#level === 'none' || RANK[level] < RANK[this.#level]) return;
    this.#write(
      JSON.stringify(
        { level, message, timestamp: new Date().toISOString(), ...this.#fields, ...fields },
        errorsAsObjects,
      ),
    );
  }
}

/** Errors serialize to their name, message and cause (JSON.stringify gives `{}`). */
function errorsAsObjects(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return {
      name: value.name,
      message: value.message,
      ...(value.cause !== undefined ? { cause: value.cause } : {}),
    };
  }
  return value;
}
