#!/usr/bin/env node
// The command is the bundle in dist/, built by `npm install` in a clone (prepare) and shipped
// in the packed tarball. A clone linked before it was built has none: say what to run.
// CommonJS (bin/package.json): an ES module entry would start Node's ESM loader, which cost
// more than a tenth of the command's start-up.
let cli;
try {
  cli = require('../dist/start.cjs');
} catch (error) {
  if (error?.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes('start.cjs')) throw error;
  const root = require('node:path').resolve(__dirname, '..');
  process.stderr.write(
    `checkup: the command is not built: run "npm install" (or "npm run build") in ${root}/\n`,
  );
  process.exit(1);
}
cli.start(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
