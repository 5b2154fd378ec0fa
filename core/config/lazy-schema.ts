/**
 * A schema built the first time it is asked for, then kept: the same instance every time (the
 * no-effect registry and the JSON Schema see one schema, as when it was built at load). Building
 * every zod schema as the command loaded cost 10-20 ms of its start-up, most of them for sections
 * and types the config does not use.
 */
export function lazySchema<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

/**
 * A record of schemas by type, each built the first time its property is read: a config of http
 * checkers builds the http schema only. Keys, `in` and spreading work as on a plain record.
 */
export function lazySchemas<T extends Record<string, () => unknown>>(
  builders: T,
): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const record = {};
  for (const [key, build] of Object.entries(builders))
    Object.defineProperty(record, key, { enumerable: true, get: lazySchema(build) });
  return record as { readonly [K in keyof T]: ReturnType<T[K]> };
}
