import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTION_BUNDLING, FUNCTION_ENTRIES } from '../../infra/function-bundling.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp-dir.js';

afterAll(removeTempDirs);

/** The check (or another) function as NodejsFunction bundles it, as text. */
async function bundledCheckFunction(entry: string = FUNCTION_ENTRIES.check): Promise<string> {
  const output = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: FUNCTION_BUNDLING.format,
    target: FUNCTION_BUNDLING.target,
    minify: FUNCTION_BUNDLING.minify,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    external: [...FUNCTION_BUNDLING.external],
    logLevel: 'silent',
  });
  return output.outputFiles[0]?.text ?? '';
}

describe('the check function bundle', () => {
  it('loads the DynamoDB client only on demand, so S3 storage does not pay for it at cold start', async () => {
    const code = await bundledCheckFunction();
    const staticImports = [...code.matchAll(/(?:^|[;}\s])import\s*[^()'"]*?from\s*"(@aws-sdk\/[^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(staticImports).toContain('@aws-sdk/client-s3');
    expect(staticImports).not.toContain('@aws-sdk/client-dynamodb');
    expect(code).toContain('import("@aws-sdk/client-dynamodb")');
  });

  it('has the notify function load the DynamoDB client only where the alert state is in a table', async () => {
    const code = await bundledCheckFunction(FUNCTION_ENTRIES.notify);
    const staticImports = [...code.matchAll(/(?:^|[;}\s])import\s*[^()'"]*?from\s*"(@aws-sdk\/[^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(staticImports).toContain('@aws-sdk/client-s3');
    expect(staticImports).not.toContain('@aws-sdk/client-dynamodb');
    expect(code).toContain('import("@aws-sdk/client-dynamodb")');
  });

  it('carries the worker that runs body regular expressions, and it can be stopped', async () => {
    expect(await bundledCheckFunction()).toContain('new RegExp(source, flags).test(text)');
    // The worker module bundled as the function is, then run.
    const output = await build({
      entryPoints: ['core/checkers/match-in-worker.ts'],
      bundle: true,
      write: false,
      platform: 'node',
      format: FUNCTION_BUNDLING.format,
      target: FUNCTION_BUNDLING.target,
      minify: FUNCTION_BUNDLING.minify,
      banner: { js: FUNCTION_BUNDLING.banner },
      logLevel: 'silent',
    });
    const file = path.join(await makeTempDir(), 'match-in-worker.mjs');
    await writeFile(file, output.outputFiles[0]?.text ?? '');
    const { matchInWorker } = (await import(
      pathToFileURL(file).href
    )) as typeof import('../../core/checkers/match-in-worker.js');
    expect(await matchInWorker('^fi', '', 'fine', new AbortController().signal)).toBe(true);
    const stopped = matchInWorker('^(a+)+$', '', `${'a'.repeat(41)}\n`, AbortSignal.timeout(300));
    await expect(stopped).rejects.toThrow(/TimeoutError|aborted/);
  });
});
