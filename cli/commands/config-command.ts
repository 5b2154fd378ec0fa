import { readFile, writeFile } from 'node:fs/promises';
import { ConfigError } from '../../core/config/config-error.js';
import { validateConfig } from '../../core/config/parse-config.js';
import type { Command } from '../command.js';
import { loadConfigFile } from '../load-config-file.js';
import { UsageError } from '../usage-error.js';

/** The parameter the CDK app creates, unless deployed with another `configParameterName`. */
export const DEFAULT_CONFIG_PARAMETER = '/checkup/config';

/**
 * `checkup config push|pull`: copies checkup.json to or from the SSM parameter the AWS
 * deployment reads at every run. Push validates first and splits a config too big for one
 * parameter over `<parameter>/checkers/`; pull merges it back.
 */
export const configCommand: Command = {
  name: 'config',
  usage: 'config push|pull [--parameter NAME] [--region REGION]',
  summary: 'copy checkup.json to or from SSM Parameter Store',
  details:
    'push validates checkup.json and puts it where the AWS deployment reads it (split over a parameter path when large); pull brings the deployed one back.',
  options: {
    parameter: {
      type: 'string',
      value: 'NAME',
      description: `the SSM parameter (default ${DEFAULT_CONFIG_PARAMETER})`,
    },
    region: { type: 'string', value: 'REGION', description: 'the AWS region (default: your AWS config)' },
    force: { type: 'boolean', description: 'config pull: replace a local file that differs' },
  },
  async run({ args, options, configFile, verbose }) {
    const [action, ...extra] = args;
    if ((action !== 'push' && action !== 'pull') || extra.length > 0) {
      throw new UsageError('config takes push or pull: "checkup config push" or "checkup config pull"');
    }
    const parameter = typeof options.parameter === 'string' ? options.parameter : DEFAULT_CONFIG_PARAMETER;
    if (!/^\/[\w.\-/]+[^/]$/.test(parameter)) {
      throw new UsageError(
        `--parameter: "${parameter}" is not an SSM parameter path such as /checkup/config`,
      );
    }
    const region = typeof options.region === 'string' ? options.region : undefined;
    // The AWS SDK takes a while to load: only this command pays for it.
    const [{ SSMClient }, ssmConfig] = await Promise.all([
      import('@aws-sdk/client-ssm'),
      import('../../adapters/config/ssm-config.js'),
    ]);
    const client = new SSMClient(region ? { region } : {});

    if (action === 'push') {
      const config = await loadConfigFile(configFile);
      const text = await readFile(configFile, 'utf8');
      if (config.checkers.some((checker) => checker.type === 'exec')) {
        process.stderr.write(
          'checkup: note: exec checkers do not run in AWS (a Lambda runs no local commands)\n',
        );
      }
      const written = await ssmConfig.writeSsmConfig(client, parameter, text);
      process.stdout.write(
        `pushed ${configFile} to ssm:${parameter}${written.length > 1 ? ` (split over ${written.length} parameters)` : ''}\n`,
      );
      if (verbose) for (const name of written) process.stderr.write(`wrote ${name}\n`);
      return 0;
    }

    const raw = await ssmConfig.readSsmConfig(client, parameter);
    const text = `${JSON.stringify(raw, null, 2)}\n`;
    const existing = await readFile(configFile, 'utf8').catch(() => undefined);
    if (existing !== undefined && existing !== text && !options.force) {
      throw new UsageError(
        `${configFile} exists and differs from ssm:${parameter}; pass --force to replace it`,
      );
    }
    await writeFile(configFile, text);
    process.stdout.write(`pulled ssm:${parameter} into ${configFile}\n`);
    try {
      validateConfig(raw);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // Pulled as it is, so it can be fixed here and pushed back.
      process.stderr.write(
        `checkup: the config in SSM is not valid (the deployment keeps running the last valid one):\n${error.message}\n`,
      );
      return 1;
    }
    return 0;
  },
};
