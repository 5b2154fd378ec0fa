import { readFile, stat } from 'node:fs/promises';
import { DEFAULT_STORAGE } from '../adapters/storage/create-storage.js';
import { ConfigError, type ConfigIssue } from '../core/config/config-error.js';
import { decodeConfigText } from '../core/config/decode-config-text.js';
import { type Config, type ConfigUse, parseConfig } from '../core/config/parse-config.js';
import type { ConfigCache } from './config-cache.js';
import { terminalText } from './terminal-text.js';

/**
 * Reads and validates a checkup.json for a command that uses it as `use` says (what it does not
 * use cannot stop it: a placeholder webhook does not stop a plain check). Every problem is a
 * ConfigError that names the file; each notice is printed on stderr. With a cache, a text this
 * build validated before for this use is not validated again.
 */
export async function loadConfigFile(
  file: string,
  use: ConfigUse = {},
  cache?: ConfigCache,
): Promise<Config> {
  const inFile = (issues: readonly ConfigIssue[]) =>
    issues.map((issue) => ({ path: issue.path ? `${file}: ${issue.path}` : file, message: issue.message }));
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file (create one, or pass -c FILE)'
        : code === 'EISDIR'
          ? 'is a folder, not a config file (pass -c path/to/checkup.json)'
          : code === 'EACCES'
            ? 'cannot be read (permission denied)'
            : String(error);
    throw new ConfigError([{ path: file, message: reason }], { cause: error });
  }
  let config: Config | undefined;
  try {
    const text = decodeConfigText(bytes);
    config = cache?.find(file, text, use);
    if (!config) {
      config = parseConfig(text, use);
      cache?.keep(file, text, use, config);
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(inFile(error.issues), { cause: error });
  }
  if (use.stores !== false) await checkStorageDir(config, inFile);
  for (const notice of inFile(config.notices))
    process.stderr.write(`checkup: notice: ${terminalText(`${notice.path}: ${notice.message}`)}\n`);
  for (const warning of inFile(config.warnings))
    process.stderr.write(`checkup: warning: ${terminalText(`${warning.path}: ${warning.message}`)}\n`);
  return config;
}

/** An fs storage dir that names a file would fail only after every check ran: say so now. */
async function checkStorageDir(
  config: Config,
  inFile: (issues: readonly ConfigIssue[]) => ConfigIssue[],
): Promise<void> {
  const storage = config.storage ?? DEFAULT_STORAGE;
  if (storage.type !== 'fs') return;
  const found = await stat(storage.dir).then(
    (stats) => (stats.isDirectory() ? 'folder' : 'file'),
    (error: NodeJS.ErrnoException) => (error.code === 'ENOTDIR' ? 'file' : 'absent'),
  );
  if (found !== 'file') return;
  const message = `"${storage.dir}" is a file (or inside one), not a folder; runs are stored in a folder`;
  throw new ConfigError(
    config.storage
      ? inFile([{ path: 'storage.dir', message }])
      : [{ path: 'storage', message: `not set, so runs go to ./${storage.dir}, but ${message}` }],
  );
}
