import { describe, expect, it } from 'vitest';
import type { PcapngReader } from '../../../src/capture/pcapng-reader.js';
import { ExitCode, UsageError } from '../../../src/errors.js';
import { concat, hex } from '../../helpers/packet-builder.js';
import { writePcapng, writePcapngSections, type PcapngBlock } from '../../helpers/pcap-writer.js';
import { readAll } from './support.js';

/** Minimal little-endian pcapng: SHB, IDB (Ethernet), one EPB with 4 bytes. */
const MINIMAL = hex`
  # Section Header Block
  0a 0d 0d 0a   # block type SHB
  1c 00 00 00   # block total length 28
  4d 3c 2b 1a   # byte-order magic 0x1a2b3c4d → little-endian
  01 00 00 00   # version 1.0
  ff ff ff ff ff ff ff ff   # section length: unknown
  1c 00 00 00   # block total length again
  # Interface Description Block
  01 00 00 00   # block type IDB
  14 00 00 00   # length 20
  01 00 00 00   # link type 1 (Ethernet), reserved
  00 00 04 00   # snaplen 262144
  14 00 00 00
  # Enhanced Packet Block
  06 00 00 00   # block type EPB
  24 00 00 00   # length 36
  00 00 00 00   # interface 0
  24 0a 06 00   # timestamp high 0x00060a24
  40 22 20 18   # timestamp low 0x18202240 → 1700000000123456 µs
  04 00 00 00   # captured length 4
  3c 00 00 00   # original length 60
  de ad be ef   # packet data
  24 00 00 00
`;

const T1 = 1_700_000_000_123_456;
const pkt = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe('pcapng reader: basics', () => {
  it('reads the hand-built minimal file', async () => {
    const { packets, reader } = await readAll(MINIMAL);
    expect(reader.format).toBe('pcapng');
    expect(packets).toHaveLength(1);
    expect(packets[0]).toMatchObject({ index: 1, tsMicros: T1, caplen: 4, origlen: 60, linkType: 1 });
    expect([...packets[0].bytes]).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(reader.stats).toMatchObject({ packets: 1, bytes: 4, linkTypes: [1], truncated: false, decodeErrors: 0 });
  });

  it('reads big-endian sections like little-endian ones', async () => {
    const pk = [pkt(5, 1), { data: pkt(61, 2), tsMicros: T1 }];
    const le = await readAll(writePcapng(pk, { linkType: 1 }));
    const be = await readAll(writePcapng(pk, { linkType: 1, bigEndian: true }));
    expect(be.packets).toEqual(le.packets);
    expect(be.packets[1].tsMicros).toBe(T1);
  });

  it('rejects a truncated or invalid first section header', async () => {
    const cases: [Uint8Array, string][] = [
      [MINIMAL.subarray(0, 20), 'mem.pcap: truncated pcapng section header'],
      [MINIMAL.subarray(0, 27), 'mem.pcap: truncated pcapng section header'],
      [concat(MINIMAL.subarray(0, 8), hex`11 22 33 44`, MINIMAL.subarray(12)), 'mem.pcap: pcapng section header has an invalid byte-order magic'],
    ];
    for (const [bad, message] of cases) {
      const err = await readAll(bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(ExitCode.notCapture);
      expect((err as UsageError).message).toBe(message);
    }
  });

  it('rejects a first section header whose length (in its own byte order) is < 28 or not a multiple of 4', async () => {
    for (const bigEndian of [false, true]) {
      for (const len of [24, 20, 30, 29]) {
        const f = writePcapng([pkt(4, 1)], { linkType: 1, bigEndian });
        new DataView(f.buffer).setUint32(4, len, !bigEndian);
        const err = await readAll(f).catch((e: unknown) => e);
        expect(err, `${bigEndian ? 'BE' : 'LE'} ${len}`).toBeInstanceOf(UsageError);
        expect((err as UsageError).message).toBe(`mem.pcap: pcapng section header has an invalid length ${len}`);
      }
    }
  });

  it('a file that is only a 28-byte section header has no packets and no diagnostics', async () => {
    const { packets, reader, diag } = await readAll(MINIMAL.subarray(0, 28));
    expect(packets).toHaveLength(0);
    expect(reader.stats.truncated).toBe(false);
    expect((reader as PcapngReader).sections).toBe(1);
    expect(diag.list()).toEqual([]);
  });

  it('reads a 12-byte block (empty body) at the very end of the file, not calling it truncated', async () => {
    const f = writePcapngSections([{ blocks: [{ type: 'idb', linkType: 1 }, { type: 'epb', data: pkt(4, 1) }, { type: 'raw', blockType: 0x0bad, body: new Uint8Array(0) }] }]);
    expect(f.length).toBe(28 + 24 + 36 + 12);
    for (const chunk of [undefined, 1]) {
      const { packets, reader, diag } = await readAll(f, { chunk });
      expect(packets).toHaveLength(1);
      expect(reader.stats.truncated).toBe(false);
      expect(diag.list()).toEqual([]);
    }
  });

  it('accepts a block of exactly limits.maxBlockBytes', async () => {
    const f = writePcapng([pkt(8, 1), pkt(8, 2)], { linkType: 1 }); // EPBs of 40 bytes, SHB 28, IDB 24
    const at = await readAll(f, { limits: { maxBlockBytes: 40 } });
    expect(at.packets.map((p) => p.bytes[0])).toEqual([1, 2]);
    expect(at.reader.stats.decodeErrors).toBe(0);
    const below = await readAll(f, { limits: { maxBlockBytes: 36 } });
    expect(below.packets).toHaveLength(0);
    expect(below.diag.count('capture.pcapng.bad_block_length')).toBe(1);
  });

  it('raises origlen to caplen when a writer stored a smaller origlen (EPB)', async () => {
    const { packets } = await readAll(writePcapngSections([{ blocks: [{ type: 'idb', linkType: 1 }, { type: 'epb', data: pkt(10, 1), origlen: 3 }] }]));
    expect(packets[0]).toMatchObject({ caplen: 10, origlen: 10 });
  });

  it('reports a cut last block as truncated and keeps the packets before it', async () => {
    const f = writePcapng([pkt(10, 1), pkt(10, 2)], { linkType: 1 });
    const { packets, reader, diag } = await readAll(f.subarray(0, f.length - 3));
    expect(packets).toHaveLength(1);
    expect(reader.stats.truncated).toBe(true);
    expect(diag.count('capture.truncated')).toBe(1);
  });
});

describe('pcapng reader: sections, interfaces and block types', () => {
  // Section 1 (little-endian): Ethernet µs interface, RAW ns interface; EPBs on both, a DSB, an
  // unknown block, an SPB (interface 0, snaplen 8), and an Interface Statistics Block.
  // Section 2 (big-endian): interfaces restart at 0: NULL with 2^-20 s resolution and a +100 s
  // if_tsoffset; an obsolete Packet Block and an EPB.
  const s1: PcapngBlock[] = [
    { type: 'idb', linkType: 1, snaplen: 8 },
    { type: 'idb', linkType: 101, tsresol: 9 },
    { type: 'epb', iface: 0, data: pkt(6, 0xa0), tsMicros: T1 },
    { type: 'dsb', data: new TextEncoder().encode('CLIENT_RANDOM 00 11\n') },
    { type: 'epb', iface: 1, data: pkt(7, 0xa1), tsNanos: 1_700_000_000_123_456_789n },
    { type: 'raw', blockType: 0x0bad0bad, body: pkt(9, 0xee) },
    { type: 'spb', data: pkt(12, 0xa2), origlen: 100 },
    { type: 'raw', blockType: 5, body: pkt(16, 0) },
  ];
  const s2: PcapngBlock[] = [
    { type: 'idb', linkType: 0, tsresol: 0x80 | 20, tsoffsetSeconds: 100n },
    { type: 'pb', iface: 0, data: pkt(3, 0xb0), tsUnits: (1_700_000_000n << 20n) + (1n << 19n) },
    { type: 'epb', iface: 0, data: pkt(4, 0xb1), tsUnits: 1_700_000_001n << 20n },
  ];
  const file = writePcapngSections([{ blocks: s1 }, { bigEndian: true, blocks: s2 }]);

  it('delivers the packets of both sections in file order', async () => {
    const { packets } = await readAll(file);
    expect(packets.map((p) => p.bytes[0])).toEqual([0xa0, 0xa1, 0xa2, 0xb0, 0xb1]);
    expect(packets.map((p) => p.index)).toEqual([1, 2, 3, 4, 5]);
  });

  it('maps each packet to its interface link type (interfaces restart per section)', async () => {
    const { packets, reader } = await readAll(file);
    expect(packets.map((p) => p.linkType)).toEqual([1, 101, 1, 0, 0]);
    expect(reader.stats.linkTypes).toEqual([1, 101, 0]);
  });

  it('converts timestamps per interface: µs, ns (if_tsresol 9), 2^-20 s with if_tsoffset', async () => {
    const { packets } = await readAll(file);
    expect(packets[0].tsMicros).toBe(T1);
    expect(packets[1].tsMicros).toBe(T1); // 123456789 ns → 123456 µs
    expect(packets[3].tsMicros).toBe((1_700_000_000 + 100) * 1e6 + 500_000);
    expect(packets[4].tsMicros).toBe((1_700_000_001 + 100) * 1e6);
  });

  it('gives a Simple Packet Block the snaplen of interface 0 and the previous timestamp', async () => {
    const { packets } = await readAll(file);
    expect(packets[2]).toMatchObject({ caplen: 8, origlen: 100, tsMicros: T1, linkType: 1 });
    expect([...packets[2].bytes]).toEqual(new Array(8).fill(0xa2));
  });

  it('counts and ignores the Decryption Secrets Block, skips unknown blocks silently', async () => {
    const { diag, reader } = await readAll(file);
    expect(diag.count('capture.pcapng.dsb_ignored')).toBe(1);
    expect(reader.stats.decodeErrors).toBe(0);
    expect(diag.list().map((e) => e.key)).toEqual(['capture.pcapng.dsb_ignored']);
    const dsbAt = writePcapngSections([{ blocks: s1.slice(0, 3) }]).length;
    expect(diag.list()[0]).toMatchObject({ severity: 'warning', samples: [{ file: 0, detail: `mem.pcap: Decryption Secrets Block at offset ${dsbAt} ignored` }] });
    expect((reader as PcapngReader).secretsBlocks).toBe(1);
    expect((reader as PcapngReader).sections).toBe(2);
  });

  it('applies if_tsoffset on a microsecond interface too (little-endian section)', async () => {
    const f = writePcapngSections([{ blocks: [
      { type: 'idb', linkType: 1, tsoffsetSeconds: 100n },
      { type: 'idb', linkType: 1, tsoffsetSeconds: -100n },
      { type: 'idb', linkType: 1, tsoffsetSeconds: 0n },
      { type: 'epb', iface: 0, data: pkt(4, 1), tsUnits: BigInt(T1) },
      { type: 'epb', iface: 1, data: pkt(4, 2), tsUnits: BigInt(T1) },
      { type: 'epb', iface: 2, data: pkt(4, 3), tsUnits: BigInt(T1) },
    ] }]);
    const { packets } = await readAll(f);
    expect(packets.map((p) => p.tsMicros)).toEqual([T1 + 100_000_000, T1 - 100_000_000, T1]);
  });

  it('an obsolete Packet Block takes its interface from its 16-bit interface id', async () => {
    const f = writePcapngSections([{ blocks: [
      { type: 'idb', linkType: 1 },
      { type: 'idb', linkType: 101, tsresol: 9 },
      { type: 'pb', iface: 1, data: pkt(5, 1), tsNanos: 1_700_000_000_123_456_789n },
      { type: 'pb', iface: 0, data: pkt(5, 2), tsMicros: T1 },
    ] }]);
    const { packets } = await readAll(f);
    expect(packets.map((p) => [p.linkType, p.tsMicros])).toEqual([[101, T1], [1, T1]]);
  });

  it('reads the file identically through tiny buffers and chunks', async () => {
    const ref = await readAll(file);
    for (const [bufferSize, chunk] of [[64, 3], [96, 1], [200, 17]]) {
      const r = await readAll(file, { bufferSize, chunk });
      expect(r.packets).toEqual(ref.packets);
    }
  });
});

describe('pcapng reader: damaged blocks', () => {
  const base = writePcapng([pkt(8, 1), pkt(8, 2), pkt(8, 3)], { linkType: 1 });
  // SHB 28 + IDB 24 (with opt_endofopt) = 52; each EPB is 28 + 8 + 4 = 40 bytes
  const epb2 = 52 + 40;

  function patched(off: number, v: number): Uint8Array {
    const f = base.slice();
    new DataView(f.buffer).setUint32(off, v, true);
    return f;
  }

  it('stops at a block length that is not a multiple of 4', async () => {
    const { packets, diag, reader } = await readAll(patched(epb2 + 4, 41));
    expect(packets).toHaveLength(1);
    expect(diag.count('capture.pcapng.bad_block_length')).toBe(1);
    expect(reader.stats.decodeErrors).toBe(1);
    expect(reader.stats.truncated).toBe(false);
  });

  it('stops at a block length below 12 or above limits.maxBlockBytes (no buffering)', async () => {
    for (const len of [8, 4, 0]) {
      const r = await readAll(patched(epb2 + 4, len));
      expect(r.packets).toHaveLength(1);
      expect(r.diag.list().map((e) => e.key), `length ${len}`).toEqual(['capture.pcapng.bad_block_length']);
      expect(r.reader.stats.decodeErrors).toBe(1);
    }
    const huge = await readAll(patched(epb2 + 4, 0x7ffffff0), { limits: { maxBlockBytes: 1 << 20 } });
    expect(huge.packets).toHaveLength(1);
    expect(huge.diag.count('capture.pcapng.bad_block_length')).toBe(1);
  });

  it('stops when the trailing length differs', async () => {
    const { packets, diag } = await readAll(patched(epb2 + 36, 44));
    expect(packets).toHaveLength(1);
    expect(diag.count('capture.pcapng.bad_block_trailer')).toBe(1);
  });

  it('the diagnostics that end the file say which block, where, and what is wrong', async () => {
    const len = await readAll(patched(epb2 + 4, 41));
    expect(len.diag.list()).toEqual([{ key: 'capture.pcapng.bad_block_length', severity: 'anomaly', count: 1,
      samples: [{ file: 0, packet: 2, detail: `mem.pcap: block type 0x6 at offset ${epb2} has length 41` }] }]);
    const trailer = await readAll(patched(epb2 + 36, 44));
    expect(trailer.diag.list()).toEqual([{ key: 'capture.pcapng.bad_block_trailer', severity: 'anomaly', count: 1,
      samples: [{ file: 0, packet: 2, detail: `mem.pcap: block at offset ${epb2}: trailing length 44 != 40` }] }]);
  });

  it('skipped blocks are counted with the packet number they would have had and their offset', async () => {
    const { diag } = await readAll(patched(epb2 + 8, 7));
    expect(diag.list()).toEqual([{ key: 'capture.pcapng.bad_interface', severity: 'anomaly', count: 1,
      samples: [{ file: 0, packet: 2, detail: `mem.pcap: block at offset ${epb2}: interface 7 not described` }] }]);
    const caplen = await readAll(patched(epb2 + 20, 9));
    expect(caplen.diag.list()[0].samples[0].detail).toBe(`mem.pcap: block at offset ${epb2}: caplen 9 exceeds the block`);
  });

  it('a packet on the interface just past the last one described is skipped (no crash)', async () => {
    const { packets, diag, reader } = await readAll(patched(epb2 + 8, 1));
    expect(packets.map((p) => p.bytes[0])).toEqual([1, 3]);
    expect(diag.count('capture.pcapng.bad_interface')).toBe(1);
    expect(reader.stats.decodeErrors).toBe(1);
  });

  it('skips (and counts) a packet on an undescribed interface', async () => {
    const { packets, diag, reader } = await readAll(patched(epb2 + 8, 7));
    expect(packets.map((p) => p.bytes[0])).toEqual([1, 3]);
    expect(diag.count('capture.pcapng.bad_interface')).toBe(1);
    expect(reader.stats.decodeErrors).toBe(1);
  });

  it('skips a packet whose captured length exceeds its block', async () => {
    const { packets, diag } = await readAll(patched(epb2 + 20, 9));
    expect(packets.map((p) => p.bytes[0])).toEqual([1, 3]);
    expect(diag.count('capture.pcapng.bad_caplen')).toBe(1);
  });

  it('stops at a section header with a bad byte-order magic', async () => {
    const second = writePcapng([pkt(4, 9)], { linkType: 1 });
    second[8] = 0x99;
    const { packets, diag, reader } = await readAll(concat(base, second));
    expect(packets).toHaveLength(3);
    expect(diag.count('capture.pcapng.bad_byte_order')).toBe(1);
    expect(diag.list()[0].samples[0].detail).toBe(`mem.pcap: section header at offset ${base.length} has byte-order magic 0x993c2b1a`);
    expect((reader as PcapngReader).sections).toBe(1);
  });

});

describe('pcapng reader: short and oversized blocks', () => {
  const idb = { type: 'idb', linkType: 1 } as const;
  const body = (n: number) => new Uint8Array(n);
  const read = (blocks: PcapngBlock[], limits = {}) => readAll(writePcapngSections([{ blocks }]), { limits });

  it('an EPB or PB shorter than 32 bytes is skipped and counted; one of exactly 32 bytes is an empty packet', async () => {
    for (const [blockType, key] of [[6, 'capture.pcapng.bad_epb'], [2, 'capture.pcapng.bad_pb']] as const) {
      // 16-byte body: interface, timestamp and caplen but no origlen
      const { packets, diag, reader } = await read([idb, { type: 'raw', blockType, body: body(16) }, { type: 'epb', data: pkt(4, 7) }]);
      expect(packets.map((p) => p.bytes[0])).toEqual([7]);
      expect(diag.list().map((e) => [e.key, e.count])).toEqual([[key, 1]]);
      expect(reader.stats.decodeErrors).toBe(1);
    }
    const empty = await read([idb, { type: 'epb', data: body(0), origlen: 60 }, { type: 'pb', data: body(0) }]);
    expect(empty.packets.map((p) => [p.caplen, p.origlen])).toEqual([[0, 60], [0, 0]]);
    expect(empty.reader.stats.decodeErrors).toBe(0);
  });

  it('an EPB caplen above limits.maxPacketBytes is skipped as capture.bad_caplen; exactly the limit is read', async () => {
    const { packets, diag, reader } = await read([idb, { type: 'epb', data: pkt(101, 1) }, { type: 'epb', data: pkt(100, 2) }], { maxPacketBytes: 100 });
    expect(packets.map((p) => [p.bytes[0], p.caplen])).toEqual([[2, 100]]);
    expect(diag.list().map((e) => [e.key, e.count])).toEqual([['capture.bad_caplen', 1]]);
    expect(reader.stats.decodeErrors).toBe(1);
  });

  it('an IDB whose body is shorter than 8 bytes is counted and describes no interface', async () => {
    const { packets, diag, reader } = await read([{ type: 'raw', blockType: 1, body: body(4) }, { type: 'epb', data: pkt(4, 1) }]);
    expect(packets).toHaveLength(0);
    expect(diag.list().map((e) => [e.key, e.count])).toEqual([['capture.pcapng.bad_idb', 1], ['capture.pcapng.bad_interface', 1]]);
    expect(reader.stats.decodeErrors).toBe(2);
    expect(reader.stats.linkTypes).toEqual([]);
  });

  it('a section header shorter than 28 bytes ends the file', async () => {
    const f = writePcapngSections([{ blocks: [
      idb, { type: 'epb', data: pkt(4, 1) },
      // a 24-byte SHB: byte-order magic, version, 4 bytes (no room for the section length)
      { type: 'raw', blockType: 0x0a0d0d0a, body: hex`4d 3c 2b 1a 01 00 00 00 ff ff ff ff` },
      { type: 'epb', data: pkt(4, 2) },
    ] }]);
    const { packets, diag, reader } = await readAll(f);
    expect(packets.map((p) => p.bytes[0])).toEqual([1]);
    expect(diag.list()).toEqual([{ key: 'capture.pcapng.bad_shb', severity: 'anomaly', count: 1,
      samples: [{ file: 0, packet: 2, detail: 'mem.pcap: section header at offset 88 is 24 bytes' }] }]);
    expect(reader.stats.decodeErrors).toBe(1);
    expect((reader as PcapngReader).sections).toBe(1);
  });

  it('keeps at most 65536 interfaces per section; further IDBs are counted and their packets skipped', async () => {
    const n = 65_537;
    const one = writePcapngSections([{ blocks: [{ type: 'idb', linkType: 1 }] }]).subarray(28);
    const idbs = new Uint8Array(one.length * n);
    for (let i = 0; i < n; i++) idbs.set(one, i * one.length);
    const epbs = writePcapngSections([{ blocks: [{ type: 'epb', iface: 65_535, data: pkt(4, 1) }, { type: 'epb', iface: 65_536, data: pkt(4, 2) }] }]).subarray(28);
    const { packets, diag, reader } = await readAll(concat(MINIMAL.subarray(0, 28), idbs, epbs));
    expect(packets.map((p) => p.bytes[0])).toEqual([1]);
    expect(diag.list().map((e) => [e.key, e.count])).toEqual([['capture.pcapng.bad_interface', 1], ['capture.pcapng.too_many_interfaces', 1]]);
    expect(reader.stats.decodeErrors).toBe(2);
  });
});

describe('pcapng reader: Simple Packet Blocks', () => {
  const read = (blocks: PcapngBlock[], limits = {}) => readAll(writePcapngSections([{ blocks }]), { limits });

  it('without a snaplen: caplen is the data in the block (padding included) capped by origlen', async () => {
    const { packets } = await read([
      { type: 'idb', linkType: 1 },
      { type: 'spb', data: pkt(12, 1), origlen: 100 }, // snapped: 12 bytes kept of 100
      { type: 'spb', data: pkt(10, 2), origlen: 100 }, // 10 bytes + 2 of padding kept
      { type: 'spb', data: pkt(10, 3) }, // origlen 10: the padding is not packet data
    ]);
    expect(packets.map((p) => [p.caplen, p.origlen])).toEqual([[12, 100], [12, 100], [10, 10]]);
  });

  it('a snaplen larger than the packet does not lengthen it', async () => {
    const { packets } = await read([{ type: 'idb', linkType: 1, snaplen: 64 }, { type: 'spb', data: pkt(12, 1) }]);
    expect(packets.map((p) => [p.caplen, p.origlen])).toEqual([[12, 12]]);
  });

  it('a 16-byte SPB is an empty packet; a 12-byte one (no origlen) is counted as capture.pcapng.bad_spb', async () => {
    const { packets, diag, reader } = await read([
      { type: 'idb', linkType: 1 },
      { type: 'spb', data: new Uint8Array(0), origlen: 60 },
      { type: 'raw', blockType: 3, body: new Uint8Array(0) },
      { type: 'spb', data: pkt(4, 9) },
    ]);
    expect(packets.map((p) => [p.caplen, p.origlen])).toEqual([[0, 60], [4, 4]]);
    expect(diag.list().map((e) => [e.key, e.count])).toEqual([['capture.pcapng.bad_spb', 1]]);
    expect(reader.stats.decodeErrors).toBe(1);
  });

  it('an SPB before any interface is counted as capture.pcapng.bad_interface', async () => {
    const { packets, diag, reader } = await read([{ type: 'spb', data: pkt(4, 1) }, { type: 'idb', linkType: 1 }, { type: 'spb', data: pkt(4, 2) }]);
    expect(packets.map((p) => p.bytes[0])).toEqual([2]);
    expect(diag.list().map((e) => [e.key, e.count])).toEqual([['capture.pcapng.bad_interface', 1]]);
    expect(reader.stats.decodeErrors).toBe(1);
  });

  it('an SPB caplen above limits.maxPacketBytes is skipped as capture.bad_caplen; exactly the limit is read', async () => {
    const { packets, diag } = await read([{ type: 'idb', linkType: 1 }, { type: 'spb', data: pkt(104, 1) }, { type: 'spb', data: pkt(100, 2) }], { maxPacketBytes: 100 });
    expect(packets.map((p) => [p.bytes[0], p.caplen])).toEqual([[2, 100]]);
    expect(diag.list().map((e) => [e.key, e.count])).toEqual([['capture.bad_caplen', 1]]);
  });
});
