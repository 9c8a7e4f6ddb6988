import { describe, expect, it } from 'vitest';
import { decodePcapHeader, RESYNC_WINDOW_MIN } from '../../../src/capture/pcap-reader.js';
import { ExitCode, UsageError } from '../../../src/errors.js';
import { concat, hex } from '../../helpers/packet-builder.js';
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
    expect((err as UsageError).message).toBe('mem.pcap: truncated pcap file header');
  });

  it('decodes only the four classic magics (µs / ns, either byte order)', () => {
    const head = (magic: string) => concat(hex(magic), LE_USEC.subarray(4, 24));
    expect(decodePcapHeader(head('d4 c3 b2 a1'))).toMatchObject({ littleEndian: true, nanos: false, snaplen: 65535, linkType: 1 });
    expect(decodePcapHeader(head('4d 3c b2 a1'))).toMatchObject({ littleEndian: true, nanos: true });
    expect(decodePcapHeader(head('a1 b2 c3 d4'))).toMatchObject({ littleEndian: false, nanos: false });
    expect(decodePcapHeader(head('a1 b2 3c 4d'))).toMatchObject({ littleEndian: false, nanos: true });
    for (const other of ['0a 0d 0d 0a', 'd4 c3 b2 a2', '00 00 00 00', '1f 8b 08 00']) expect(decodePcapHeader(head(other)), other).toBeNull();
  });

  it('warns about an unexpected version and still reads', async () => {
    const { packets, diag } = await readAll(writePcap([new Uint8Array(4)], { linkType: 1, versionMajor: 3 }));
    expect(packets).toHaveLength(1);
    expect(diag.count('capture.pcap_version')).toBe(1);
    const [e] = diag.list();
    expect(e).toMatchObject({ key: 'capture.pcap_version', severity: 'warning', samples: [{ file: 0, detail: 'mem.pcap: pcap version 3.4' }] });
  });

  it('does not warn about version 2.4 (a clean file has no diagnostics at all)', async () => {
    const { diag } = await readAll(LE_USEC);
    expect(diag.list()).toEqual([]);
  });

  it('accepts caplen slightly above the snaplen (tolerance) but not above limits.maxPacketBytes', async () => {
    const f = writePcap([new Uint8Array(68_500)], { linkType: 1, snaplen: 68_000 });
    expect((await readAll(f)).packets).toHaveLength(1);
    const small = await readAll(f, { limits: { maxPacketBytes: 65_535 } });
    expect(small.packets).toHaveLength(0);
    expect(small.diag.count('capture.bad_caplen')).toBe(1);
  });

  it('the caplen cap is exactly snaplen + 1024: a record of that size is read, one byte more is corrupt', async () => {
    const at = writePcap([new Uint8Array(69_024), new Uint8Array(4)], { linkType: 1, snaplen: 68_000 });
    const ok = await readAll(at);
    expect(ok.packets.map((p) => p.caplen)).toEqual([69_024, 4]);
    expect(ok.diag.count('capture.bad_caplen')).toBe(0);
    const over = await readAll(writePcap([new Uint8Array(69_025), new Uint8Array(4)], { linkType: 1, snaplen: 68_000 }));
    expect(over.diag.count('capture.bad_caplen')).toBe(1);
    expect(over.packets.map((p) => p.caplen)).toEqual([4]);
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
    expect(diag.list().find((e) => e.key === 'capture.resync_failed')?.samples[0].detail)
      .toBe(`mem.pcap: no plausible record header within ${RESYNC_WINDOW_MIN} bytes after a corrupt caplen; rest of the file ignored`);
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

/** Seconds of the default packet times of the writer (1_700_000_000 s). */
const SEC = 1_700_000_000;
const DAY = 86_400;

/** One little-endian record with the header fields given as is; the data is `fill` bytes (never a plausible header). */
function rawRecord(sec: number, frac: number, caplen: number, origlen = caplen, dataLen = caplen, fill = 0x11): Uint8Array {
  const b = new Uint8Array(16 + dataLen).fill(fill);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, sec, true); dv.setUint32(4, frac, true); dv.setUint32(8, caplen, true); dv.setUint32(12, origlen, true);
  return b;
}

/** A 24-byte little-endian file header (µs or ns). */
function fileHeader(o: { nanos?: boolean; snaplen?: number } = {}): Uint8Array {
  return writePcap([], { linkType: 1, nanos: o.nanos, snaplen: o.snaplen ?? 1024 });
}

/** A good record whose data bytes are all `marker` (the marker identifies it in the results). */
const good = (marker: number, sec = SEC, frac = marker * 1000) => rawRecord(sec, frac, 40, 40, 40, marker);
/** A record header with an impossible caplen (framing lost) followed by `garbage`. */
const corrupt = (garbage: Uint8Array = new Uint8Array(40).fill(0xff), sec = SEC) => concat(rawRecord(sec, 0, 0x7fffffff, 0x7fffffff, 0), garbage);
const markers = (packets: { bytes: Uint8Array }[]) => packets.map((p) => p.bytes[0]);

describe('classic pcap: what the resynchronisation accepts', () => {
  // limits.maxPacketBytes 1024 and snaplen 1024: the caplen cap is 1024, the resync window 64 KiB
  const limits = { maxPacketBytes: 1024 };

  it('resynchronises when the very first record is corrupt (no previous packet time to compare with)', async () => {
    const f = concat(fileHeader(), corrupt(), good(2), good(3));
    const { packets, diag } = await readAll(f, { limits });
    expect(markers(packets)).toEqual([2, 3]);
    expect(diag.count('capture.bad_caplen')).toBe(1);
    expect(diag.count('capture.resync')).toBe(1);
  });

  it('a resynchronised record must be within 7 days of the previous packet (exactly 7 days is accepted)', async () => {
    const run = (prevSec: number, nextSec: number) =>
      readAll(concat(fileHeader(), good(1, prevSec), corrupt(undefined, prevSec), good(3, nextSec), good(4, nextSec)), { limits });
    const within = await run(SEC, SEC + 7 * DAY);
    expect(markers(within.packets)).toEqual([1, 3, 4]);
    expect(within.diag.count('capture.resync')).toBe(1);
    const beyond = await run(SEC, SEC + 7 * DAY + 1);
    expect(markers(beyond.packets)).toEqual([1]);
    expect(beyond.diag.count('capture.resync')).toBe(0);
    expect(beyond.reader.stats.truncated).toBe(false);
    // a previous packet at 1970-01-01T00:00:00 (a device without a clock) is a reference like any other
    const epoch = await run(0, 8 * DAY);
    expect(markers(epoch.packets)).toEqual([1]);
    expect(epoch.diag.count('capture.resync')).toBe(0);
  });

  it('a candidate header is taken only when the header after its record is plausible too', async () => {
    // inside the lost record: a plausible header (time, µs, caplen 8 ≤ origlen) followed by 0xff bytes
    const decoy = concat(rawRecord(SEC, 5, 8, 8, 8, 0xdd), new Uint8Array(32).fill(0xff));
    // 12 good records first so that the corrupt one lies past the 512 bytes read to sniff the format; with
    // 64-byte reads in chunks of 1 to 80 bytes, some runs hold the decoy's record but not the header after it
    const lead = Array.from({ length: 12 }, () => good(1));
    const f = concat(fileHeader(), ...lead, corrupt(decoy), good(3), good(4));
    for (let chunk = 1; chunk <= 80; chunk++) {
      const { packets, diag } = await readAll(f, { limits, chunk, bufferSize: 64 });
      expect(markers(packets), `chunk ${chunk}`).toEqual([...lead.map(() => 1), 3, 4]);
      expect(diag.count('capture.resync')).toBe(1);
    }
  });

  it('at the end of the file a candidate is taken only when its record ends exactly there', async () => {
    // a plausible header whose 500-byte record would run past the end of the file, then the real last record
    const decoy = concat(rawRecord(SEC, 5, 500, 500, 0), new Uint8Array(8).fill(0xff));
    const f = concat(fileHeader(), good(1), corrupt(decoy), good(3));
    for (const chunk of [undefined, 1, 50]) {
      const { packets, reader, diag } = await readAll(f, { limits, chunk });
      expect(markers(packets), `chunk ${chunk}`).toEqual([1, 3]);
      expect(reader.stats.truncated).toBe(false);
      expect(diag.count('capture.truncated')).toBe(0);
    }
  });

  it('a record is taken when the file is cut right after the next record header (that one is truncated)', async () => {
    const f = concat(fileHeader(), good(1), corrupt(), good(3), good(4).subarray(0, 16));
    const { packets, reader, diag } = await readAll(f, { limits });
    expect(markers(packets)).toEqual([1, 3]);
    expect(diag.count('capture.resync')).toBe(1);
    expect(reader.stats.truncated).toBe(true);
    expect(diag.count('capture.truncated')).toBe(1);
  });

  describe('plausible header rules (a candidate X after the corrupt record, then two good records)', () => {
    const X = 0xcc;
    const cases: { name: string; nanos?: boolean; x: Uint8Array; taken: boolean }[] = [
      { name: 'caplen at the cap (1024)', x: rawRecord(SEC, 7, 1024, 1024, 1024, X), taken: true },
      { name: 'caplen 0', x: rawRecord(SEC, 7, 0, 0, 0), taken: false },
      { name: 'origlen below caplen', x: rawRecord(SEC, 7, 40, 39, 40, X), taken: false },
      { name: 'origlen 1 MiB', x: rawRecord(SEC, 7, 40, 1 << 20, 40, X), taken: true },
      { name: 'origlen 1 MiB + 1', x: rawRecord(SEC, 7, 40, (1 << 20) + 1, 40, X), taken: false },
      { name: 'µs fraction 999999', x: rawRecord(SEC, 999_999, 40, 40, 40, X), taken: true },
      { name: 'µs fraction 1000000', x: rawRecord(SEC, 1_000_000, 40, 40, 40, X), taken: false },
      { name: 'ns fraction 999999999', nanos: true, x: rawRecord(SEC, 999_999_999, 40, 40, 40, X), taken: true },
      { name: 'ns fraction 1000000000', nanos: true, x: rawRecord(SEC, 1_000_000_000, 40, 40, 40, X), taken: false },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.taken ? 'taken' : 'skipped'}`, async () => {
        const f = concat(fileHeader({ nanos: c.nanos }), good(1), corrupt(), c.x, good(3), good(4));
        const { packets, diag, reader } = await readAll(f, { limits });
        expect(markers(packets)).toEqual(c.taken ? [1, X, 3, 4] : [1, 3, 4]);
        expect(diag.count('capture.resync')).toBe(1);
        expect(reader.stats.decodeErrors).toBe(1);
      });
    }

    it('caplen above the cap: skipped (not taken and then found corrupt again)', async () => {
      const f = concat(fileHeader(), good(1), corrupt(), rawRecord(SEC, 7, 1025, 1025, 1025, 0), good(3), good(4));
      const { packets, diag, reader } = await readAll(f, { limits });
      expect(markers(packets)).toEqual([1, 3, 4]);
      expect(diag.count('capture.bad_caplen')).toBe(1);
      expect(reader.stats.decodeErrors).toBe(1);
    });
  });

  it(`scans at most the resync window (${RESYNC_WINDOW_MIN} bytes here): a record 1 byte past it is found, 2 bytes past it is not`, async () => {
    // the scan starts 1 byte after the corrupt record header; the good record at distance d from there
    // is examined before the window check, so d = window + 1 is the farthest found
    const run = (d: number, o: { chunk?: number; bufferSize?: number } = {}) => {
      const garbage = new Uint8Array(1 + d - 16).fill(0xff);
      return readAll(concat(fileHeader(), good(1), corrupt(garbage), good(3), good(4)), { limits, ...o });
    };
    for (const o of [{}, { chunk: 1000, bufferSize: 64 }, { chunk: 4096, bufferSize: 4096 }]) {
      const found = await run(RESYNC_WINDOW_MIN + 1, o);
      expect(markers(found.packets), JSON.stringify(o)).toEqual([1, 3, 4]);
      expect(found.diag.count('capture.resync_failed')).toBe(0);
      const lost = await run(RESYNC_WINDOW_MIN + 2, o);
      expect(markers(lost.packets), JSON.stringify(o)).toEqual([1]);
      expect(lost.diag.count('capture.resync_failed')).toBe(1);
    }
  });

  it('with the default limits the resync window is 64 records of the largest size (16 MiB): 200 KiB of garbage is crossed', async () => {
    const f = concat(fileHeader({ snaplen: 262_144 }), good(1), corrupt(new Uint8Array(200 * 1024).fill(0xff)), good(3), good(4));
    const { packets, diag } = await readAll(f);
    expect(markers(packets)).toEqual([1, 3, 4]);
    expect(diag.count('capture.resync')).toBe(1);
    expect(diag.count('capture.resync_failed')).toBe(0);
  });

  it('the diagnostics say where: packet number, offset of the corrupt header, bytes skipped', async () => {
    // header 24 + good(1) 56 → the corrupt record header is at 80; 56 bytes later (136) good(3) starts
    const f = concat(fileHeader(), good(1), corrupt(), good(3), good(4));
    const { diag } = await readAll(f, { limits });
    expect(diag.list()).toEqual([
      { key: 'capture.bad_caplen', severity: 'anomaly', count: 1, samples: [
        { file: 0, packet: 2, detail: 'mem.pcap: record at offset 80 has caplen 2147483647 > 1024; resynchronising' }] },
      { key: 'capture.resync', severity: 'warning', count: 1, samples: [
        { file: 0, packet: 2, detail: 'mem.pcap: skipped 56 byte(s) to offset 136' }] },
    ]);
  });
});
