/**
 * Value interning for what every connection of a capture repeats: the same client sends the same
 * ClientHello (cipher list, groups, extensions) thousands of times, to a handful of server addresses.
 * Sharing one immutable object per distinct value keeps the memory kept per reported connection small
 * (a few hundred bytes instead of kilobytes), so a 4 GB capture needs about the memory of a 1 GB one.
 *
 * Bounded: a table stops growing at `max` entries (a hostile capture of random hellos then costs what it
 * would cost without interning, never more). Interned values are shared: callers must not mutate them.
 */
export class Interner<T> {
  private readonly table = new Map<string, T>();
  hits = 0;

  constructor(private readonly max = 4096) {}

  /** The shared value equal to `value` (same `key`), or `value` itself (first seen, or table full). */
  get(key: string, value: T): T {
    const hit = this.table.get(key);
    if (hit !== undefined) {
      this.hits++;
      return hit;
    }
    if (this.table.size < this.max) this.table.set(key, value);
    return value;
  }

  get size(): number {
    return this.table.size;
  }
}

/** A shared copy of a list of numbers (handshake message types, code lists). */
export function internNumbers(table: Interner<number[]>, list: number[]): number[] {
  if (list.length === 0) return EMPTY_NUMBERS as number[];
  return table.get(list.join(','), list);
}

/** One frozen empty list: pushing to it throws instead of corrupting every connection that shares it. */
export const EMPTY_NUMBERS: readonly number[] = Object.freeze([]);
