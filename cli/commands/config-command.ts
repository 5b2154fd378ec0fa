import { readFile, writeFile } from 'node:fs/promises';
import { awsSdk } from '../../adapters/aws/aws-sdk.js';
import { ConfigError } from '../../core/config/config-error.js';
import { validateConfig } from '../../core/config/parse-config.js';
import type { Command } from '../command.js';
import { UsageError } from '../usage-error.js';

/** The parameter the CDK app creates, unless deployed with another `configParameterName`. */
export const DEFAULT_CONFIG_PARAMETER = '/checkup/config';

/**
 * `checkup config push|pull`: copies checkup.json to or from the SSM parameter the AWS
 * deployment reads at every run. Push validates first; a config too big for one parameter goes to
 * the stack's config object in the results bucket, the parameter pointing to it with its sha-256
 * (or, for a stack that records no such object, is split over `<parameter>/checkers/`); pull
 * reads it back.
 */
export const configCommand: Command = {
  name: 'config',
  usage: 'config push|pull [--parameter NAME] [--region REGION]',
  summary: 'copy checkup.json to or from SSM Parameter Store',
  details:
    'push validates checkup.json and puts it where the AWS deployment reads it (a config over 4 KB goes to the results bucket, the parameter pointing to it with its sha-256); pull brings the deployed one back.',
  options: {
    parameter: {
      type: 'string',
      value: 'NAME',
      description: `the SSM parameter (default ${DEFAULT_CONFIG_PARAMETER})`,
    },
    region: { type: 'string', value: 'REGION', description: 'the AWS region (default: your AWS config)' },
    force: { type: 'boolean', description: 'config pull: replace a local file that differs' },
  },
  async run({ args, options, configFile, verbose, loadConfig }) {
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
    const [{ SSMClient }, { S3Client, GetObjectCommand, PutObjectCommand }, ssmConfig, { s3Location }] =
      await Promise.all([
        awsSdk.ssm(),
        awsSdk.s3(),
        import('../../adapters/config/ssm-config.js'),
        import('../../core/config/config-pointer.js'),
      ]);
    const client = new SSMClient(region ? { region } : {});
    // The config object lives in the results bucket, in the region of the parameter.
    const s3 = () => new S3Client(region ? { region } : {});

    if (action === 'push') {
      const config = await loadConfig();
      const text = await readFile(configFile, 'utf8');
      // A topic the stack was not granted would be denied at every alert: refuse it now.
      const grantedTopics = await ssmConfig.readGrantedTopics(client, parameter);
      if (grantedTopics) validateConfig(JSON.parse(text), {}, { grantedTopics });
      if (config.checkers.some((checker) => checker.type === 'exec')) {
        process.stderr.write(
          'checkup: note: exec checkers do not run in AWS (a Lambda runs no local commands)\n',
        );
      }
      // A config over one parameter goes to the object the stack records, the parameter pointing to it.
      const url = await ssmConfig.readConfigObjectUrl(client, parameter);
      const object = url
        ? {
            url,
            put: async (body: string) => {
              const { bucket, key } = s3Location(url);
              await s3().send(
                new PutObjectCommand({
                  Bucket: bucket,
                  Key: key,
                  Body: body,
                  ContentType: 'application/json',
                  ServerSideEncryption: 'AES256',
                }),
              );
            },
          }
        : undefined;
      const written = await ssmConfig.writeSsmConfig(client, parameter, text, object);
      const where = written[0]?.startsWith('s3://')
        ? ` (kept in ${written[0]}, the parameter pointing to it)`
        : written.length > 1
          ? ` (split over ${written.length} parameters)`
          : '';
      process.stdout.write(`pushed ${configFile} to ssm:${parameter}${where}\n`);
      if (verbose) for (const name of written) process.stderr.write(`wrote ${name}\n`);
      return 0;
    }

    const raw = await ssmConfig.readSsmConfig(client, parameter, async (pointer) => {
      const { bucket, key } = s3Location(pointer.url);
      const answer = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await answer.Body?.transformToString('utf8')) ?? '';
    });
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
