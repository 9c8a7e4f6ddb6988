/**
 * Drive one or more readers and deliver packets in timestamp order (k-way merge, stable: ties go to
 * the reader that comes first in `readers`). Per packet this is a synchronous call; the only awaits
 * are buffer refills. Nothing is allocated per packet: one PacketRecord per reader, reused, and the
 * record passed to `onPacket` is valid only during the call. Readers are not closed here.
 */
import type { CaptureReader } from './capture-reader.js';
import { newPacketRecord, type PacketRecord } from './packet-record.js';

export type OnPacket = (rec: PacketRecord) => void;
export type OnProgress = (bytesRead: number) => void;

function totalRead(readers: CaptureReader[]): number {
  let n = 0;
  for (const r of readers) n += r.stats.bytesRead;
  return n;
}

async function single(r: CaptureReader, onPacket: OnPacket, onProgress?: OnProgress): Promise<void> {
  const rec = newPacketRecord();
  for (;;) {
    while (r.next(rec)) onPacket(rec);
    const more = await r.fill();
    if (onProgress !== undefined) onProgress(r.stats.bytesRead);
    if (!more) return;
  }
}

/** Make `recs[i]` hold reader i's next packet, refilling as needed; false at its end. */
async function advance(readers: CaptureReader[], recs: PacketRecord[], i: number, onProgress?: OnProgress): Promise<boolean> {
  const r = readers[i];
  while (!r.next(recs[i])) {
    const more = await r.fill();
    if (onProgress !== undefined) onProgress(totalRead(readers));
    if (!more) return false;
  }
  return true;
}

/** Binary min-heap of reader indices ordered by (record timestamp, reader index). */
class ReaderHeap {
  readonly items: Int32Array;
  size = 0;
  constructor(private readonly recs: PacketRecord[]) {
    this.items = new Int32Array(recs.length);
  }
  private less(a: number, b: number): boolean {
    const ta = this.recs[a].tsMicros, tb = this.recs[b].tsMicros;
    return ta < tb || (ta === tb && a < b);
  }
  push(i: number): void {
    const h = this.items;
    let k = this.size++;
    h[k] = i;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.less(h[k], h[parent])) break;
      const t = h[k]; h[k] = h[parent]; h[parent] = t;
      k = parent;
    }
  }
  /** Restore order after the top's key changed (or after moving the last item to the top). */
  siftDown(): void {
    const h = this.items, n = this.size;
    let k = 0;
    for (;;) {
      const l = 2 * k + 1;
      if (l >= n) return;
      const r = l + 1;
      const m = r < n && this.less(h[r], h[l]) ? r : l;
      if (!this.less(h[m], h[k])) return;
      const t = h[k]; h[k] = h[m]; h[m] = t;
      k = m;
    }
  }
  popTop(): void {
    this.items[0] = this.items[--this.size];
    this.siftDown();
  }
}

export async function forEachPacket(readers: CaptureReader[], onPacket: OnPacket, onProgress?: OnProgress): Promise<void> {
  if (readers.length === 0) return;
  if (readers.length === 1) return single(readers[0], onPacket, onProgress);
  const recs = readers.map(() => newPacketRecord());
  const heap = new ReaderHeap(recs);
  for (let i = 0; i < readers.length; i++) {
    if (await advance(readers, recs, i, onProgress)) heap.push(i);
  }
  while (heap.size > 0) {
    const i = heap.items[0];
    onPacket(recs[i]);
    if (readers[i].next(recs[i]) || (await advance(readers, recs, i, onProgress))) heap.siftDown();
    else heap.popTop();
  }
}
