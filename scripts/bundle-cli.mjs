// Bundle the compiled CLI (dist/src/cli/main.js and everything it imports) into dist/cli/: one module
// for what every run needs and a chunk per lazily loaded part (pipeline, log parsers, archive reader,
// table / Markdown / timeline renderers). Run by `npm run build` after tsc.
//
// Why: Node 20 loads the ~120 modules of dist/src one by one (resolve, read, compile, link), ~90 ms
// of every run: a third of a run on a small capture. The bundle loads in a few milliseconds. Packages
// stay external (node_modules, imported as they are); the library entry point (dist/src/index.js) is
// not bundled. bin/tls-extract.js uses the bundle when it is at least as new as the tsc output.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true }); // no stale chunks from an earlier build

await build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli/main.js'],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  logLevel: 'warning',
});
