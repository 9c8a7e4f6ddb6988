/**
 * Value interning for what every connection of a capture repeats: the same client sends the same
 * ClientHello (cipher list, groups, extensions) thousands of times, to a handful of server addresses.
 * Sharing one immutable object per distinct value keeps the memory kept per reported connection small
 * (a few hundred bytes instead of kilobytes), so a 4 GB capture needs about the memory of a 1 GB one.
 *
 * Values are found by a 32-bit structural hash and confirmed by a structural comparison (no key
 * strings: building a JSON key per connection cost more than the rest of the connection's summary).
 * Bounded: a table stops growing at `max` entries (a hostile capture of random hellos then costs what it
 * would cost without interning, never more). Interned values are shared: callers must not mutate them.
 */
const MAX_BUCKET = 8;

export class Interner<T> {
  private readonly table = new Map<number, T[]>();
  private count = 0;
  hits = 0;

  constructor(
    private readonly hash: (v: T) => number,
    private readonly equal: (a: T, b: T) => boolean,
    private readonly max = 4096,
  ) {}

  /** The shared value structurally equal to `value`, or `value` itself (first seen, or table full). */
  get(value: T): T {
    const h = this.hash(value) | 0; // a small-integer key (no boxed number per lookup)
    const bucket = this.table.get(h);
    if (bucket !== undefined) {
      for (const v of bucket) {
        if (v === value || this.equal(v, value)) {
          this.hits++;
          return v;
        }
      }
    }
    // a bucket holds at most MAX_BUCKET values: crafted hash collisions cost a few comparisons, not 4096
    if (this.count < this.max && (bucket === undefined || bucket.length < MAX_BUCKET)) {
      if (bucket === undefined) this.table.set(h, [value]);
      else bucket.push(value);
      this.count++;
    }
    return value;
  }

  get size(): number {
    return this.count;
  }
}

// ---- structural hashing (FNV-1a style mixing over 32-bit words) and equality ----------------------

export const HASH_SEED = 0x811c9dc5;

export function mix(h: number, v: number): number {
  return Math.imul(h ^ (v | 0), 0x01000193) >>> 0;
}

export function hashNumbers(h: number, list: readonly number[]): number {
  h = mix(h, list.length);
  for (let i = 0; i < list.length; i++) h = mix(h, list[i]);
  return h;
}

export function hashString(h: number, s: string | null): number {
  if (s === null) return mix(h, -1);
  h = mix(h, s.length);
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return h;
}

export function hashStrings(h: number, list: readonly string[]): number {
  h = mix(h, list.length);
  for (const s of list) h = hashString(h, s);
  return h;
}

export function hashBytes(h: number, b: Uint8Array): number {
  h = mix(h, b.length);
  for (let i = 0; i < b.length; i++) h = mix(h, b[i]);
  return h;
}

export function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A number-list interner (handshake message types, code lists). */
export function numbersInterner(max?: number): Interner<number[]> {
  return new Interner<number[]>((l) => hashNumbers(HASH_SEED, l), sameNumbers, max);
}

/** A string interner (addresses). */
export function stringInterner(max?: number): Interner<string> {
  return new Interner<string>((s) => hashString(HASH_SEED, s), (a, b) => a === b, max);
}

/** One frozen empty list: pushing to it throws instead of corrupting every connection that shares it. */
export const EMPTY_NUMBERS: readonly number[] = Object.freeze([]);

export function internNumbers(table: Interner<number[]>, list: number[]): number[] {
  return list.length === 0 ? (EMPTY_NUMBERS as number[]) : table.get(list);
}
