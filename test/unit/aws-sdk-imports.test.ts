import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { awsSdk } from '../../adapters/aws/aws-sdk.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

describe('lazy AWS SDK imports', () => {
  it('all go through adapters/aws/aws-sdk.ts, which copes with the CLI bundle', async () => {
    const files = (await Promise.all(['adapters', 'cli', 'core', 'functions'].map(sourceFiles))).flat();
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(path.join(ROOT, file), 'utf8');
      // `typeof import('@aws-sdk/...')` is a type, not an import.
      if (
        /(?<!typeof )import\(\s*['"]@aws-sdk\//.test(text) &&
        file !== path.join('adapters', 'aws', 'aws-sdk.ts')
      )
        offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });

  it('offers the client classes by name, and loads each package once', async () => {
    const ssm = await awsSdk.ssm();
    expect(typeof ssm.SSMClient).toBe('function');
    expect(await awsSdk.ssm()).toBe(ssm);
    expect(typeof (await awsSdk.sns()).PublishCommand).toBe('function');
  });
});
