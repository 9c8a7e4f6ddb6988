/**
 * A bounded hash table of flows identified only by a 62-bit fingerprint (two independent,
 * direction-independent 32-bit hashes of the 4-tuple, flow-key.ts), with per-entry data kept in
 * parallel typed-array columns: no object per entry, so a million entries cost a few tens of MB.
 *
 * Open addressing, linear probing, backward-shift deletion (so probe chains stay intact without
 * deleted markers); grows by doubling up to the size `max` needs; when full, the oldest insertion
 * is forgotten first (FIFO ring of keys with generation numbers, so a deleted-then-reinserted key
 * is not evicted by its stale ring entry).
 */
import { KeyRing } from './key-ring.js';

type Column = Int32Array | Uint32Array | Float64Array | Uint8Array;
type ColumnType = Int32ArrayConstructor | Uint32ArrayConstructor | Float64ArrayConstructor | Uint8ArrayConstructor;

export class FingerprintTable {
  private cap = 1024;
  private k1 = new Int32Array(this.cap);
  private k2 = new Int32Array(this.cap);
  private gen = new Uint32Array(this.cap);
  private used = new Uint8Array(this.cap);
  /** caller's data columns, indexed by slot */
  readonly cols: Column[];
  private count = 0;
  private nextGen = 1;
  /** entries forgotten because the table was full */
  evictions = 0;
  /** keys in insertion order (entries deleted since are skipped when met, and dropped in bulk) */
  private readonly ring = new KeyRing();

  constructor(
    private readonly max: number,
    private readonly types: readonly ColumnType[],
  ) {
    this.cols = types.map((T) => new T(this.cap));
  }

  get size(): number {
    return this.count;
  }

  /** Slot holding the fingerprint, or -1. */
  find(h1: number, h2: number): number {
    if (this.count === 0) return -1;
    const mask = this.cap - 1;
    h1 |= 0; h2 |= 0;
    let i = h1 & mask;
    while (this.used[i] !== 0) {
      // computed before the comparison, so that it runs on every hit too (see FlowIndex.find)
      const next = (i + 1) & mask;
      if (this.k1[i] === h1 && this.k2[i] === h2) return i;
      i = next;
    }
    return -1;
  }

  /** Insert a new fingerprint (the caller checked it is absent); returns its slot. */
  insert(h1: number, h2: number): number {
    while (this.count >= this.max) this.evictOldest();
    if ((this.count + 1) * 10 > this.cap * 7) this.grow();
    const mask = this.cap - 1;
    let i = h1 & mask;
    while (this.used[i] !== 0) i = (i + 1) & mask;
    const g = this.nextGen;
    this.nextGen = (this.nextGen + 1) >>> 0 || 1;
    this.k1[i] = h1 | 0;
    this.k2[i] = h2 | 0;
    this.gen[i] = g;
    this.used[i] = 1;
    this.count++;
    this.ringPush(h1 | 0, h2 | 0, g);
    return i;
  }

  deleteSlot(slot: number): void {
    const mask = this.cap - 1;
    this.used[slot] = 0;
    this.count--;
    let hole = slot;
    for (let j = (slot + 1) & mask; this.used[j] !== 0; j = (j + 1) & mask) {
      const home = this.k1[j] & mask;
      if (((j - hole) & mask) <= ((j - home) & mask)) {
        this.move(j, hole);
        hole = j;
      }
    }
  }

  /** Generation of the entry at `slot` (a key deleted and inserted again gets a new one). */
  genAt(slot: number): number {
    return this.gen[slot];
  }

  /** The oldest live entry's slot (for age-based expiry), or -1. */
  oldest(): number {
    const r = this.ring;
    while (r.length > 0) {
      const slot = this.find(r.head1(), r.head2());
      if (slot >= 0 && this.gen[slot] === r.headGen()) return slot;
      r.shift(); // stale: its entry was deleted
    }
    return -1;
  }

  /**
   * Move the oldest live entry to the back of the age order (it was found still in use): expiry by idle
   * time visits entries in this order, so one in use is looked at again only after all the others.
   */
  requeueOldest(): void {
    if (this.oldest() < 0) return; // (drops stale ring entries at the head first)
    const r = this.ring;
    const h1 = r.head1(), h2 = r.head2(), g = r.headGen();
    r.shift();
    this.ringPush(h1, h2, g);
  }

  private move(from: number, to: number): void {
    this.k1[to] = this.k1[from]; this.k2[to] = this.k2[from]; this.gen[to] = this.gen[from];
    this.used[to] = 1;
    this.used[from] = 0;
    for (const c of this.cols) c[to] = c[from];
  }

  private evictOldest(): void {
    this.evictions++;
    const slot = this.oldest();
    if (slot >= 0) { this.deleteSlot(slot); return; }
    this.used.fill(0); // cannot happen while every insert is in the ring
    this.count = 0;
  }

  private ringPush(h1: number, h2: number, g: number): void {
    const r = this.ring;
    // mostly entries of keys deleted since (tombstones of ended connections, embryos that became flows):
    // drop those rather than double the ring; each compaction frees at least half of it, so its cost is
    // spread over as many pushes, and the ring stays within twice the live entries
    if (r.length === r.capacity && r.length >= 2 * this.count) {
      r.retain((k1, k2, gen) => {
        const slot = this.find(k1, k2);
        return slot >= 0 && this.gen[slot] === gen;
      });
    }
    r.push(h1, h2, g);
  }

  private grow(): void {
    const { k1, k2, gen, used, cols, cap } = this;
    this.cap = cap * 2;
    this.k1 = new Int32Array(this.cap);
    this.k2 = new Int32Array(this.cap);
    this.gen = new Uint32Array(this.cap);
    this.used = new Uint8Array(this.cap);
    const fresh = this.types.map((T) => new T(this.cap));
    const mask = this.cap - 1;
    for (let j = 0; j < cap; j++) {
      if (used[j] === 0) continue;
      let i = k1[j] & mask;
      while (this.used[i] !== 0) i = (i + 1) & mask;
      this.k1[i] = k1[j]; this.k2[i] = k2[j]; this.gen[i] = gen[j]; this.used[i] = 1;
      for (let c = 0; c < cols.length; c++) fresh[c][i] = cols[c][j];
    }
    for (let c = 0; c < cols.length; c++) this.cols[c] = fresh[c];
  }
}
