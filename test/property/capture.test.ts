/**
 * Property tests for the capture readers (fast-check):
 * - any byte string (raw, or behind a valid pcap/pcapng/gzip start) read with any buffer and chunk
 *   size terminates and throws nothing but a UsageError (which only openCapture may throw);
 * - a valid capture cut at any length yields a prefix of its packets (only the tail is lost), and
 *   the truncation flag says whether a record was cut;
 * - buffer size, chunking and read-ahead never change the packets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachPacket } from '../../src/capture/for-each-packet.js';
import { Diagnostics } from '../../src/diagnostics/diagnostics.js';
import { UsageError } from '../../src/errors.js';
import { concat, hex } from '../helpers/packet-builder.js';
import { gzip, writePcap, writePcapng } from '../helpers/pcap-writer.js';
import { collector, openBytes, readAll } from '../unit/capture/support.js';

const HEADS = [
  new Uint8Array(0),
  hex`d4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 01 00 00 00`, // pcap LE µs
  hex`a1 b2 3c 4d 00 02 00 04 00 00 00 00 00 00 00 00 00 00 ff ff 00 00 00 65`, // pcap BE ns
  hex`0a 0d 0d 0a 1c 00 00 00 4d 3c 2b 1a 01 00 00 00 ff ff ff ff ff ff ff ff 1c 00 00 00`, // SHB LE
  hex`0a 0d 0d 0a 00 00 00 1c 1a 2b 3c 4d 00 01 00 00 ff ff ff ff ff ff ff ff 00 00 00 1c`, // SHB BE
];

const packetsArb = fc.array(fc.record({
  len: fc.integer({ min: 0, max: 300 }),
  fill: fc.integer({ min: 0, max: 255 }),
  dt: fc.integer({ min: 0, max: 5_000_000 }),
}), { maxLength: 12 });

function build(specs: { len: number; fill: number; dt: number }[], kind: number): Uint8Array {
  let t = 1_600_000_000_000_000;
  const pk = specs.map((s) => ({ data: new Uint8Array(s.len).fill(s.fill), tsMicros: (t += s.dt) }));
  switch (kind) {
    case 0: return writePcap(pk, { linkType: 1 });
    case 1: return writePcap(pk, { linkType: 113, nanos: true, bigEndian: true });
    case 2: return writePcapng(pk, { linkType: 1 });
    default: return writePcapng(pk, { linkType: 101, bigEndian: true, tsresol: 9 });
  }
}

async function tryRead(bytes: Uint8Array, bufferSize: number, chunk: number, readAhead: boolean): Promise<number> {
  const diag = new Diagnostics();
  let reader;
  try {
    reader = await openBytes(bytes, { bufferSize, chunk, diag, readAhead, limits: { maxPacketBytes: 4096, maxBlockBytes: 65536 } });
  } catch (e) {
    if (e instanceof UsageError) return -1;
    throw e;
  }
  let n = 0;
  await forEachPacket([reader], (rec) => {
    n++;
    expect(rec.offset + rec.caplen).toBeLessThanOrEqual(rec.data.length);
    expect(rec.origlen).toBeGreaterThanOrEqual(rec.caplen);
  });
  await reader.close();
  expect(reader.stats.packets).toBe(n);
  return n;
}

const readOpts = { bufferSize: fc.integer({ min: 64, max: 2048 }), chunk: fc.integer({ min: 1, max: 700 }), readAhead: fc.boolean() };

describe('capture readers: hostile bytes', () => {
  it('any bytes behind any start: terminates, only UsageError escapes', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: HEADS.length - 1 }), fc.uint8Array({ maxLength: 1500 }), fc.record(readOpts),
      async (h, body, o) => { await tryRead(concat(HEADS[h], body), o.bufferSize, o.chunk, o.readAhead); },
    ), { numRuns: 300 });
  });

  it('a valid capture with random bytes overwritten: terminates, only UsageError escapes', async () => {
    await fc.assert(fc.asyncProperty(
      packetsArb, fc.integer({ min: 0, max: 3 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      fc.record(readOpts), fc.boolean(),
      async (specs, kind, flips, o, gz) => {
        const f = build(specs, kind);
        for (const [at, v] of flips) f[at % f.length] = v;
        await tryRead(gz ? gzip(f) : f, o.bufferSize, o.chunk, o.readAhead);
      },
    ), { numRuns: 300 });
  });
});

describe('capture readers: truncation and buffering', () => {
  it('cutting a valid capture anywhere only loses the tail', async () => {
    await fc.assert(fc.asyncProperty(packetsArb, fc.integer({ min: 0, max: 3 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.record(readOpts),
      async (specs, kind, frac, o) => {
        const f = build(specs, kind);
        const full = await readAll(f);
        const headerLen = kind < 2 ? 24 : kind === 2 ? 28 + 24 : 28 + 32; // pcap header, or SHB + IDB (+ if_tsresol)
        const cut = headerLen + Math.floor(frac * (f.length - headerLen));
        const part = await readAll(f.subarray(0, cut), o);
        expect(part.packets).toEqual(full.packets.slice(0, part.packets.length));
        // the packets lost are exactly those not entirely inside the cut
        const bytesPerRecord = (p: { caplen: number }) => (kind < 2 ? 16 + p.caplen : 32 + ((p.caplen + 3) & ~3));
        let end = headerLen, fit = 0;
        for (const p of full.packets) { end += bytesPerRecord(p); if (end <= cut) fit++; }
        expect(part.packets).toHaveLength(fit);
        const atBoundary = cut === headerLen || full.packets.slice(0, fit).reduce((n, p) => n + bytesPerRecord(p), headerLen) === cut;
        expect(part.reader.stats.truncated).toBe(!atBoundary);
      }), { numRuns: 200 });
  });

  it('buffer size, chunking and read-ahead do not change the packets', async () => {
    await fc.assert(fc.asyncProperty(packetsArb, fc.integer({ min: 0, max: 3 }), fc.record(readOpts), async (specs, kind, o) => {
      const f = build(specs, kind);
      const ref = await readAll(f);
      const c = collector();
      const r = await openBytes(f, o);
      await forEachPacket([r], c.on);
      expect(c.list).toEqual(ref.packets);
      expect(c.list).toHaveLength(specs.length);
    }), { numRuns: 150 });
  });
});
