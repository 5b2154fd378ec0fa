// Bundles the command line into dist/cli.cjs (one script: fast to start, its compiled code cached
// by cli/start.ts), the large packages it loads on demand into dist/vendor/, and the status page.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync('dist/chunks', { recursive: true, force: true });
rmSync('dist/vendor', { recursive: true, force: true });
rmSync('dist/cli.js', { force: true });
rmSync('dist/cli.js.map', { force: true });

/**
 * The large packages the command loads only when a config asks for them (the AWS SDK clients,
 * nodemailer), each a bundle of its own in dist/vendor/, required on first use.
 */
const VENDOR = {
  '@aws-sdk/client-s3': 'client-s3',
  '@aws-sdk/client-dynamodb': 'client-dynamodb',
  '@aws-sdk/client-ssm': 'client-ssm',
  '@aws-sdk/client-sns': 'client-sns',
  '@aws-sdk/client-sesv2': 'client-sesv2',
  // The check function's fan-out queue (adapters/queue): listed so awsSdk's import of it stays out of the command.
  '@aws-sdk/client-sqs': 'client-sqs',
  nodemailer: 'nodemailer',
  // The SQL drivers of the postgres and mysql storages (sqlite3's is native: see below).
  pg: 'pg',
  'mysql2/promise': 'mysql2',
};

/** Sends every import of a vendor package to its bundle in dist/vendor/. */
const vendorBundles = {
  name: 'vendor-bundles',
  setup(plugin) {
    const names = Object.keys(VENDOR).map((name) => name.replace(/[/-]/g, '\\$&'));
    plugin.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, ({ path }) => ({
      path: `./vendor/${VENDOR[path]}.cjs`,
      external: true,
    }));
  },
};

/**
 * The built-in modules a plain check never touches, loaded on first use instead of as the
 * command starts: each import of one becomes an object that requires the module the first
 * time a property of it is read (`http.request`, `createHash`). Loading them all up front cost
 * 10 ms of start-up on an idle 2-core machine and 25-35 ms under load (node:net, used by every
 * HTTP check, stays eager).
 */
const LAZY_BUILTINS = ['http', 'https', 'tls', 'zlib', 'child_process', 'crypto', 'dns', 'worker_threads'];

const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(plugin) {
    // The lazy module's own require is of the real module.
    plugin.onResolve({ filter: new RegExp(`^node:(${LAZY_BUILTINS.join('|')})$`) }, ({ path, namespace }) =>
      namespace === 'lazy-builtin' ? { path, external: true } : { path, namespace: 'lazy-builtin' },
    );
    // The bundle copies a module's names onto its import (a getter each) as it starts: the names
    // are the module's in the Node that builds, the values are read from the real module.
    plugin.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async ({ path }) => ({
      contents: `let loaded;
const load = () => (loaded ??= require(${JSON.stringify(path)}));
const names = ${JSON.stringify(Object.keys(await import(path)).filter((name) => name !== 'default'))};
const known = new Set(names);
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  ownKeys: () => names,
  getOwnPropertyDescriptor: (_, key) =>
    known.has(key) ? { configurable: true, enumerable: true, get: () => load()[key] } : undefined,
});
`,
      loader: 'js',
    }));
  },
};

// The command: one script (CommonJS) that bin/checkup.js compiles through a V8 code cache
// (cli/start.ts), so a run after the first skips parsing and compiling it. Dynamic imports
// become require() calls evaluated on first use: what a run does not need is not evaluated.
await build({
  entryPoints: { cli: 'cli/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  supported: { 'dynamic-import': false },
  sourcemap: true,
  minify: process.env.CHECKUP_NO_MINIFY !== '1',
  packages: 'bundle',
  // better-sqlite3 holds native code: it is installed beside checkup (docs/storage.md) and
  // required from there, never bundled.
  external: ['better-sqlite3'],
  plugins: [vendorBundles, lazyBuiltins],
  define: { CHECKUP_VERSION: JSON.stringify(version), 'import.meta.url': '__checkupBundleUrl' },
  banner: { js: "const __checkupBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

await build({
  entryPoints: Object.fromEntries(Object.entries(VENDOR).map(([name, file]) => [file, name])),
  outdir: 'dist/vendor',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  // pg's optional C binding, which pg requires only when asked for it: never here.
  external: ['pg-native'],
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
});

// What bin/checkup.js requires: the loader of the command's script and its code cache. CommonJS,
// like bin/checkup.js, so that start-up never loads Node's ESM loader.
rmSync('dist/start.js', { force: true });
await build({
  entryPoints: { start: 'cli/start.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: process.env.CHECKUP_NO_MINIFY !== '1',
  define: { 'import.meta.url': '__checkupStartUrl' },
  banner: { js: "const __checkupStartUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

// The JSON Schema of checkup.json, from the same definitions the validator uses.
const schema = spawnSync(process.execPath, ['bin/checkup.js', 'schema'], {
  encoding: 'utf8',
  // No code cache from a build: the next build changes the script anyway.
  env: { ...process.env, CHECKUP_CACHE_DIR: '' },
});
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
