#!/usr/bin/env node
// The command is the bundle in dist/, built by `npm install` in a clone (prepare) and shipped
// in the packed tarball. A clone linked before it was built has none: say what to run.
let cli;
try {
  cli = await import('../dist/start.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/start.js')) throw error;
  const root = new URL('..', import.meta.url).pathname;
  process.stderr.write(
    `checkup: the command is not built: run "npm install" (or "npm run build") in ${root}\n`,
  );
  process.exit(1);
}
process.exitCode = await cli.start(process.argv.slice(2));
