/**
 * Live flows by their direction-independent numeric key (flow-key.ts): a power-of-two array of bucket
 * heads, collisions chained through `Flow.nextInBucket` and told apart by comparing endpoint fields.
 * No string keys, no allocation per lookup, insertion or removal.
 *
 * Why not a Map: flows come and go by the thousand while a few are live, and a Map whose entries are
 * deleted at that rate rebuilds its hash table every few flows. V8 leaves each discarded table pointing
 * to its successor and to the flows it held; once a full collection has moved the Map to the old
 * generation, that chain kept every finished flow alive through the young-generation collections until
 * the next full one. On a 4.4 GB capture the garbage surviving each young collection went from ~15 KB
 * to ~1 MB after the first full collection, and V8 answered by growing its young generation: +30 MB of
 * peak memory that a 1 GB capture did not pay. The array below only grows (doubling, when flows
 * outnumber buckets), so it leaves no such chain.
 */
import type { PacketView } from '../decode/packet-view.js';
import type { Flow } from './flow.js';

const INITIAL_BUCKETS = 1024;

export class FlowIndex {
  private heads: (Flow | null)[] = new Array<Flow | null>(INITIAL_BUCKETS).fill(null);
  private mask = INITIAL_BUCKETS - 1;
  private count = 0;
  /** direction of the packet relative to the flow found by the last `find` (0: a→b, 1: b→a) */
  dir = 0;

  get size(): number {
    return this.count;
  }

  find(h: number, v: PacketView): Flow | null {
    let f = this.heads[h & this.mask];
    while (f !== null) {
      // read before the checks, so that it runs on every lookup: a load V8 first meets at the first
      // bucket collision, after it optimized the packet loop, would throw that optimized code away
      const next: Flow | null = f.nextInBucket;
      if (f.hash === h) {
        const d = f.directionOf(v);
        if (d >= 0) { this.dir = d; return f; }
      }
      f = next;
    }
    return null;
  }

  add(flow: Flow): void {
    if (this.count >= this.heads.length) this.grow();
    const b = flow.hash & this.mask;
    flow.nextInBucket = this.heads[b];
    this.heads[b] = flow;
    this.count++;
  }

  remove(flow: Flow): void {
    const b = flow.hash & this.mask;
    let p: Flow | null = null;
    let f = this.heads[b];
    while (f !== null) {
      const next: Flow | null = f.nextInBucket; // on every step, as in find()
      if (f === flow) {
        if (p !== null) p.nextInBucket = next;
        else this.heads[b] = next;
        this.count--;
        break;
      }
      p = f;
      f = next;
    }
    flow.nextInBucket = null;
  }

  /** Twice the buckets; every chain is split by the next bit of its flows' hashes. */
  private grow(): void {
    const old = this.heads;
    const heads = new Array<Flow | null>(old.length * 2).fill(null);
    const mask = heads.length - 1;
    for (let i = 0; i < old.length; i++) {
      for (let f = old[i]; f !== null;) {
        const next = f.nextInBucket;
        const b = f.hash & mask;
        f.nextInBucket = heads[b];
        heads[b] = f;
        f = next;
      }
      old[i] = null; // the discarded array holds no flow
    }
    this.heads = heads;
    this.mask = mask;
  }
}
