/**
 * How every Checkup function is bundled, shared by the CDK function construct (NodejsFunction)
 * and `npm run bench` (esbuild with the same options), so the bench measures what is deployed.
 * No CDK import here: the bench loads this file.
 */
export const FUNCTION_BUNDLING = {
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  mainFields: ['module', 'main'],
  // The Lambda Node.js runtime ships AWS SDK v3: bundling it would triple the size and the init time.
  // Packages loaded on demand are shipped beside the bundle (ON_DEMAND_PACKAGES), not in it.
  external: ['@aws-sdk/*', 'nodemailer'],
  // ESM has no `require`; a few CommonJS dependencies still call it.
  banner:
    "import { createRequire as __checkupRequire } from 'node:module'; const require = __checkupRequire(import.meta.url);",
} as const;

/** Each function's handler file, relative to the repository root. */
export const FUNCTION_ENTRIES = {
  check: 'functions/check-handler.ts',
  notify: 'functions/notify-handler.ts',
  shard: 'functions/shard-handler.ts',
  ping: 'functions/ping-handler.ts',
  subscribe: 'functions/subscribe-handler.ts',
} as const;

/**
 * Packages a handler imports only on demand (import()), for a config few have: nodemailer, for a
 * mail notifier (243 KB, more than the rest of the notify bundle). The function's single file
 * would carry them whether used or not, so each is bundled into its own ESM file in the asset's
 * node_modules, where Node finds it only when it is imported.
 */
export const ON_DEMAND_PACKAGES = ['nodemailer'] as const;
