/** A fuzz case: one hostile file and how to hand it to analyze(). */
import type { Limits } from '../../src/options.js';
import type { Role } from './seeds.js';

/** A large input described by its generator, written by streaming (see materialize.ts). */
export interface Recipe {
  /** `generator`: generators.ts `name` run with `new Rng(params.seed)` */
  gen: 'hugeLogLine' | 'manyLogLines' | 'gzipBomb' | 'generator';
  params: Record<string, number>;
  name?: string;
}

export interface CaseSpec {
  role: Role;
  /** file extension including the dot(s) */
  ext: string;
  bytes?: Uint8Array;
  recipe?: Recipe;
  /** limits passed to analyze (small limits drive the eviction / limit paths) */
  limits?: Partial<Limits>;
  /** for a large generated input: how to rebuild it (saved instead of the bytes) */
  regen?: Recipe;
  /** how the case was made (seed name + mutations, or generator + parameters) */
  origin: string;
}
