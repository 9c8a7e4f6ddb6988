import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachPacket } from '../../../src/capture/for-each-packet.js';
import type { PacketRecord } from '../../../src/capture/packet-record.js';
import { writePcap, writePcapng } from '../../helpers/pcap-writer.js';
import { collector, openBytes } from './support.js';

const at = (ms: number, tag: number) => ({ data: new Uint8Array([tag]), tsMicros: 1_700_000_000_000_000 + ms * 1000 });

describe('forEachPacket', () => {
  it('merges two readers by timestamp; ties go to the earlier reader; order within a file is kept', async () => {
    const a = writePcap([at(1, 0xa1), at(3, 0xa3), at(3, 0xa4), at(10, 0xa5)], { linkType: 1 });
    const b = writePcapng([at(0, 0xb0), at(3, 0xb3), at(4, 0xb4)], { linkType: 101 });
    const readers = [await openBytes(a, { fileIndex: 0, bufferSize: 64 }), await openBytes(b, { fileIndex: 1, bufferSize: 64 })];
    const c = collector();
    await forEachPacket(readers, c.on);
    expect(c.list.map((p) => p.bytes[0])).toEqual([0xb0, 0xa1, 0xa3, 0xa4, 0xb3, 0xb4, 0xa5]);
    expect(c.list.map((p) => p.fileIndex)).toEqual([1, 0, 0, 0, 1, 1, 0]);
    expect(c.list.map((p) => p.linkType)).toEqual([101, 1, 1, 1, 101, 101, 1]);
    // packet numbers stay per file
    expect(c.list.filter((p) => p.fileIndex === 0).map((p) => p.index)).toEqual([1, 2, 3, 4]);
  });

  it('keeps a file whose clock goes backwards in file order (merge is per head packet)', async () => {
    const a = writePcap([at(5, 1), at(2, 2)], { linkType: 1 });
    const b = writePcap([at(3, 3)], { linkType: 1 });
    const c = collector();
    await forEachPacket([await openBytes(a), await openBytes(b, { fileIndex: 1 })], c.on);
    expect(c.list.map((p) => p.bytes[0])).toEqual([3, 1, 2]);
  });

  it('merges many readers, including empty ones', async () => {
    const files = [0, 1, 2, 3, 4].map((k) => writePcap(k === 2 ? [] : [at(k, k), at(10 - k, 10 + k), at(20 + k, 20 + k)], { linkType: 1 }));
    const readers = await Promise.all(files.map((f, i) => openBytes(f, { fileIndex: i, bufferSize: 64, chunk: 5 })));
    const c = collector();
    await forEachPacket(readers, c.on);
    const ts = c.list.map((p) => p.tsMicros);
    expect(ts).toEqual([...ts].sort((x, y) => x - y));
    expect(c.list).toHaveLength(12);
  });

  it('a series one file after the other in time, and any random mix, comes out as the per-head merge orders it', async () => {
    // the reference: at each step the head with the smallest (timestamp, reader index), as a heap of heads would
    const reference = (files: number[][]): string[] => {
      const pos = files.map(() => 0);
      const out: string[] = [];
      for (;;) {
        let best = -1;
        for (let k = 0; k < files.length; k++) {
          if (pos[k] >= files[k].length) continue;
          if (best < 0 || files[k][pos[k]] < files[best][pos[best]]) best = k;
        }
        if (best < 0) return out;
        out.push(`${best}:${pos[best]++}`);
      }
    };
    const series = [0, 1, 2].map((k) => Array.from({ length: 40 }, (_, n) => k * 1000 + n * 7));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(series),
          fc.array(fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 25 }), { minLength: 2, maxLength: 5 }),
        ),
        async (files) => {
          const readers = await Promise.all(files.map((ms, i) =>
            openBytes(writePcap(ms.map((t, n) => ({ data: new Uint8Array([i, n]), tsMicros: 1_700_000_000_000_000 + t * 1000 })), { linkType: 1 }),
              { fileIndex: i, bufferSize: 64, chunk: 7 })));
          const c = collector();
          await forEachPacket(readers, c.on);
          expect(c.list.map((p) => `${p.bytes[0]}:${p.bytes[1]}`)).toEqual(reference(files));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('passes one reused record object (no allocation per packet)', async () => {
    const seen = new Set<PacketRecord>();
    const r = await openBytes(writePcap([at(1, 1), at(2, 2), at(3, 3)], { linkType: 1 }));
    await forEachPacket([r], (rec) => { seen.add(rec); });
    expect(seen.size).toBe(1);
  });

  it('reports progress as the bytes read across readers', async () => {
    const a = writePcap([at(1, 1)], { linkType: 1 });
    const b = writePcap([at(2, 2), at(3, 3)], { linkType: 1 });
    const progress: number[] = [];
    await forEachPacket([await openBytes(a), await openBytes(b)], () => undefined, (n) => progress.push(n));
    expect(progress[progress.length - 1]).toBe(a.length + b.length);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  });

  it('does nothing for no readers', async () => {
    let n = 0;
    await forEachPacket([], () => { n++; });
    expect(n).toBe(0);
  });
});

describe('read buffers reused from closed readers', () => {
  const file = (tag: number, n: number) => writePcap(Array.from({ length: n }, (_, i) => ({
    data: new Uint8Array(300 + (i % 7) * 50).fill((tag + i) & 255), tsMicros: 1_700_000_000_000_000 + i * 1000,
  })), { linkType: 1 });
  const want = (tag: number, n: number) => Array.from({ length: n }, (_, i) => `${(tag + i) & 255}:${300 + (i % 7) * 50}`);
  const seen = (c: ReturnType<typeof collector>) => c.list.map((p) => `${p.bytes[0]}:${p.bytes.length}`);

  it('a reader opened after others closed reads its own bytes, also while an older reader is still going', async () => {
    // A and B open together (B stays open); A closes; C takes A's buffers (same size) while B is read on
    const a = await openBytes(file(1, 400), { bufferSize: 4096, chunk: 1000 });
    const b = await openBytes(file(100, 400), { bufferSize: 4096, chunk: 777 });
    const ca = collector();
    await forEachPacket([a], ca.on);
    await a.close();
    expect(seen(ca)).toEqual(want(1, 400));
    const c = await openBytes(file(200, 400), { bufferSize: 4096, chunk: 1000, fileIndex: 1 });
    const cb = collector(), cc = collector();
    await forEachPacket([b, c], (rec) => (rec.fileIndex === 0 ? cb.on(rec) : cc.on(rec)));
    expect(seen(cb)).toEqual(want(100, 400));
    expect(seen(cc)).toEqual(want(200, 400));
    await b.close();
    await c.close();
    // one after another (a series read file by file), each with the buffers the previous one gave back
    for (let k = 0; k < 5; k++) {
      const r = await openBytes(file(k * 10, 300), { bufferSize: 4096, chunk: 999 });
      const col = collector();
      await forEachPacket([r], col.on);
      await r.close();
      expect(seen(col)).toEqual(want(k * 10, 300));
      // a closed reader reads nothing more
      expect(r.next(col.list[0] as never)).toBe(false);
    }
  });
});
