/**
 * Case production: picks between mutating a seed (role-aware: captures, gzip, tar bundles, logs,
 * PEM), a hostile generator, and wrapping a mutated capture in gzip / a bundle; sometimes with tiny
 * limits so the eviction and limit paths run. Also the deterministic truncation sweep.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Limits } from '../../src/options.js';
import type { CaseSpec } from './case.js';
import { mutateBytes } from './mutate.js';
import { mutateLog, mutatePem } from './text-mutate.js';
import { generate, GENERATOR_NAMES } from './generators.js';
import { bundleTar, baseLog, baseTruststore, type Seed } from './seeds.js';
import { Rng } from './rng.js';

const SMALL_LIMITS: Partial<Limits> = {
  maxFlows: 4, maxTombstones: 4, maxTotalBufferedBytes: 4096, maxOutOfOrderBytesPerDirection: 1024, maxHandshakeBytes: 512,
  maxCertificatesPerChain: 1, maxCertificates: 1, maxRecordBytes: 100, maxPreambleBytes: 16, maxLogLineBytes: 64,
  maxSansPerCertificate: 2, maxPacketBytes: 100, maxBlockBytes: 256, maxMemberBytes: 1000, maxDecompressionRatio: 2, idleTimeoutMicros: 1,
};

/** A random subset of the tiny limits. */
export function smallLimits(rng: Rng): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const [k, v] of Object.entries(SMALL_LIMITS) as [keyof Limits, number][]) if (rng.chance(0.35)) out[k] = v;
  return out;
}

/** Generators that write large files or take long: run them rarely. */
const HEAVY = new Set(['gzipBomb', 'logLongLine', 'logManyLines', 'synFlood', 'partialHandshakes']);

function gunzipOrNull(b: Uint8Array): Uint8Array | null {
  try {
    return new Uint8Array(gunzipSync(b));
  } catch {
    return null;
  }
}

function mutateSeed(seed: Seed, rng: Rng, donors: Uint8Array[]): CaseSpec {
  const origin = (d: string): string => `mutate(${seed.name}: ${d})`;
  if (seed.role === 'log') {
    const m = mutateLog(seed.bytes, rng);
    return { role: 'log', ext: seed.ext, bytes: m.bytes, origin: origin(m.desc) };
  }
  if (seed.role === 'truststore') {
    const m = mutatePem(seed.bytes, rng);
    return { role: 'truststore', ext: seed.ext, bytes: m.bytes, origin: origin(m.desc) };
  }
  const gz = seed.ext.endsWith('.gz');
  const inner = gz && rng.chance(0.75) ? gunzipOrNull(seed.bytes) : null;
  const kind = seed.role === 'archive' ? 'tar' : 'capture';
  if (inner) {
    const m = mutateBytes(inner, rng, kind, donors);
    return { role: seed.role, ext: seed.ext, bytes: new Uint8Array(gzipSync(m.bytes)), origin: origin(`gunzip ${m.desc} gzip`) };
  }
  const m = mutateBytes(seed.bytes, rng, kind, donors);
  return { role: seed.role, ext: seed.ext, bytes: m.bytes, origin: origin(m.desc) };
}

/** A mutated capture inside a .gz or a diagnostic bundle (every input mode). */
function wrapped(seed: Seed, rng: Rng, donors: Uint8Array[]): CaseSpec {
  const m = mutateBytes(seed.bytes, rng, 'capture', donors);
  if (rng.chance(0.5)) return { role: 'capture', ext: `${seed.ext}.gz`, bytes: new Uint8Array(gzipSync(m.bytes)), origin: `gzip(mutate(${seed.name}: ${m.desc}))` };
  const tar = bundleTar(m.bytes, rng.chance(0.5) ? baseLog() : mutateLog(baseLog(), rng).bytes, baseTruststore());
  return { role: 'archive', ext: '.tar.gz', bytes: new Uint8Array(gzipSync(tar)), origin: `bundle(mutate(${seed.name}: ${m.desc}))` };
}

export function makeCase(seeds: readonly Seed[], rng: Rng): CaseSpec {
  const captures = seeds.filter((s) => s.role === 'capture' && !s.ext.endsWith('.gz'));
  const donors = captures.map((s) => s.bytes);
  const r = rng.float();
  let c: CaseSpec;
  if (r < 0.55) c = mutateSeed(rng.pick(seeds), rng, donors);
  else if (r < 0.65) c = wrapped(rng.pick(captures), rng, donors);
  else {
    let name = rng.pick(GENERATOR_NAMES);
    if (HEAVY.has(name) && rng.chance(0.8)) name = rng.pick(GENERATOR_NAMES.filter((n) => !HEAVY.has(n)));
    const seed = rng.u32();
    c = generate(name, new Rng(seed));
    // large outputs are saved as a recipe (generator + seed), not as megabytes of bytes
    if (c.bytes && c.bytes.length > 1024 * 1024) c.regen = { gen: 'generator', name, params: { seed } };
  }
  if (!c.limits && rng.chance(0.15)) c.limits = smallLimits(rng);
  return c;
}

/**
 * The truncation sweep: every capture / bundle seed cut at each offset below `bytes` (offsets at or
 * past a seed's end are skipped), seed-interleaved so a short run still covers every seed's header.
 */
export function sweepPlan(seeds: readonly Seed[], bytes: number): { seed: Seed; off: number }[] {
  const pool = seeds.filter((s) => s.role !== 'log' && s.role !== 'truststore');
  const plan: { seed: Seed; off: number }[] = [];
  for (let off = 0; off < bytes; off++) for (const seed of pool) if (off < seed.bytes.length) plan.push({ seed, off });
  return plan;
}

export function sweepCase(p: { seed: Seed; off: number }): CaseSpec {
  return { role: p.seed.role, ext: p.seed.ext, bytes: p.seed.bytes.slice(0, p.off), origin: `truncate(${p.seed.name}@${p.off})` };
}
