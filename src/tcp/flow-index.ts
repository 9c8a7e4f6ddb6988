/**
 * Live flows by their direction-independent numeric key (flow-key.ts): a Map from key to the head
 * of a chain of flows (collisions are chained through `Flow.nextInBucket` and told apart by
 * comparing endpoint fields). No string keys, no allocation per lookup.
 */
import type { PacketView } from '../decode/packet-view.js';
import type { Flow } from './flow.js';

export class FlowIndex {
  private readonly buckets = new Map<number, Flow>();
  /** direction of the packet relative to the flow found by the last `find` (0: a→b, 1: b→a) */
  dir = 0;

  find(h: number, v: PacketView): Flow | null {
    for (let f = this.buckets.get(h) ?? null; f !== null; f = f.nextInBucket) {
      const d = f.directionOf(v);
      if (d >= 0) { this.dir = d; return f; }
    }
    return null;
  }

  add(flow: Flow): void {
    flow.nextInBucket = this.buckets.get(flow.hash) ?? null;
    this.buckets.set(flow.hash, flow);
  }

  remove(flow: Flow): void {
    let p: Flow | null = null;
    for (let f = this.buckets.get(flow.hash) ?? null; f !== null; p = f, f = f.nextInBucket) {
      if (f !== flow) continue;
      if (p !== null) p.nextInBucket = f.nextInBucket;
      else if (f.nextInBucket !== null) this.buckets.set(flow.hash, f.nextInBucket);
      else this.buckets.delete(flow.hash);
      break;
    }
    flow.nextInBucket = null;
  }
}
