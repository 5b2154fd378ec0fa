type Drivers = {
  sqlite: typeof import('better-sqlite3');
  postgres: typeof import('pg');
  mysql: typeof import('mysql2/promise');
};

/**
 * The database drivers, each imported on first use and once: only a config that stores in that
 * database loads one. pg and mysql2 are plain JavaScript, bundled into dist/vendor/ (build.mjs);
 * better-sqlite3 holds native code, so it is installed beside checkup (see docs/storage.md) and
 * a missing one is said in words. All three are CommonJS: the bundle offers them as the default
 * export only (as for the AWS SDK in adapters/aws/aws-sdk.ts).
 */
export const sqlDrivers: { readonly [K in keyof Drivers]: () => Promise<Drivers[K]> } = {
  sqlite: once(
    () =>
      import('better-sqlite3').catch(explainMissingSqlite) as Promise<unknown> as Promise<Drivers['sqlite']>,
  ),
  postgres: once(() => import('pg')),
  mysql: once(() => import('mysql2/promise')),
};

/** The words for a better-sqlite3 that is not installed, or was built for another Node. */
export const SQLITE_DRIVER_ADVICE =
  'sqlite3 storage needs the package better-sqlite3 (12.x) beside checkup: "npm install -g better-sqlite3@12" next to a global checkup, or "npm install better-sqlite3@12" in a project';

function explainMissingSqlite(error: unknown): never {
  const { code, message } = error as { code?: string; message?: string };
  const text = String(message ?? error);
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && text.includes('better-sqlite3'))
    throw new Error(`${SQLITE_DRIVER_ADVICE} (it is not installed)`, { cause: error });
  if (code === 'ERR_DLOPEN_FAILED' || text.includes('bindings file') || text.includes('NODE_MODULE_VERSION'))
    throw new Error(
      `better-sqlite3 is installed but its native part does not load here (${text}): run "npm rebuild better-sqlite3"`,
      {
        cause: error,
      },
    );
  throw error;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().then((module) => (module as { default?: T }).default ?? module);
    return loading;
  };
}
