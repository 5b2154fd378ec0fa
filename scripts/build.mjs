// Bundles the command line into dist/cli.js (one file: fast to start, nothing to compile at run time).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Chunk names carry content hashes: old ones would pile up beside the new.
rmSync('dist/chunks', { recursive: true, force: true });

await build({
  entryPoints: { cli: 'cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  // The AWS SDK is imported only where it is needed (import()); splitting keeps it out of the
  // command's start-up path, in chunks loaded on demand.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  minify: process.env.CHECKUP_NO_MINIFY !== '1',
  packages: 'bundle',
  // better-sqlite3 holds native code: it is installed beside checkup (docs/storage.md), not
  // bundled. pg-native is pg's optional C binding, never used here.
  external: ['better-sqlite3', 'pg-native'],
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

// The status page: one script and one stylesheet, minified, beside index.html in dist/statuspage.
await build({
  entryPoints: { app: 'statuspage/main.ts', 'app-style': 'statuspage/style.css' },
  outdir: 'dist/statuspage',
  entryNames: '[name]',
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: false,
  logLevel: 'warning',
});
copyFileSync('statuspage/index.html', 'dist/statuspage/index.html');
