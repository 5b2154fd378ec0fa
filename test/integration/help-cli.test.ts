import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../cli/commands/index.js';
import { runCli } from '../helpers/run-cli.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

let cwd: string;
beforeAll(async () => {
  cwd = await makeTempDir();
});
afterAll(removeTempDirs);

const named = commands.map((command) => command.name).filter(Boolean);

/** Lines wider than a classic terminal, with their widths, so a failure shows which. */
function overWide(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => [...line].length > 80)
    .map((line) => `${[...line].length}: ${line}`);
}

describe('checkup help', () => {
  it('prints the same overview for --help, -h and help, listing every command, within 80 columns', async () => {
    const [long, short, word] = await Promise.all([
      runCli(['--help'], cwd),
      runCli(['-h'], cwd),
      runCli(['help'], cwd),
    ]);
    expect(long.code).toBe(0);
    expect(short.stdout).toBe(long.stdout);
    expect(word.stdout).toBe(long.stdout);
    for (const name of named) expect(long.stdout).toMatch(new RegExp(`^ {2}${name} {2,}\\S`, 'm'));
    expect(long.stdout).toMatch(/^ {2}\(none\) +check every endpoint once/m);
    expect(overWide(long.stdout)).toEqual([]);
  });

  it.each(named)('prints help for %s the same both ways, within 80 columns', async (name) => {
    const [word, flag] = await Promise.all([runCli(['help', name], cwd), runCli([name, '--help'], cwd)]);
    expect(word.code).toBe(0);
    expect(word.stderr).toBe('');
    expect(flag.stdout).toBe(word.stdout);
    expect(word.stdout).toMatch(new RegExp(`^Usage: checkup ${name}\\b`));
    expect(word.stdout).toContain('\nOptions:\n');
    expect(word.stdout).toContain('  -c, --config FILE');
    for (const option of Object.keys(commands.find((command) => command.name === name)?.options ?? {}))
      expect(word.stdout).toContain(`--${option}`);
    expect(overWide(word.stdout)).toEqual([]);
  });

  it("shows a command's own options and details", async () => {
    const { stdout } = await runCli(['help', 'serve'], cwd);
    expect(stdout).toMatch(/^ {6}--listen ADDRESS +the address to listen on \(default :2015\)$/m);
    expect(stdout).toContain('With --every, also check and store at that interval');
  });

  it('treats an unknown topic as a usage error, with a suggestion', async () => {
    const { code, stderr, stdout } = await runCli(['help', 'serv'], cwd);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown command "serv"; did you mean "serve"?');
  });
});
