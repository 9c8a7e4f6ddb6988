import { describe, expect, it } from 'vitest';
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
    for (const bad of [MINIMAL.subarray(0, 20), concat(MINIMAL.subarray(0, 8), hex`11 22 33 44`, MINIMAL.subarray(12))]) {
      const err = await readAll(bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).exitCode).toBe(ExitCode.notCapture);
    }
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
    expect((await readAll(patched(epb2 + 4, 8))).packets).toHaveLength(1);
    const huge = await readAll(patched(epb2 + 4, 0x7ffffff0), { limits: { maxBlockBytes: 1 << 20 } });
    expect(huge.packets).toHaveLength(1);
    expect(huge.diag.count('capture.pcapng.bad_block_length')).toBe(1);
  });

  it('stops when the trailing length differs', async () => {
    const { packets, diag } = await readAll(patched(epb2 + 36, 44));
    expect(packets).toHaveLength(1);
    expect(diag.count('capture.pcapng.bad_block_trailer')).toBe(1);
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
    const { packets, diag } = await readAll(concat(base, second));
    expect(packets).toHaveLength(3);
    expect(diag.count('capture.pcapng.bad_byte_order')).toBe(1);
  });
});
