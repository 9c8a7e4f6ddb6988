/**
 * Tests that run the compiled package (bin/tls-extract.js, the packed tarball, the allocation probe)
 * need dist/ to match src/. `npm ci` builds it (prepare → tsc, then the CLI bundle); this rebuilds it
 * when a source file is newer than its output, the bundle is older than the tsc output, or either is
 * missing (a fresh checkout without `npm ci`, or edited sources). Test files run in parallel workers,
 * so the build is serialised by a lock directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = process.cwd();
export const DIST_ENTRY = join(ROOT, 'dist', 'src', 'index.js');

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) yield p;
  }
}

/** dist/cli (the bundled CLI bin/tls-extract.js runs) is missing or older than the tsc output. */
export function staleBundle(root = ROOT): boolean {
  const bundle = join(root, 'dist', 'cli', 'main.js');
  const compiled = join(root, 'dist', 'src', 'cli', 'main.js');
  return !existsSync(bundle) || !existsSync(compiled) || statSync(bundle).mtimeMs < statSync(compiled).mtimeMs;
}

/** Source files whose compiled .js is missing or older than the source. */
export function staleSources(root = ROOT): string[] {
  const out: string[] = [];
  for (const src of sources(join(root, 'src'))) {
    const js = join(root, 'dist', relative(root, src)).replace(/\.ts$/, '.js');
    if (!existsSync(js) || statSync(js).mtimeMs < statSync(src).mtimeMs) out.push(relative(root, src));
  }
  return out;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const upToDate = (root: string): boolean => staleSources(root).length === 0 && !staleBundle(root);

/** Build dist/ as `npm run build` does (tsc, then the CLI bundle) unless it is up to date. Throws when no output results. */
export function ensureDist(root = ROOT): void {
  if (upToDate(root)) return;
  const lock = join(root, '.cache', 'dist-build.lock');
  mkdirSync(join(root, '.cache'), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // another worker builds: wait for it (a lock older than 5 minutes is abandoned)
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`ensureDist: ${lock} held for too long`);
      sleep(500);
      if (upToDate(root)) return;
    }
  }
  try {
    if (upToDate(root)) return;
    if (staleSources(root).length > 0) {
      try {
        execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], {
          cwd: root, stdio: 'pipe', timeout: 240_000,
        });
      } catch (e) {
        // type errors still emit JavaScript (noEmitOnError is off); only a missing entry point is fatal
        if (!existsSync(join(root, 'dist', 'src', 'index.js'))) {
          const out = (e as { stdout?: Buffer }).stdout?.toString() ?? String(e);
          throw new Error(`ensureDist: tsc produced no dist/src/index.js:\n${out.slice(0, 4000)}`);
        }
      }
    }
    execFileSync(process.execPath, [join(root, 'scripts', 'bundle-cli.mjs')], { cwd: root, stdio: 'pipe', timeout: 120_000 });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
