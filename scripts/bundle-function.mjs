// Bundles one Lambda handler the way Checkup deploys it: esbuild, ESM, minified, with an
// external source map, the AWS SDK left to the Lambda runtime. Used by the CDK app (local
// bundling: no Docker, works offline) and by `npm run bench`, so the bench measures what ships.
//
//   node scripts/bundle-function.mjs <entry.ts> <output dir>   -> <output dir>/index.mjs(.map)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * zod 4's classic API carries every locale's error messages (~250 KB minified) and a JSON Schema
 * importer, reachable only through `z.locales` and `z.fromJSONSchema`, which Checkup never calls
 * (config errors are English). esbuild cannot drop them from a namespace re-export, so they are
 * replaced here; when zod's layout changes this matches nothing and the bundle is only larger.
 */
const leaveOutUnusedZod = {
  name: 'leave-out-unused-zod',
  setup(builder) {
    const insideZod = (importer) => /[\\/]node_modules[\\/]zod[\\/]/.test(importer);
    builder.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      insideZod(args.importer) ? { path: 'locales', namespace: 'checkup-zod-stub' } : undefined,
    );
    builder.onResolve({ filter: /^\.\/from-json-schema\.js$/ }, (args) =>
      insideZod(args.importer) ? { path: 'from-json-schema', namespace: 'checkup-zod-stub' } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: 'checkup-zod-stub' }, (args) => ({
      contents:
        args.path === 'locales'
          ? 'export { default as en } from "zod/v4/locales/en.js";'
          : 'export function fromJSONSchema() { throw new Error("fromJSONSchema is not bundled"); }',
      resolveDir: ROOT,
      loader: 'js',
    }));
  },
};

/** The options every function bundle is built with. */
export const FUNCTION_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: 'external',
  sourcesContent: false,
  mainFields: ['module', 'main'],
  // The Lambda Node.js runtime ships AWS SDK v3: bundling it would triple the size and the init time.
  external: ['@aws-sdk/*'],
  // ESM has no `require`; a few CommonJS dependencies still call it.
  banner: {
    js: "import { createRequire as __checkupRequire } from 'node:module'; const require = __checkupRequire(import.meta.url);",
  },
  plugins: [leaveOutUnusedZod],
  logLevel: 'warning',
};

/** Bundles `entry` (relative to the repository root, or absolute) into `outDir/index.mjs`. */
export async function bundleFunction(entry, outDir) {
  const outfile = path.join(outDir, 'index.mjs');
  await build({ ...FUNCTION_BUILD_OPTIONS, entryPoints: [path.resolve(ROOT, entry)], outfile });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [entry, outDir] = process.argv.slice(2);
  if (!entry || !outDir || !existsSync(path.resolve(ROOT, entry))) {
    process.stderr.write('usage: node scripts/bundle-function.mjs <entry.ts> <output dir>\n');
    process.exit(2);
  }
  await bundleFunction(entry, outDir);
}
