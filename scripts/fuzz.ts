/**
 * tls-extract mutation fuzzer (issue #6 "Hostile input").
 *
 *   npm run fuzz -- [--iterations N] [--seconds S] [--seed X] [--sweep BYTES] [--sweep-only] [--timeout-ms MS]
 *                   [--ms-per-mib MS] [--wall-ms MS] [--heap-mib MiB] [--rss-mib MiB] [--out DIR] [--no-save]
 *                   [--no-minimize] [--only K] [--verbose]
 *
 * Seeds: synthetic captures / bundles / logs / trust stores built in code (scripts/fuzz/seeds.ts,
 * certificates from scripts/fuzz/seeds/*.pem) plus samples/**\/*.pcap* when present. Each case is
 * one hostile file run through the whole pipeline (`analyze`, then every renderer) in a worker
 * thread. A failure is: an exception that is not a UsageError, an `internal.*` diagnostic, a case
 * over the time bound (CPU time of analyze() plus the slowest renderer must stay under --timeout-ms,
 * default 5000, plus --ms-per-mib per MiB of input, default 100, so large generated inputs must
 * still go at ≥ 10 MiB/s; the worker is killed at 3× that, or after --wall-ms of wall time for
 * idle hangs, default 30000), or the V8 heap (--heap-mib, 512) / process RSS growth (--rss-mib, 512) over
 * its bound. Bound hits are confirmed once in a fresh worker; failures are minimised, saved under
 * test/regressions/ (one per distinct signature) and printed. `--only K` replays case K of --seed.
 * Cases alternate between the truncation sweep (every capture / bundle seed cut at each offset
 * below --sweep, default 256; --sweep-only runs just the sweep) and random cases (case k of seed X
 * is reproducible: --seed X --only k) until --iterations or --seconds is reached (default 2000
 * cases, or the whole sweep with --sweep-only; sweep cases count).
 * Exit 1 when a new failure was found (one whose signature is not an `open` row of
 * test/regressions/README.md), else 0; 2 on bad arguments.
 */
import { mkdtempSync, rmSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { syntheticSeeds, sampleSeeds, type Seed } from './fuzz/seeds.js';
import { Rng, mixSeed } from './fuzz/rng.js';
import { makeCase, sweepCase, sweepPlan } from './fuzz/make-case.js';
import { materialize, recipeKey } from './fuzz/materialize.js';
import { writeCompanions } from './fuzz/run-case.js';
import { boundMs, watchdogMs, failureOf, failureSignature, type Failure, type Trial } from './fuzz/classify.js';
import { WorkerRunner } from './fuzz/runner.js';
import { saveReproducer, openSignatures, tableSignature } from './fuzz/reproducers.js';
import { minimize } from './fuzz/minimize.js';
import { regressionsDir, repoRoot } from './fuzz/paths.js';
import type { CaseSpec } from './fuzz/case.js';

interface Args {
  iterations: number | null;
  seconds: number | null;
  seed: number;
  sweep: number;
  timeoutMs: number;
  msPerMiB: number;
  wallMs: number;
  only: number | null;
  sweepOnly: boolean;
  heapMiB: number;
  rssMiB: number;
  out: string;
  save: boolean;
  minimize: boolean;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { iterations: null, seconds: null, seed: (Date.now() ^ (process.pid << 8)) >>> 0, sweep: 256, timeoutMs: 5000, msPerMiB: 100, wallMs: 30_000, only: null, sweepOnly: false, heapMiB: 512, rssMiB: 512, out: regressionsDir(), save: true, minimize: true, verbose: false };
  const num = (i: number, name: string): number => {
    const v = Number(argv[i + 1]);
    if (argv[i + 1] === undefined || !Number.isFinite(v) || v < 0) throw new Error(`${name} needs a non-negative number`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--iterations') a.iterations = num(i++, k);
    else if (k === '--seconds') a.seconds = num(i++, k);
    else if (k === '--seed') a.seed = num(i++, k) >>> 0;
    else if (k === '--sweep') a.sweep = num(i++, k);
    else if (k === '--timeout-ms') a.timeoutMs = num(i++, k);
    else if (k === '--wall-ms') a.wallMs = num(i++, k);
    else if (k === '--ms-per-mib') a.msPerMiB = num(i++, k);
    else if (k === '--only') a.only = num(i++, k);
    else if (k === '--heap-mib') a.heapMiB = num(i++, k);
    else if (k === '--rss-mib') a.rssMiB = num(i++, k);
    else if (k === '--out') a.out = argv[++i];
    else if (k === '--no-save') a.save = false;
    else if (k === '--sweep-only') a.sweepOnly = true;
    else if (k === '--no-minimize') a.minimize = false;
    else if (k === '--verbose') a.verbose = true;
    else if (k === '--help' || k === '-h') {
      process.stdout.write('usage: npm run fuzz -- [--iterations N] [--seconds S] [--seed X] [--sweep BYTES] [--sweep-only] [--timeout-ms MS] [--ms-per-mib MS] [--wall-ms MS] [--heap-mib MiB] [--rss-mib MiB] [--out DIR] [--no-save] [--no-minimize] [--only K] [--verbose]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${k}`);
  }
  if (a.iterations === null && a.seconds === null) a.iterations = a.sweepOnly ? Infinity : 2000;
  return a;
}

function firstFrame(stack?: string): string {
  return (stack ?? '').split('\n').find((l) => /\/src\//.test(l))?.trim().replace(/\(file:\/\/[^)]*\/(?:dist\/)?(src\/[^)]*)\)/, '($1)') ?? '';
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n`);
    return 2;
  }
  const seeds: Seed[] = [...syntheticSeeds(), ...sampleSeeds()];
  const work = mkdtempSync(join(tmpdir(), 'tls-extract-fuzz-'));
  const cacheDir = join(work, 'cache');
  mkdirSync(cacheDir);
  const companions = writeCompanions(join(work, 'companions'));
  const runner = new WorkerRunner({ workerUrl: new URL('./fuzz/worker.js', import.meta.url), companions, cpuLimitMs: args.timeoutMs, wallLimitMs: args.wallMs, heapLimitMiB: args.heapMiB, rssLimitMiB: args.rssMiB });
  const deadline = args.seconds === null ? Infinity : Date.now() + args.seconds * 1000;
  const maxCases = args.iterations ?? Infinity;
  const sweep = sweepPlan(seeds, args.sweep);
  process.stdout.write(`fuzz: seed ${args.seed}, ${seeds.length} seeds (${seeds.filter((s) => s.name.startsWith('sample:')).length} samples), sweep ${args.sweep} B (${sweep.length} cases), bounds ${args.timeoutMs} ms / heap ${args.heapMiB} MiB / RSS +${args.rssMiB} MiB\n`);

  const verdicts: Record<string, number> = { ok: 0, usage: 0 };
  const failures: { sig: string; file: string | null; kind: string; detail: string; origin: string; frame: string; known: boolean }[] = [];
  const seen = new Set<string>();
  let cases = 0;
  let slowest = { ms: 0, origin: '' };
  let maxHeap = 0;
  let flaky = 0;
  const t0 = Date.now();
  let lastProgress = t0;
  let caseDirN = 0;

  const runSpec = async (c: CaseSpec, profile = false): Promise<Trial> => {
    const dir = join(work, `case-${caseDirN++ % 4}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const input = await materialize(c, dir, cacheDir);
    const bound = boundMs(statSync(input).size, args.timeoutMs, args.msPerMiB);
    return { r: await runner.run({ role: c.role, input, limits: c.limits, profile }, watchdogMs(bound)), boundMs: bound };
  };
  /** case k: sweep and random cases alternate while the sweep lasts (--sweep-only: sweep alone) */
  const caseAt = (k: number): CaseSpec | null => {
    if (args.sweepOnly) return k < sweep.length ? sweepCase(sweep[k]) : null;
    if (k % 2 === 0 && k / 2 < sweep.length) return sweepCase(sweep[k / 2]);
    return makeCase(seeds, new Rng(mixSeed(args.seed, k)));
  };
  const openSigs = openSignatures(args.out);
  /** generated inputs that already failed this run (a 1M-line log costs a minute per run) */
  const failedRecipes = new Map<string, Failure>();

  try {
    for (let k = args.only ?? 0; cases < maxCases && Date.now() < deadline; k++) {
      if (args.only !== null && k !== args.only) break;
      const c = caseAt(k);
      if (c === null) break;
      const recipe = c.regen ?? c.recipe;
      const rkey = recipe ? `${recipeKey(recipe)}|${JSON.stringify(c.limits ?? {})}` : null;
      const known = rkey ? failedRecipes.get(rkey) : undefined;
      if (known) {
        cases++;
        verdicts[known.kind] = (verdicts[known.kind] ?? 0) + 1;
        continue;
      }
      let t = await runSpec(c);
      let r = t.r;
      cases++;
      if (args.verbose || args.only !== null) {
        const what = r.kind === 'done' ? `${r.outcome.verdict} ${Math.round(r.outcome.ms)} ms wall ${Math.round(r.outcome.cpuMs ?? 0)}+${Math.round(r.outcome.renderCpuMs ?? 0)} ms cpu (case ${Math.round(r.cpuMs)})${r.outcome.detail ? ` ${r.outcome.detail.slice(0, 200)}` : ''}` : `${r.kind} ${'detail' in r ? r.detail : ''}`;
        process.stdout.write(`case ${k}: ${what} <- ${c.origin.slice(0, 200)}\n`);
      }
      let f = failureOf(t);
      if (f && (f.kind === 'timeout' || f.kind === 'memory' || f.kind === 'slow' || (f.kind === 'crash' && r.kind === 'fatal'))) {
        // confirm in a fresh worker: the machine is shared, and memory may be a previous case's garbage
        await runner.stop();
        const again = await runSpec(c);
        const f2 = failureOf(again);
        if (f2 === null) {
          flaky++;
          if (args.verbose) process.stdout.write(`fuzz: case ${k} ${f.kind} did not reproduce (${c.origin})\n`);
          f = null;
          t = again;
          r = again.r;
        }
      }
      if (r.kind === 'done') {
        if (!f) verdicts[r.outcome.verdict] = (verdicts[r.outcome.verdict] ?? 0) + 1;
        const used = (r.outcome.cpuMs ?? r.cpuMs) + (r.outcome.renderCpuMs ?? 0);
        if (used > slowest.ms) slowest = { ms: used, origin: c.origin };
        maxHeap = Math.max(maxHeap, r.outcome.heapUsedMiB ?? 0);
      }
      if (f?.kind === 'slow') {
        // where did the time go? a profiled rerun names the hottest function / RegExp
        const p = await runSpec(c, true);
        if (p.r.kind === 'done' && p.r.outcome.hot) {
          f.hot = p.r.outcome.hot;
          f.detail = `${f.detail}; hottest: ${f.hot}`;
        }
      }
      if (f) {
        verdicts[f.kind] = (verdicts[f.kind] ?? 0) + 1;
        if (rkey) failedRecipes.set(rkey, f);
        const sig = failureSignature(f, c.origin);
        const isKnown = openSigs.has(tableSignature(sig));
        if (!seen.has(sig)) {
          seen.add(sig);
          let spec = c;
          if (!isKnown && args.minimize && c.bytes && c.bytes.length <= 256 * 1024 && (f.kind === 'crash' || f.kind === 'internal')) {
            const small = await minimize(c.bytes, async (b) => {
              const ff = failureOf(await runSpec({ ...c, bytes: b }));
              return ff !== null && failureSignature(ff, c.origin) === sig;
            }, { maxAttempts: 300, deadlineMs: 30_000 });
            if (small.length < c.bytes.length) spec = { ...c, bytes: small, origin: `${c.origin}; minimised ${c.bytes.length} -> ${small.length} B` };
          }
          const frame = firstFrame(f.stack);
          let file: string | null = null;
          if (args.save && !isKnown) file = saveReproducer(args.out, spec, f.kind, `${f.detail}${frame ? ` @ ${frame}` : ''}`, `${new Date().toISOString().slice(0, 10)} seed ${args.seed} case ${k}`, sig).file;
          failures.push({ sig, file, kind: f.kind, detail: f.detail, origin: spec.origin, frame, known: isKnown });
          process.stdout.write(`fuzz: ${isKnown ? 'known open bug' : 'FAILURE'} (case ${k}) ${f.kind}: ${f.detail.split('\n')[0].slice(0, 300)}\n  at ${frame || '(no src frame)'}\n  input: ${c.origin.slice(0, 300)}\n  reproducer: ${file ? relative(repoRoot(), join(args.out, file)) : isKnown ? '(already in test/regressions, status open)' : '(not saved)'}\n`);
        }
      }
      if (Date.now() - lastProgress > 10_000) {
        lastProgress = Date.now();
        process.stdout.write(`fuzz: ${cases} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s, ${failures.length} distinct failures\n`);
      }
    }
  } finally {
    await runner.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const secs = (Date.now() - t0) / 1000;
  const vs = Object.entries(verdicts).map(([k, v]) => `${k} ${v}`).join(', ');
  process.stdout.write(`fuzz: ${cases} cases in ${secs.toFixed(1)} s (${(cases / secs).toFixed(1)}/s), seed ${args.seed}: ${vs}; ${failures.length} distinct failures (${failures.filter((x) => !x.known).length} new, ${failures.filter((x) => x.known).length} known open); ${flaky} unconfirmed bound hits; slowest ${Math.round(slowest.ms)} ms CPU (${slowest.origin.slice(0, 120)}); max heap ${maxHeap} MiB; peak RSS growth ${Math.round(runner.peakRssGrowthMiB)} MiB\n`);
  return failures.some((x) => !x.known) ? 1 : 0;
}

main().then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`fuzz: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
