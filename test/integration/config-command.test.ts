// `checkup config push|pull` against SSM (mocked: there is no SSM emulator), run in process.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configCommand } from '../../cli/commands/config-command.js';
import { loadConfigFile } from '../../cli/load-config-file.js';
import { ConfigError } from '../../core/config/config-error.js';
import { fakeSsm } from '../helpers/fake-ssm.js';
import { makeProject, removeTempDirs } from '../helpers/temp-dir.js';

let ssm: ReturnType<typeof fakeSsm>;
const output: string[] = [];
const originalWrite = process.stdout.write.bind(process.stdout);

beforeEach(() => {
  ssm = fakeSsm();
  output.length = 0;
  process.stdout.write = ((chunk: string) => {
    output.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
});
afterEach(() => {
  process.stdout.write = originalWrite;
  ssm.mock.restore();
});
afterAll(removeTempDirs);

function run(args: string[], dir: string, options: Record<string, string | boolean> = {}) {
  const configFile = path.join(dir, 'checkup.json');
  return configCommand.run({
    args,
    options,
    configFile,
    loadConfig: (use) => loadConfigFile(configFile, use),
    verbose: false,
  });
}

const checker = (index: number) => ({
  type: 'http',
  endpoint_name: `Service number ${index} with a descriptive name`,
  endpoint_url: `https://service-${index}.example.com/health/check/endpoint`,
  threshold_rtt: '750ms',
  attempts: 3,
  must_contain: 'ok',
});

describe('checkup config push', () => {
  it('writes a small checkup.json to one parameter exactly as written', async () => {
    const text =
      '{\n  "checkers": [\n    { "type": "http", "endpoint_name": "Site", "endpoint_url": "https://example.com" }\n  ]\n}\n';
    const dir = await makeProject(text);
    expect(await run(['push'], dir)).toBe(0);
    expect([...ssm.parameters]).toEqual([['/checkup/config', { value: text, tier: 'Standard' }]]);
    expect(output.join('')).toContain('pushed');
  });

  it('refuses an invalid file, naming the problem, and writes nothing', async () => {
    const dir = await makeProject({
      checkers: [{ type: 'http', endpoint_name: 'Site', endpoint_url: 'ftp://x' }],
    });
    const failure = await run(['push'], dir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).message).toContain('checkers[0].endpoint_url');
    expect(ssm.parameters.size).toBe(0);
  });

  it('splits a config too big for one parameter, one parameter per checker, and pull merges it back', async () => {
    const config = {
      checkers: Array.from({ length: 40 }, (_, index) => checker(index)),
      concurrent_checks: 20,
    };
    const dir = await makeProject(config);
    expect(await run(['push'], dir, { parameter: '/status/config' })).toBe(0);
    expect(ssm.parameters.size).toBe(41);
    expect(JSON.parse(ssm.parameters.get('/status/config')?.value ?? '')).toEqual({
      checkers: [],
      concurrent_checks: 20,
    });
    expect(JSON.parse(ssm.parameters.get('/status/config/checkers/039')?.value ?? '')).toEqual(checker(39));
    for (const { value } of ssm.parameters.values())
      expect(Buffer.byteLength(value)).toBeLessThanOrEqual(4096);

    const elsewhere = await makeProject('');
    await writeFile(path.join(elsewhere, 'checkup.json'), '');
    expect(await run(['pull'], elsewhere, { parameter: '/status/config', force: true })).toBe(0);
    expect(JSON.parse(await readFile(path.join(elsewhere, 'checkup.json'), 'utf8'))).toEqual(config);
  });

  it('removes the checker parameters a longer config left behind', async () => {
    const dir = await makeProject({ checkers: Array.from({ length: 40 }, (_, index) => checker(index)) });
    await run(['push'], dir);
    await writeFile(path.join(dir, 'checkup.json'), JSON.stringify({ checkers: [checker(1)] }));
    await run(['push'], dir);
    expect([...ssm.parameters.keys()]).toEqual(['/checkup/config']);
  });
});

describe('checkup config pull', () => {
  it('will not replace a local file that differs unless --force is given', async () => {
    ssm.parameters.set('/checkup/config', { value: JSON.stringify({ checkers: [] }), tier: 'Standard' });
    const dir = await makeProject({ checkers: [checker(1)] });
    await expect(run(['pull'], dir)).rejects.toThrow(/differs from ssm:\/checkup\/config; pass --force/);
    expect(await run(['pull'], dir, { force: true })).toBe(0);
    expect(JSON.parse(await readFile(path.join(dir, 'checkup.json'), 'utf8'))).toEqual({ checkers: [] });
  });

  it('pulls an invalid config as it is, so it can be fixed, and exits 1', async () => {
    ssm.parameters.set('/checkup/config', { value: '{"checkers":[{"type":"htp"}]}', tier: 'Standard' });
    const dir = await makeProject('');
    expect(await run(['pull'], dir, { force: true })).toBe(1);
    expect(await readFile(path.join(dir, 'checkup.json'), 'utf8')).toContain('"htp"');
  });

  it('says which parameter is missing', async () => {
    const dir = await makeProject('');
    await expect(run(['pull'], dir, { force: true })).rejects.toThrow(
      /ssm:\/checkup\/config: no such parameter/,
    );
  });
});

describe('checkup config', () => {
  it('treats a missing or unknown action as a usage error', async () => {
    const dir = await makeProject('');
    await expect(run([], dir)).rejects.toThrow(/push or pull/);
    await expect(run(['sync'], dir)).rejects.toThrow(/push or pull/);
    await expect(run(['push'], dir, { parameter: 'relative' })).rejects.toThrow(/--parameter/);
  });
});
