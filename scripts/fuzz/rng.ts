/**
 * A small seeded PRNG (mulberry32) so every fuzz case is reproducible from (run seed, case number).
 * Not cryptographic; Math.random is never used by the fuzzer.
 */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** uniform 32-bit unsigned integer */
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** integer in [0, n) (n ≥ 1) */
  int(n: number): number {
    if (n <= 1) return 0;
    return n <= 0x1_0000_0000 ? Math.floor((this.u32() / 0x1_0000_0000) * n) : Math.floor(this.float() * n);
  }

  /** integer in [lo, hi] */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  float(): number {
    return (this.u32() * 0x20_0000 + (this.u32() >>> 11)) / 2 ** 53;
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  /** pick with weights: [[weight, value], ...] */
  weighted<T>(xs: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of xs) total += w;
    let r = this.float() * total;
    for (const [w, v] of xs) {
      r -= w;
      if (r < 0) return v;
    }
    return xs[xs.length - 1][1];
  }

  /** an "interesting" length value: boundaries that break naive length arithmetic */
  interestingLength(width: 1 | 2 | 3 | 4): number {
    const max = width === 4 ? 0xffffffff : (1 << (8 * width)) - 1;
    const candidates = [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 0x7f, 0x80, 0xff, 0x100, 0x3fff, 0x4000, 0x4001, 0x4800, 0x7fff, 0x8000, 0xffff,
      0x10000, 0x40000, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000, 0xfffffff0, max, max - 1];
    const ok = candidates.filter((c) => c <= max);
    return this.chance(0.8) ? this.pick(ok) : this.int(max + 1);
  }
}

/** FNV-1a over a string, to derive a per-case seed from (run seed, case index). */
export function mixSeed(runSeed: number, index: number): number {
  let h = 0x811c9dc5 ^ runSeed;
  for (const v of [index & 0xff, (index >>> 8) & 0xff, (index >>> 16) & 0xff, (index >>> 24) & 0xff]) {
    h ^= v;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
