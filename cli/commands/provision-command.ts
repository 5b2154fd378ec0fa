import { DEFAULT_STORAGE } from '../../adapters/storage/create-storage.js';
import { provisionStorage } from '../../adapters/storage/provision-storage.js';
import type { Command } from '../command.js';
import { terminalText } from '../terminal-text.js';
import { UsageError } from '../usage-error.js';

/** `checkup provision`: creates what the configured storage needs; safe to run again. */
export const provisionCommand: Command = {
  name: 'provision',
  usage: 'provision',
  summary: 'create the storage checkup.json names (folder, bucket or tables)',
  details:
    "fs: the folder. s3: the bucket, private (public access blocked, SSL-only policy). dynamodb: the table (keys pk and sk, TTL on expires). sqlite3, postgres, mysql, sql: checkup's table checks with its index on timestamp, and the table checkup_documents. What exists already is reported and left as it is, so running it again is safe.",
  async run({ args, configFile, loadConfig }) {
    if (args.length > 0)
      throw new UsageError(
        `provision takes no arguments (got "${args.join(' ')}"): it reads storage from ${configFile}`,
      );
    // Provisioning sends nothing: a placeholder webhook does not stop it.
    const config = await loadConfig({ alerts: false });
    const storage = config.storage ?? DEFAULT_STORAGE;
    const report = await provisionStorage(storage);
    const lines = [
      `storage: ${storage.type}`,
      ...report.done.map((line) => `  ${line}`),
      ...report.notices.map((line) => `notice: ${line}`),
      ...report.next,
    ];
    process.stdout.write(`${lines.map(terminalText).join('\n')}\n`);
    return 0;
  },
};
