// Bundles the command line into dist/cli.js (one file: fast to start, nothing to compile at run time).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: { cli: 'cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  minify: false,
  packages: 'bundle',
  // Code loaded with import() (the AWS SDK, for ssm: secrets and SNS) goes in its own chunk, so a
  // plain `checkup` does not parse it.
  splitting: true,
  define: { CHECKUP_VERSION: JSON.stringify(version) },
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// The JSON Schema of checkup.json, from the same definitions the validator uses.
const schema = spawnSync(process.execPath, ['bin/checkup.js', 'schema'], { encoding: 'utf8' });
if (schema.status !== 0) throw new Error(`checkup schema failed: ${schema.stderr}`);
mkdirSync('schema', { recursive: true });
writeFileSync('schema/checkup.schema.json', schema.stdout);
