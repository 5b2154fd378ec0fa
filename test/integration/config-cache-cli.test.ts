import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checksum } from '../../cli/checksum.js';
import { BIN } from '../helpers/run-cli.js';
import { runListingSchemaTypes } from '../helpers/run-with-preload.js';
import { type RunningServer, startHttpServer } from '../helpers/servers.js';
import { makeProject, makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

// The built command keeps each config it validated in its cache dir (cli/config-cache.ts), and
// a later run of the same build takes it from there. Whether a run validated is told by the
// schemas zod built in it: validating builds the checker type's schema, a config taken from the
// cache builds none.

let server: RunningServer;
beforeAll(async () => {
  server = await startHttpServer((_request, response) => response.end('ok'));
});
afterAll(() => server.close());
afterEach(removeTempDirs);

/** Runs the built `checkup` with its caches in `cache`, listing the schema types it built. */
function run(cwd: string, args: string[], cache: string) {
  return runListingSchemaTypes(cwd, args, { CHECKUP_CACHE_DIR: cache });
}

async function configEntries(cache: string): Promise<string[]> {
  return (await readdir(cache).catch(() => [])).filter((name) => name.endsWith('.config'));
}

function web(extra: Record<string, unknown> = {}) {
  return { type: 'http', endpoint_name: 'web', endpoint_url: `${server.url}/`, ...extra };
}

describe('the config cache of the built checkup', () => {
  it('validates a config once: the next run takes it from the cache, and says and prints the same', async () => {
    // storage.url has no effect here: a notice, which must be printed on every run.
    const cwd = await makeProject({
      checkers: [web()],
      storage: { type: 'fs', dir: 'out', url: 'https://x/' },
    });
    const cache = await makeTempDir();
    const first = await run(cwd, [], cache);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('storage.url: no effect here');
    expect(first.types).toContain('http');

    const [entry] = await configEntries(cache);
    expect(entry).toMatch(/^[0-9a-f]{32}\.config$/);
    // A config may hold secrets: the entry is its owner's alone.
    expect((await stat(path.join(cache, entry as string))).mode & 0o777).toBe(0o600);

    const second = await run(cwd, [], cache);
    expect(second.types).toEqual([]);
    expect(second.code).toBe(0);
    expect(second.stderr).toBe(first.stderr);
    expect(second.stdout).toContain('== web - http://127.0.0.1:');
    expect(second.stdout).toContain('Assessment: healthy');
  });

  it('validates an edited config again, finds its problems, and keeps nothing of the old text', async () => {
    const cwd = await makeProject({
      checkers: [web({ headers: { Authorization: 'Bearer old-secret' } })],
    });
    const cache = await makeTempDir();
    expect((await run(cwd, [], cache)).code).toBe(0);
    const [entry] = await configEntries(cache);
    expect(await readFile(path.join(cache, entry as string), 'utf8')).toContain('old-secret');

    await writeFile(
      path.join(cwd, 'checkup.json'),
      JSON.stringify({ checkers: [web({ endpoint_name: 'site' })] }),
    );
    const edited = await run(cwd, [], cache);
    expect(edited.types).toContain('http');
    expect(edited.stdout).toContain('== site - http://127.0.0.1:');
    expect(await configEntries(cache)).toEqual([entry]);
    expect(await readFile(path.join(cache, entry as string), 'utf8')).not.toContain('old-secret');

    await writeFile(path.join(cwd, 'checkup.json'), JSON.stringify({ checkers: [web({ attempts: 0 })] }));
    const broken = await run(cwd, [], cache);
    expect(broken.stderr).toContain('checkers[0].attempts');
    expect(broken.code).toBe(2);
    // A config with problems is never kept: the same text fails the same way again.
    const again = await run(cwd, [], cache);
    expect(again.stderr).toBe(broken.stderr);
    expect(again.code).toBe(2);
  });

  it('does not take a config validated for one use as valid for another', async () => {
    // A notifier that cannot work: a warning for a check that sends nothing, an error with --store.
    const cwd = await makeProject({
      checkers: [web()],
      notifiers: [{ type: 'slack', webhook: 'not a url' }],
    });
    const cache = await makeTempDir();
    const plain = await run(cwd, [], cache);
    expect(plain.stderr).toContain('warning:');
    expect(plain.stderr).toContain('notifiers[0].webhook');
    expect(plain.code).toBe(0);

    const stored = await run(cwd, ['--store'], cache);
    expect(stored.stderr).not.toContain('warning:');
    expect(stored.stderr).toContain('notifiers[0].webhook: not an http(s) URL or ssm:/path');
    expect(stored.code).toBe(2);

    const plainAgain = await run(cwd, [], cache);
    expect(plainAgain.types).toEqual([]);
    expect(plainAgain.stderr).toBe(plain.stderr);
    expect(plainAgain.code).toBe(0);
  });

  it('validates anew when its entry is damaged, and writes it again', async () => {
    const cwd = await makeProject({ checkers: [web()] });
    const cache = await makeTempDir();
    await run(cwd, [], cache);
    const file = path.join(cache, (await configEntries(cache))[0] as string);
    const good = await readFile(file);
    // The checker's name changed in the kept config (after the text it was validated from), its
    // checksum not: a damaged entry.
    const kept = good.toString('latin1');
    const at = kept.lastIndexOf('\\"web\\"');
    expect(at).toBeGreaterThan(kept.indexOf('"configs"'));
    const damaged = Buffer.from(`${kept.slice(0, at)}\\"bad\\"${kept.slice(at + 7)}`, 'latin1');
    await writeFile(file, damaged);

    const outcome = await run(cwd, [], cache);
    expect(outcome.types).toContain('http');
    expect(outcome.stdout).toContain('== web - ');
    const rewritten = await readFile(file);
    expect(checksum(rewritten.subarray(16))).toEqual(rewritten.subarray(0, 16));
    expect(rewritten.toString('latin1')).not.toContain('bad');
  });

  it('validates anew under another build of the command', async () => {
    const pkg = await makeTempDir();
    const built = path.dirname(path.dirname(BIN));
    await cp(path.join(built, 'bin'), path.join(pkg, 'bin'), { recursive: true });
    await cp(path.join(built, 'dist'), path.join(pkg, 'dist'), {
      recursive: true,
      filter: (source) => !source.endsWith('.map'),
    });
    const cwd = await makeProject({
      checkers: [web()],
      storage: { type: 'fs', dir: 'out', url: 'https://x/' },
    });
    const cache = await makeTempDir();
    const runCopy = () =>
      runListingSchemaTypes(cwd, [], { CHECKUP_CACHE_DIR: cache }, path.join(pkg, 'bin', 'checkup.js'));
    const said = "it told checkup's status page where the files were";
    expect((await runCopy()).stderr).toContain(said);

    // Another build, whose validation says something else of the same key.
    const bundle = path.join(pkg, 'dist', 'cli.cjs');
    const text = await readFile(bundle, 'utf8');
    expect(text).toContain(said);
    await writeFile(bundle, text.replace(said, 'another build says so'));
    const rebuilt = await runCopy();
    expect(rebuilt.stderr).toContain('storage.url: no effect here: another build says so');
    expect(rebuilt.types).toContain('fs');
    // And keeps that for itself.
    const again = await runCopy();
    expect(again.types).toEqual([]);
    expect(again.stderr).toBe(rebuilt.stderr);
    expect(await configEntries(cache)).toHaveLength(1);
  });

  it('keeps nothing where caches are turned off (CHECKUP_CACHE_DIR empty)', async () => {
    const cwd = await makeProject({ checkers: [web()] });
    for (let run = 0; run < 2; run++) {
      const outcome = await runListingSchemaTypes(cwd, [], { CHECKUP_CACHE_DIR: '' });
      expect(outcome.types).toContain('http');
      expect(outcome.code).toBe(0);
    }
  });
});
