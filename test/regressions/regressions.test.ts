/**
 * Replays every reproducer the fuzzer saved (test/regressions/*, listed in README.md) and asserts
 * it passes now (issue #6): no crash, no internal error, and (for reproducers of time / memory
 * failures) within the fuzzer's CPU-time and memory bounds. A UsageError is an acceptable answer.
 *
 * Reproducers whose README status is `open` (bug not fixed yet, routed to the module's owner):
 * a crash / internal one is expected to fail (`it.fails`), so the test turns red when the bug is
 * fixed and the status gets updated to `fixed`; a time / memory one is skipped (whether it crosses
 * a bound near its limit is not deterministic enough for `it.fails`) until it is marked `fixed`.
 *
 * With a fresh build in dist/ (CI: `npm ci` builds) every reproducer runs in a worker thread under
 * the fuzzer's bounds (scripts/fuzz/replay.ts). Without one, crash / internal reproducers run
 * in-process and time / memory ones are skipped with the reason.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listReproducers } from '../../scripts/fuzz/reproducers.js';
import { materialize } from '../../scripts/fuzz/materialize.js';
import { writeCompanions, runAnalysis, type Companions } from '../../scripts/fuzz/run-case.js';
import { freshDistWorker, replayBounded } from '../../scripts/fuzz/replay.js';
import { WorkerRunner } from '../../scripts/fuzz/runner.js';

const dir = dirname(fileURLToPath(import.meta.url));
const root = resolve(dir, '..', '..');
const reproducers = listReproducers(dir);
const dist = freshDistWorker(root);
const BOUND_KINDS = new Set(['timeout', 'slow', 'memory']);
let work = '';
let companions: Companions;
let runner: WorkerRunner | null = null;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tls-extract-regress-'));
  companions = writeCompanions(join(work, 'companions'));
  if ('url' in dist) runner = new WorkerRunner({ workerUrl: dist.url, companions, cpuLimitMs: 6000, wallLimitMs: 120_000, heapLimitMiB: 512, rssLimitMiB: 512 });
});
afterAll(async () => {
  await runner?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('fuzzer reproducers', () => {
  it('every saved reproducer has a line in README.md and every line names a file that exists', () => {
    const readme = join(dir, 'README.md');
    const lines = existsSync(readme) ? readFileSync(readme, 'utf8').split('\n').filter((l) => l.startsWith('| `')) : [];
    const listed = lines.map((l) => /^\| `([^`]+)`/.exec(l)![1]);
    expect(new Set(listed)).toEqual(new Set(reproducers.map((r) => r.file)));
  });

  for (const r of reproducers) {
    const bounded = BOUND_KINDS.has(r.failure);
    const why = bounded && r.status === 'open' ? 'open time/memory bug, see README.md' : bounded && 'reason' in dist ? dist.reason : null;
    const test = r.status === 'open' ? it.fails : it;
    const title = `${r.file} (${r.role}, found as ${r.failure}, ${r.status}) ${r.status === 'open' ? 'still fails (open bug)' : 'passes'}`;
    test.skipIf(why !== null)(`${title}${why ? ` [skipped: ${why}]` : ''}`, async () => {
      const caseDir = join(work, r.file);
      mkdirSync(caseDir, { recursive: true });
      if (runner) {
        const f = await replayBounded(runner, r, caseDir);
        expect(f, f ? `${f.kind}: ${f.detail}\n${f.stack ?? ''}` : '').toBeNull();
        return;
      }
      const input = await materialize({ role: r.role, ext: r.ext, bytes: r.bytes, recipe: r.recipe, origin: r.file }, caseDir, caseDir);
      const out = await runAnalysis(r.role, input, companions, r.limits);
      expect(out.verdict, `${out.detail ?? ''}\n${out.stack ?? ''}`).toMatch(/^(ok|usage)$/);
    }, 300_000);
  }
});
