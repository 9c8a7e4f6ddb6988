import { describe, expect, it } from 'vitest';
import type { ByteSource } from '../../../src/capture/byte-source.js';
import { forEachPacket } from '../../../src/capture/for-each-packet.js';
import { openCapture } from '../../../src/capture/open-capture.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { DEFAULT_LIMITS } from '../../../src/options.js';
import { writePcap, writePcapngSections } from '../../helpers/pcap-writer.js';
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
