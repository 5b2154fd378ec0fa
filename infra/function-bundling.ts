/** Each function's handler file, relative to the repository root. No CDK import: the bench uses it. */
export const FUNCTION_ENTRIES = {
  check: 'functions/check-handler.ts',
  notify: 'functions/notify-handler.ts',
} as const;

/** The script that bundles a handler (esbuild, ESM, minified, source map), for the CDK app and the bench. */
export const BUNDLE_SCRIPT = 'scripts/bundle-function.mjs';
