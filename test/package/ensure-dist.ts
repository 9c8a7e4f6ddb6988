/**
 * Tests that run the compiled package (bin/tls-extract.js, the packed tarball, the allocation probe)
 * need dist/ to match src/. `npm ci` builds it (prepare → tsc); this rebuilds it when a source file
 * is newer than its output or the output is missing (a fresh checkout without `npm ci`, or edited
 * sources). Test files run in parallel workers, so the build is serialised by a lock directory.
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

/** Build dist/ with the repo's TypeScript unless it is up to date. Throws when no output results. */
export function ensureDist(root = ROOT): void {
  if (staleSources(root).length === 0) return;
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
      if (staleSources(root).length === 0) return;
    }
  }
  try {
    if (staleSources(root).length === 0) return;
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
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
