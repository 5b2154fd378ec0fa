import { readFile } from 'node:fs/promises';
import { ConfigError } from '../core/config/config-error.js';
import { type Config, parseConfig } from '../core/config/parse-config.js';

/** Reads and validates a checkup.json. Every problem is a ConfigError that names the file. */
export async function loadConfigFile(file: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file (create one, or pass -c FILE)' : String(error);
    throw new ConfigError([{ path: file, message: reason }], { cause: error });
  }
  try {
    return parseConfig(text);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(
      error.issues.map((issue) => ({
        path: issue.path ? `${file}: ${issue.path}` : file,
        message: issue.message,
      })),
      { cause: error },
    );
  }
}
