import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../../src/capture/byte-source.js';
import { forEachPacket } from '../../../src/capture/for-each-packet.js';
import { openCapture } from '../../../src/capture/open-capture.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { DEFAULT_LIMITS } from '../../../src/options.js';
import { writePcap, writePcapngSections, type PcapngBlock } from '../../helpers/pcap-writer.js';
import { openBytes, readAll } from './support.js';

/** A source that hands out at most `chunk` bytes per read and records what happened to it. */
class ProbeSource implements ByteSource {
  readonly size = null;
  reads = 0;
  inFlight = 0;
  maxInFlight = 0;
  closed = false;
  private pos = 0;
  constructor(private readonly bytes: Uint8Array, private readonly chunk: number) {}
  async read(buf: Uint8Array, offset: number, length: number): Promise<number> {
    this.reads++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 0));
    this.inFlight--;
    if (this.closed) throw new Error('read after close');
    const n = Math.min(length, this.chunk, this.bytes.length - this.pos);
    buf.set(this.bytes.subarray(this.pos, this.pos + n), offset);
    this.pos += n;
    return n;
  }
  async close(): Promise<void> {
    expect(this.inFlight).toBe(0); // close waits for the read-ahead
    this.closed = true;
  }
}

const pkts = Array.from({ length: 40 }, (_, i) => new Uint8Array(50 + i * 7).fill(i));
const file = writePcap(pkts, { linkType: 1 });

describe('buffered reader', () => {
  it('read-ahead and single-buffer modes give the same packets', async () => {
    const a = await readAll(file, { bufferSize: 128, chunk: 50, readAhead: true });
    const b = await readAll(file, { bufferSize: 128, chunk: 50, readAhead: false });
    expect(a.packets).toHaveLength(40);
    expect(b.packets).toEqual(a.packets);
  });

  it('keeps exactly one read in flight and closes only after it settles', async () => {
    const src = new ProbeSource(file, 300);
    const r = await openCapture(src, { path: 'probe', fileIndex: 0, limits: DEFAULT_LIMITS, diag: new Diagnostics(), bufferSize: 256 });
    let n = 0;
    await forEachPacket([r], () => { n++; if (n === 5) expect(src.maxInFlight).toBe(1); });
    expect(n).toBe(40);
    expect(src.maxInFlight).toBe(1);
    await r.close();
    expect(src.closed).toBe(true);
  });

  it('closing early (a read-ahead pending) is clean', async () => {
    const src = new ProbeSource(file, 300);
    const r = await openCapture(src, { path: 'probe', fileIndex: 0, limits: DEFAULT_LIMITS, diag: new Diagnostics(), bufferSize: 256 });
    const rec = (await import('../../../src/capture/packet-record.js')).newPacketRecord();
    while (!r.next(rec)) await r.fill();
    await r.close();
    expect(src.closed).toBe(true);
    expect(r.next(rec)).toBe(false);
    expect(await r.fill()).toBe(false);
  });

  it('a block longer than the headroom and the buffer takes the slow path and reading goes on', async () => {
    const f = writePcapngSections([{ blocks: [
      { type: 'idb', linkType: 1 },
      { type: 'epb', data: new Uint8Array(100).fill(1) },
      { type: 'raw', blockType: 0x0bad, body: new Uint8Array(20_000).fill(0xcc) }, // custom block: skipped
      { type: 'epb', data: new Uint8Array(900).fill(2) },
      { type: 'epb', data: new Uint8Array(10).fill(3) },
    ] }]);
    for (const readAhead of [true, false]) {
      const r = await readAll(f, { bufferSize: 256, chunk: 333, readAhead, limits: { maxPacketBytes: 1024 } });
      expect(r.packets.map((p) => [p.caplen, p.bytes[0]])).toEqual([[100, 1], [900, 2], [10, 3]]);
      expect(r.reader.stats.truncated).toBe(false);
    }
  });

  it('stats are live while reading (counted before each packet is handed out)', async () => {
    const r = await openBytes(file, { bufferSize: 256 });
    let n = 0, bytes = 0;
    await forEachPacket([r], (rec) => {
      n++; bytes += rec.caplen;
      expect(r.stats.packets).toBe(n);
      expect(r.stats.bytes).toBe(bytes);
      expect(r.stats.lastMicros).toBe(rec.tsMicros);
    });
    expect(r.stats.firstMicros).toBe(1_700_000_000_000_000);
  });
});

describe('buffered reader: stats, diagnostics and buffering edges', () => {
  it('firstMicros / lastMicros are null before the first packet, then the earliest and latest times (not first and last)', async () => {
    const empty = await readAll(writePcap([], { linkType: 1 }));
    expect(empty.reader.stats).toMatchObject({ packets: 0, bytes: 0, firstMicros: null, lastMicros: null });
    const T = 1_700_000_000_000_000;
    const f = writePcap([{ data: new Uint8Array(4), tsMicros: T + 2 }, { data: new Uint8Array(4), tsMicros: T }, { data: new Uint8Array(4), tsMicros: T + 1 }], { linkType: 1 });
    expect((await readAll(f)).reader.stats).toMatchObject({ packets: 3, bytes: 12, firstMicros: T, lastMicros: T + 2 });
  });

  it('linkTypes lists each link type once, in order of appearance', async () => {
    const f = writePcapngSections([{ blocks: [{ type: 'idb', linkType: 1 }, { type: 'idb', linkType: 101 }, { type: 'idb', linkType: 1 }] }, { blocks: [{ type: 'idb', linkType: 101 }] }]);
    expect((await readAll(f)).reader.stats.linkTypes).toEqual([1, 101]);
  });

  it('capture.truncated says how many bytes of an incomplete record (pcap) or block (pcapng) were left', async () => {
    const pcap = writePcap([new Uint8Array(10), new Uint8Array(10)], { linkType: 1 });
    const a = await readAll(pcap.subarray(0, pcap.length - 3));
    expect(a.diag.list()).toEqual([{ key: 'capture.truncated', severity: 'warning', count: 1,
      samples: [{ file: 0, packet: 2, detail: 'mem.pcap: 23 byte(s) of an incomplete record at the end of the file' }] }]);
    const ng = writePcapngSections([{ blocks: [{ type: 'idb', linkType: 1 }, { type: 'epb', data: new Uint8Array(8) }] }]);
    const b = await readAll(ng.subarray(0, ng.length - 1), { path: 'x.pcapng' });
    expect(b.diag.list()).toEqual([{ key: 'capture.truncated', severity: 'warning', count: 1,
      samples: [{ file: 0, packet: 1, detail: 'x.pcapng: 39 byte(s) of an incomplete block at the end of the file' }] }]);
  });

  it('closing while a read-ahead is in flight waits for it before closing the source', async () => {
    const src = new ProbeSource(file, 300);
    const r = await openCapture(src, { path: 'probe', fileIndex: 0, limits: DEFAULT_LIMITS, diag: new Diagnostics(), bufferSize: 256 });
    const rec = (await import('../../../src/capture/packet-record.js')).newPacketRecord();
    let n = 0;
    // past the sniffed head: at least one fill, after which the next read is started at once
    while (n < 15) { if (r.next(rec)) n++; else expect(await r.fill()).toBe(true); }
    expect(src.inFlight).toBe(1);
    await r.close(); // ProbeSource.close checks that no read is in flight
    expect(src.closed).toBe(true);
    expect(src.inFlight).toBe(0);
  });

  it('single-buffer mode with reads larger than the free space (whole-file chunks, tiny buffer)', async () => {
    const ref = await readAll(file);
    for (const bufferSize of [64, 100, 256]) {
      const r = await readAll(file, { bufferSize, readAhead: false });
      expect(r.packets, `buffer ${bufferSize}`).toEqual(ref.packets);
      expect(r.reader.stats.truncated).toBe(false);
    }
  });

  it('offsets in diagnostics are file offsets whatever the buffering (buffer swaps, compaction, growth)', async () => {
    const blocks: PcapngBlock[] = [{ type: 'idb', linkType: 1 }];
    for (let i = 0; i < 30; i++) blocks.push({ type: 'epb', data: new Uint8Array(37 + i * 11).fill(i) });
    blocks.push({ type: 'epb', iface: 3, data: new Uint8Array(8) }, { type: 'epb', data: new Uint8Array(8) });
    const f = writePcapngSections([{ blocks }]);
    const badAt = writePcapngSections([{ blocks: blocks.slice(0, 31) }]).length;
    for (const readAhead of [true, false]) {
      for (const [bufferSize, chunk] of [[64, 7], [64, 5000], [200, 333], [1024, 100]]) {
        const r = await readAll(f, { bufferSize, chunk, readAhead, limits: { maxPacketBytes: 512 } });
        expect(r.packets, `${readAhead} ${bufferSize} ${chunk}`).toHaveLength(31);
        expect(r.diag.list()[0].samples[0].detail, `${readAhead} ${bufferSize} ${chunk}`)
          .toBe(`mem.pcap: block at offset ${badAt}: interface 3 not described`);
      }
    }
  });

  it('consecutive blocks longer than the headroom (the partial tail of one left while the next is read)', async () => {
    const f = writePcapngSections([{ blocks: [
      { type: 'idb', linkType: 1 },
      { type: 'epb', data: new Uint8Array(100).fill(1) },
      { type: 'raw', blockType: 0x0bad, body: new Uint8Array(5_000).fill(0xcc) },
      { type: 'raw', blockType: 0x0bad, body: new Uint8Array(7_000).fill(0xdd) },
      { type: 'epb', data: new Uint8Array(900).fill(2) },
      { type: 'raw', blockType: 0x0bad, body: new Uint8Array(6_000).fill(0xee) },
      { type: 'epb', data: new Uint8Array(10).fill(3) },
    ] }]);
    for (const readAhead of [true, false]) {
      for (const [bufferSize, chunk] of [256, 1024, 4096].flatMap((b) => [100, 333, 1_000, 1_500, 2_000, 3_000, 100_000].map((c) => [b, c]))) {
        const r = await readAll(f, { bufferSize, chunk, readAhead, limits: { maxPacketBytes: 1024 } });
        expect(r.packets.map((p) => [p.caplen, p.bytes[0]]), `${readAhead} ${bufferSize} ${chunk}`).toEqual([[100, 1], [900, 2], [10, 3]]);
        expect(r.reader.stats.truncated).toBe(false);
      }
    }
  });
});
