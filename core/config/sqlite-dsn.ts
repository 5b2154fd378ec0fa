import { DsnError } from './dsn-error.js';

/**
 * The database file a SQLite DSN names, as checkup's driver (go-sqlite3) took it: a path, or a
 * `file:` URI whose query parameters (`cache=shared`, `_busy_timeout=...`) tuned that driver and
 * are left out here.
 */
export function sqliteFileOfDsn(dsn: string): string {
  const file = dsn.startsWith('file:') ? decodeFileUri(dsn.slice('file:'.length).split('?')[0] ?? '') : dsn;
  if (!file) throw new DsnError('names no database file');
  return file;
}

function decodeFileUri(path: string): string {
  // file:///abs/path and file:relative/path both occur; keep one leading slash of the former.
  const local = path.startsWith('//') ? path.replace(/^\/\/[^/]*/, '') : path;
  try {
    return decodeURIComponent(local);
  } catch {
    throw new DsnError('a %-escape in it is not valid');
  }
}
