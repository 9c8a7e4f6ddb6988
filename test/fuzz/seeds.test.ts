/**
 * The fuzzer's seeds go through the whole pipeline cleanly (a mutation fuzzer is only as good as
 * its seeds: a seed that is already refused tests nothing), and a small fixed batch of fuzz cases
 * (same generator as `npm run fuzz`, fixed seed, light cases only) runs without crash or internal
 * error. The long runs happen in `npm run fuzz`.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticSeeds } from '../../scripts/fuzz/seeds.js';
import { makeCase, sweepCase, sweepPlan } from '../../scripts/fuzz/make-case.js';
import { materialize } from '../../scripts/fuzz/materialize.js';
import { writeCompanions, runAnalysis, type Companions } from '../../scripts/fuzz/run-case.js';
import { Rng, mixSeed } from '../../scripts/fuzz/rng.js';
import type { CaseSpec } from '../../scripts/fuzz/case.js';

const seeds = syntheticSeeds();
let work = '';
let companions: Companions;
let n = 0;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tls-extract-fuzzseeds-'));
  companions = writeCompanions(join(work, 'companions'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function run(c: CaseSpec) {
  const dir = join(work, `c${n++}`);
  mkdirSync(dir);
  return runAnalysis(c.role, await materialize(c, dir, dir), companions, c.limits);
}

describe('fuzz seeds through analyze()', () => {
  for (const s of seeds) {
    it(`${s.name}${s.ext} is analysed without diagnostics of severity internal`, async () => {
      const out = await run({ role: s.role, ext: s.ext, bytes: s.bytes, origin: s.name });
      expect(out.verdict, out.detail).toBe('ok');
      expect(out.connections).toBeGreaterThanOrEqual(1);
    });
  }
});

describe('a fixed fuzz batch', () => {
  it('truncating each capture seed at the first 24 offsets never crashes', async () => {
    const bad: string[] = [];
    for (const p of sweepPlan(seeds, 24)) {
      const c = sweepCase(p);
      const out = await run(c);
      if (out.verdict !== 'ok' && out.verdict !== 'usage') bad.push(`${c.origin}: ${out.verdict} ${out.detail}`);
    }
    expect(bad).toEqual([]);
  });

  it('60 light random cases (seed 6) never crash', async () => {
    const bad: string[] = [];
    let ran = 0;
    for (let k = 0; ran < 60 && k < 500; k++) {
      const c = makeCase(seeds, new Rng(mixSeed(6, k)));
      if (c.recipe || (c.bytes && c.bytes.length > 512 * 1024)) continue; // heavy cases: npm run fuzz
      ran++;
      const out = await run(c);
      if (out.verdict !== 'ok' && out.verdict !== 'usage') bad.push(`${c.origin}: ${out.verdict} ${out.detail}`);
    }
    expect(ran).toBe(60);
    expect(bad).toEqual([]);
  });
});
