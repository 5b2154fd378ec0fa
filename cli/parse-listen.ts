/** Where to listen: host (undefined = every interface) and port. */
export interface ListenAddress {
  host: string | undefined;
  port: number;
}

/**
 * Parses checkup's `--listen` forms: `:2015` (every interface), `127.0.0.1:8080`, `[::1]:2015`,
 * `localhost:0` (any free port). Returns undefined when it is not an address.
 */
export function parseListen(value: string): ListenAddress | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(value.trim());
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65_535) return undefined;
  const host = match[1] ?? (match[2] || undefined);
  return { host, port };
}
