/**
 * Replaying saved reproducers under the fuzzer's rules (CPU-time bound scaled by input size, heap
 * and RSS bounds) in a worker thread. The worker must be the compiled one (dist/), so replay is
 * only possible when dist/ is at least as new as every source file; otherwise the caller falls back
 * to running crash / internal reproducers in-process and skips the bound ones.
 */
import { existsSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { materialize } from './materialize.js';
import { boundMs, watchdogMs, failureOf, type Failure } from './classify.js';
import type { Reproducer } from './reproducers.js';
import type { WorkerRunner } from './runner.js';

function newestMtime(dir: string, ext: RegExp): number {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestMtime(p, ext));
    else if (ext.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** The compiled worker's URL when dist/ is built and not older than src/ and scripts/fuzz/, else a reason. */
export function freshDistWorker(root: string): { url: URL } | { reason: string } {
  const worker = join(root, 'dist', 'scripts', 'fuzz', 'worker.js');
  const pipeline = join(root, 'dist', 'src', 'pipeline.js');
  if (!existsSync(worker) || !existsSync(pipeline)) return { reason: 'dist/ not built (npm run build)' };
  // tsc rewrites every output on each build: the oldest of these two is the build time
  const built = Math.min(statSync(worker).mtimeMs, statSync(pipeline).mtimeMs);
  const sources = Math.max(newestMtime(join(root, 'src'), /\.ts$/), newestMtime(join(root, 'scripts', 'fuzz'), /\.ts$/));
  if (sources > built) return { reason: 'dist/ is older than the sources (npm run build)' };
  return { url: pathToFileURL(worker) };
}

/** Run one reproducer in the worker under the fuzzer's bounds; null when it passes. */
export async function replayBounded(runner: WorkerRunner, rep: Reproducer, dir: string): Promise<Failure | null> {
  mkdirSync(dir, { recursive: true });
  const input = await materialize({ role: rep.role, ext: rep.ext, bytes: rep.bytes, recipe: rep.recipe, origin: rep.file }, dir, dir);
  const bound = boundMs(statSync(input).size);
  const r = await runner.run({ role: rep.role, input, limits: rep.limits }, watchdogMs(bound));
  let f = failureOf({ r, boundMs: bound });
  // a crash / internal reproducer guards against that bug: its run time is only held to the
  // watchdog (a hang), not to the `slow` bound (it may sit near the bound legitimately)
  if (f?.kind === 'slow' && rep.failure !== 'slow' && rep.failure !== 'timeout') f = null;
  // an open (known) bug is not confirmed: a second run of a 1M-line log costs a minute
  if (f === null || f.kind === 'crash' || f.kind === 'internal' || rep.status === 'open') return f;
  // a bound hit: confirm once in a fresh worker (shared machine), as the fuzzer does
  await runner.stop();
  const again = await runner.run({ role: rep.role, input, limits: rep.limits }, watchdogMs(bound));
  return failureOf({ r: again, boundMs: bound });
}
