/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where log lines go: one JSON document per line (stdout in Lambda, a buffer in tests). */
export type LineWriter = (line: string) => void;

const writeStdout: LineWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

/**
 * A structured JSON logger: every line is one JSON object with `level`, `message`, `time` and
 * the fields given, plus the fields bound with `with` (service, request id). Written straight to
 * stdout, so Lambda's JSON log format keeps it as it is and Logs Insights can query each field.
 */
export class Logger {
  readonly #fields: Record<string, unknown>;
  readonly #write: LineWriter;

  constructor(fields: Record<string, unknown> = {}, write: LineWriter = writeStdout) {
    this.#fields = fields;
    this.#write = write;
  }

  /** A logger that adds `fields` to every line. */
  with(fields: Record<string, unknown>): Logger {
    return new Logger({ ...this.#fields, ...fields }, this.#write);
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
    this.#write(
      JSON.stringify(
        { level, message, time: new Date().toISOString(), ...this.#fields, ...fields },
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
