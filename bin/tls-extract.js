#!/usr/bin/env node
// tls-extract command entry: runs the compiled CLI. `npm ci` / `npm run build` produce dist/src (tsc)
// and dist/cli, the same code bundled (scripts/bundle-cli.mjs), which starts ~90 ms sooner. The bundle
// is used when it is at least as new as the tsc output; after a bare `tsc`, dist/src runs instead.
import { statSync } from 'node:fs';

const mtime = (rel) => {
  try {
    return statSync(new URL(rel, import.meta.url)).mtimeMs;
  } catch {
    return -1;
  }
};
const bundled = mtime('../dist/cli/main.js');
const { main } = bundled >= 0 && bundled >= mtime('../dist/src/cli/main.js')
  ? await import('../dist/cli/main.js')
  : await import('../dist/src/cli/main.js');

// `tls-extract ... | head` closes the pipe early: stop quietly instead of crashing on EPIPE. Any other
// failure to write the output (a full disk) is one line and exit code 2, like an unwritable --output.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`tls-extract: cannot write standard output: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(2);
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
