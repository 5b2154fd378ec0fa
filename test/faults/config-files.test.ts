import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

afterEach(removeTempDirs);

const tcp = (file: string) => ({
  type: 'tcp',
  endpoint_name: 'T',
  endpoint_url: '127.0.0.1:1',
  tls: true,
  tls_ca_file: file,
});
const tls = (file: string) => ({
  type: 'tls',
  endpoint_name: 'T',
  endpoint_url: '127.0.0.1:1',
  trusted_roots: [file],
});

describe('CA files named in config are read within bounds', () => {
  it.each([
    ['tls_ca_file', tcp, 'checkers[0].tls_ca_file'],
    ['trusted_roots', tls, 'checkers[0].trusted_roots[0]'],
  ])('refuses /dev/zero as %s (exit 2, naming the key)', async (_, checker, place) => {
    const cwd = await makeProject({ checkers: [checker('/dev/zero')] });
    const { code, stderr } = await runCli([], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain(`${place}: /dev/zero is not a regular file`);
  });

  it.each([
    ['tls_ca_file', tcp, 'checkers[0].tls_ca_file'],
    ['trusted_roots', tls, 'checkers[0].trusted_roots[0]'],
  ])(
    'refuses a FIFO as %s rather than waiting for a writer',
    async (_, checker, place) => {
      const cwd = await makeProject({});
      execFileSync('mkfifo', [path.join(cwd, 'ca.pem')]);
      await writeFile(path.join(cwd, 'checkup.json'), JSON.stringify({ checkers: [checker('ca.pem')] }));
      const { code, stderr } = await runCli([], cwd);
      expect(code).toBe(2);
      expect(stderr).toContain(`${place}: ca.pem is not a regular file`);
    },
    20_000,
  );

  it('refuses a CA file over 1 MiB', async () => {
    const cwd = await makeProject({ checkers: [tcp('big.pem')] });
    await writeFile(path.join(cwd, 'big.pem'), Buffer.alloc(2 * 1024 * 1024, 'A'));
    const { code, stderr } = await runCli([], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain('checkers[0].tls_ca_file: big.pem is 2097152 bytes, over the limit of 1 MiB');
  });
});
