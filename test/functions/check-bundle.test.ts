import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FUNCTION_BUNDLING, FUNCTION_ENTRIES } from '../../infra/function-bundling.js';

/** The check function as NodejsFunction bundles it, as text. */
async function bundledCheckFunction(): Promise<string> {
  const output = await build({
    entryPoints: [FUNCTION_ENTRIES.check],
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
});
