import { createStorage } from '../../adapters/storage/create-storage.js';
import { suggest } from '../../core/config/suggest.js';
import type { Command } from '../command.js';
import { loadConfigFile } from '../load-config-file.js';
import { prepareChecks } from '../prepare-checks.js';
import { printResults } from '../print-results.js';
import { UsageError } from '../usage-error.js';

/** `checkup message --about NAME "text"`: checks NAME and stores its result with the text as message. */
export const messageCommand: Command = {
  name: 'message',
  usage: 'message --about NAME TEXT',
  summary: 'store a run whose result for NAME carries TEXT as its message',
  options: {
    about: { type: 'string', value: 'NAME', description: 'the endpoint_name the message is about' },
  },
  async run({ args, options, configFile, verbose }) {
    const about = options.about;
    if (typeof about !== 'string')
      throw new UsageError('message needs --about NAME, the endpoint_name it is about');
    if (args.length !== 1) throw new UsageError('message takes one text argument (quote it)');
    const config = await loadConfigFile(configFile);
    const names = config.checkers.map((checker) => checker.endpoint_name);
    if (!names.includes(about)) {
      const hint = suggest(about, names);
      throw new UsageError(
        `message --about: no endpoint named "${about}"${hint ? `; did you mean "${hint}"?` : ''}`,
      );
    }
    const only = {
      ...config,
      checkers: config.checkers.filter((checker) => checker.endpoint_name === about),
    };
    const results = (await prepareChecks(only)()).map((result) => ({
      ...result,
      message: args[0] as string,
    }));
    printResults(results);
    const run = await createStorage(config.storage).store(results);
    if (verbose) process.stderr.write(`stored ${run.name}\n`);
    return 0;
  },
};
