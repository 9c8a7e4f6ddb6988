import { describe, expect, it } from 'vitest';
import { RESYNC_WINDOW_MIN } from '../../../src/capture/pcap-reader.js';
import { ExitCode, UsageError } from '../../../src/errors.js';
import { hex } from '../../helpers/packet-builder.js';
import { writePcap } from '../../helpers/pcap-writer.js';
import { readAll } from './support.js';

/** Little-endian, microsecond pcap with two records (tcpdump -r would show 2 packets). */
const LE_USEC = hex`
  d4 c3 b2 a1   # magic 0xa1b2c3d4 written little-endian → LE, µs
  02 00 04 00   # version 2.4
  00 00 00 00   # thiszone
  00 00 00 00   # sigfigs
  ff ff 00 00   # snaplen 65535
  01 00 00 00   # network: LINKTYPE_ETHERNET
  # record 1
  00 f1 53 65   # ts_sec 1700000000
  40 e2 01 00   # ts_usec 123456
  04 00 00 00   # caplen 4
  3c 00 00 00   # origlen 60
  de ad be ef   # packet bytes
  # record 2
  01 f1 53 65   # ts_sec 1700000001
  00 00 00 00   # ts_usec 0
  02 00 00 00   # caplen 2
  02 00 00 00   # origlen 2
  ca fe
`;

/** The same file written big-endian. */
const BE_USEC = hex`
  a1 b2 c3 d4   # magic, big-endian
  00 02 00 04   # version 2.4
  00 00 00 00  00 00 00 00
  00 00 ff ff   # snaplen 65535
  00 00 00 01   # EN10MB
  65 53 f1 00   00 01 e2 40   00 00 00 04   00 00 00 3c   de ad be ef
  65 53 f1 01   00 00 00 00   00 00 00 02   00 00 00 02   ca fe
`;

/** Nanosecond magic 0xa1b23c4d, little-endian: ts_nsec 123456789 → 123456 µs (rounded down). */
const LE_NSEC = hex`
  4d 3c b2 a1   # magic 0xa1b23c4d (ns) little-endian
  02 00 04 00  00 00 00 00  00 00 00 00
  00 00 04 00   # snaplen 262144
  71 00 00 00   # LINKTYPE_LINUX_SLL (113)
  00 f1 53 65   # ts_sec 1700000000
  15 cd 5b 07   # ts_nsec 123456789
  01 00 00 00   01 00 00 00   aa
`;

const T1 = 1_700_000_000_123_456;

describe('classic pcap reader', () => {
  it('reads a little-endian microsecond file: timestamps, lengths, bytes, numbering', async () => {
    const { packets, reader } = await readAll(LE_USEC);
    expect(reader.format).toBe('pcap');
    expect(reader.compressed).toBe(false);
    expect(packets.map((p) => p.tsMicros)).toEqual([T1, 1_700_000_001_000_000]);
    expect(packets.map((p) => [p.caplen, p.origlen])).toEqual([[4, 60], [2, 2]]);
    expect(packets.map((p) => p.index)).toEqual([1, 2]);
    expect(packets[0].linkType).toBe(1);
    expect([...packets[0].bytes]).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect([...packets[1].bytes]).toEqual([0xca, 0xfe]);
  });

  it('fills the stats', async () => {
    const { reader } = await readAll(LE_USEC);
    expect(reader.stats).toMatchObject({
      packets: 2, bytes: 6, firstMicros: T1, lastMicros: 1_700_000_001_000_000,
      decodeErrors: 0, truncated: false, linkTypes: [1], bytesRead: LE_USEC.length,
    });
  });

  it('reads the big-endian file identically', async () => {
    const le = await readAll(LE_USEC);
    const be = await readAll(BE_USEC);
    expect(be.packets).toEqual(le.packets);
  });

  it('reads nanosecond files (both byte orders) and rounds down to µs', async () => {
    const { packets, reader } = await readAll(LE_NSEC);
    expect(packets).toHaveLength(1);
    expect(packets[0].tsMicros).toBe(T1);
    expect(packets[0].linkType).toBe(113);
    expect(reader.stats.linkTypes).toEqual([113]);
    const be = writePcap([{ data: new Uint8Array([1, 2, 3]), tsNanos: 1_700_000_000_999_999_999n }], { linkType: 101, nanos: true, bigEndian: true });
    const r = await readAll(be);
    expect(r.packets[0].tsMicros).toBe(1_700_000_000_999_999);
    expect(r.packets[0].linkType).toBe(101);
  });

  it('masks the FCS bits out of the link type', async () => {
    const f = writePcap([new Uint8Array(4)], { linkType: 1 | (1 << 26) | (4 << 28) });
    const { packets } = await readAll(f);
    expect(packets[0].linkType).toBe(1);
  });

  it('raises origlen to caplen when a writer stored a smaller origlen', async () => {
    const f = writePcap([{ data: new Uint8Array(10), origlen: 3 }], { linkType: 1 });
    const { packets } = await readAll(f);
    expect(packets[0].origlen).toBe(10);
  });

  it('reports a record cut inside its data as truncated and keeps the others', async () => {
    const { packets, reader, diag } = await readAll(LE_USEC.subarray(0, LE_USEC.length - 1));
    expect(packets).toHaveLength(1);
    expect(reader.stats.truncated).toBe(true);
    expect(diag.count('capture.truncated')).toBe(1);
  });

  it('reports a record cut inside its header as truncated', async () => {
    const { packets, reader } = await readAll(LE_USEC.subarray(0, 24 + 20 + 5));
    expect(packets).toHaveLength(1);
    expect(reader.stats.truncated).toBe(true);
  });

  it('a header-only file has no packets and is not truncated', async () => {
    const { packets, reader } = await readAll(LE_USEC.subarray(0, 24));
    expect(packets).toHaveLength(0);
    expect(reader.stats.truncated).toBe(false);
  });

  it('rejects a file shorter than the 24-byte header with a UsageError', async () => {
    const err = await readAll(LE_USEC.subarray(0, 20)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(ExitCode.notCapture);
  });

  it('warns about an unexpected version and still reads', async () => {
    const { packets, diag } = await readAll(writePcap([new Uint8Array(4)], { linkType: 1, versionMajor: 3 }));
    expect(packets).toHaveLength(1);
    expect(diag.count('capture.pcap_version')).toBe(1);
  });

  it('accepts caplen slightly above the snaplen (tolerance) but not above limits.maxPacketBytes', async () => {
    const f = writePcap([new Uint8Array(68_500)], { linkType: 1, snaplen: 68_000 });
    expect((await readAll(f)).packets).toHaveLength(1);
    const small = await readAll(f, { limits: { maxPacketBytes: 65_535 } });
    expect(small.packets).toHaveLength(0);
    expect(small.diag.count('capture.bad_caplen')).toBe(1);
  });

  it('rejects caplen far above the header snaplen', async () => {
    const f = writePcap([new Uint8Array(100_000)], { linkType: 1, snaplen: 68_000 });
    const r = await readAll(f);
    expect(r.packets).toHaveLength(0);
    expect(r.diag.count('capture.bad_caplen')).toBe(1);
  });
});

describe('classic pcap: corrupt caplen', () => {
  const good = (i: number) => ({ data: new Uint8Array(40).fill(i), tsMicros: 1_700_000_000_000_000 + i * 1000 });

  it('counts capture.bad_caplen and resynchronises on the next plausible records', async () => {
    const f = writePcap([good(1), { ...good(2), caplenField: 0x7fffffff }, good(3), good(4)], { linkType: 1 });
    const { packets, reader, diag } = await readAll(f);
    expect(diag.count('capture.bad_caplen')).toBe(1);
    expect(diag.count('capture.resync')).toBe(1);
    expect(reader.stats.decodeErrors).toBe(1);
    // packet 2 is lost (its framing is unknown), 3 and 4 are found again
    expect(packets.map((p) => p.bytes[0])).toEqual([1, 3, 4]);
    expect(packets.map((p) => p.index)).toEqual([1, 2, 3]);
  });

  it('stops the file with capture.resync_failed after a bounded scan (no hang, no buffering)', async () => {
    const limits = { maxPacketBytes: 1024 };
    const garbage = new Uint8Array(RESYNC_WINDOW_MIN * 3).fill(0xff);
    const head = writePcap([good(1), { ...good(2), caplenField: 0xffffff }], { linkType: 1, snaplen: 1024 });
    const tail = writePcap([good(3)], { linkType: 1 }).subarray(24);
    const f = new Uint8Array(head.length + garbage.length + tail.length);
    f.set(head); f.set(garbage, head.length); f.set(tail, head.length + garbage.length);
    const { packets, reader, diag } = await readAll(f, { limits, bufferSize: 4096 });
    expect(packets).toHaveLength(1);
    expect(diag.count('capture.resync_failed')).toBe(1);
    expect(reader.stats.decodeErrors).toBe(2);
    // the reader stopped early: it did not read the whole input
    expect(reader.stats.bytesRead).toBeLessThan(f.length);
  });

  it('finds a record that ends exactly at the end of the file after a corrupt one', async () => {
    const f = writePcap([good(1), { ...good(2), caplenField: 0x7fffffff }, good(3)], { linkType: 1 });
    const { packets, reader } = await readAll(f, { chunk: 50 });
    expect(packets.map((p) => p.bytes[0])).toEqual([1, 3]);
    expect(reader.stats.truncated).toBe(false);
  });

  it('a corrupt caplen in the last record ends the file without a truncation warning', async () => {
    const f = writePcap([good(1), { ...good(2), caplenField: 0x7fffffff }], { linkType: 1 });
    const { packets, reader, diag } = await readAll(f);
    expect(packets).toHaveLength(1);
    expect(diag.count('capture.bad_caplen')).toBe(1);
    expect(reader.stats.truncated).toBe(false);
  });
});

describe('classic pcap: buffer boundaries', () => {
  const sizes = [1, 13, 60, 61, 64, 100, 200, 1514, 3000];
  const pkts = sizes.map((n, i) => ({ data: new Uint8Array(n).map((_, j) => (i * 31 + j) & 255), tsMicros: 1_600_000_000_000_000 + i }));
  const file = writePcap(pkts, { linkType: 1 });

  it('gives the same packets whatever the buffer and chunk sizes (records straddling refills, growth)', async () => {
    const ref = await readAll(file);
    expect(ref.packets.map((p) => p.caplen)).toEqual(sizes);
    for (const [bufferSize, chunk] of [[64, 7], [100, 1], [128, 4096], [1024, 333], [4096, 5000]]) {
      const r = await readAll(file, { bufferSize, chunk });
      expect(r.packets, `buffer ${bufferSize} chunk ${chunk}`).toEqual(ref.packets);
      expect(r.reader.stats.truncated).toBe(false);
    }
  });
});
