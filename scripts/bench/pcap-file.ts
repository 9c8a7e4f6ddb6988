/**
 * Minimal classic pcap access for the benchmark generator (not the product's reader: that is
 * src/capture/). Format: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-03.html
 *
 *   global header (24 bytes): magic u32 | major u16 | minor u16 | thiszone i32 | sigfigs u32 | snaplen u32 | linktype u32
 *   record header (16 bytes): ts_sec u32 | ts_frac u32 (µs, or ns for magic a1b23c4d) | incl_len u32 | orig_len u32
 *
 * Both byte orders are accepted; files are read whole (base captures are a few hundred MB at most).
 */
import { readFileSync } from 'node:fs';

export const PCAP_GLOBAL_HEADER = 24;
export const PCAP_RECORD_HEADER = 16;
export const LINKTYPE_ETHERNET = 1;

export interface PcapIndex {
  /** the whole file */
  bytes: Buffer;
  littleEndian: boolean;
  /** fractional-second ticks per second: 1e6 (µs) or 1e9 (ns) */
  ticksPerSecond: number;
  linkType: number;
  /** byte offset of each record header */
  offsets: Float64Array;
  /** timestamp of each record in ticks since the epoch (exact below 2^53) */
  timestamps: Float64Array;
  count: number;
}

/** Reads a classic pcap file and indexes its records. Throws on anything that is not one. */
export function indexPcap(path: string): PcapIndex {
  const bytes = readFileSync(path);
  if (bytes.length < PCAP_GLOBAL_HEADER) throw new Error(`${path}: shorter than a pcap global header`);
  const magicLe = bytes.readUInt32LE(0);
  let littleEndian: boolean;
  let ticksPerSecond: number;
  if (magicLe === 0xa1b2c3d4 || magicLe === 0xa1b23c4d) {
    littleEndian = true;
    ticksPerSecond = magicLe === 0xa1b23c4d ? 1e9 : 1e6;
  } else {
    const magicBe = bytes.readUInt32BE(0);
    if (magicBe !== 0xa1b2c3d4 && magicBe !== 0xa1b23c4d) {
      throw new Error(`${path}: not a classic pcap file (magic 0x${magicLe.toString(16)})`);
    }
    littleEndian = false;
    ticksPerSecond = magicBe === 0xa1b23c4d ? 1e9 : 1e6;
  }
  const u32 = (off: number): number => (littleEndian ? bytes.readUInt32LE(off) : bytes.readUInt32BE(off));
  const linkType = u32(20) & 0x0fffffff;
  const offsets: number[] = [];
  const timestamps: number[] = [];
  let off = PCAP_GLOBAL_HEADER;
  while (off + PCAP_RECORD_HEADER <= bytes.length) {
    const incl = u32(off + 8);
    if (off + PCAP_RECORD_HEADER + incl > bytes.length) break; // truncated last record: dropped
    offsets.push(off);
    timestamps.push(u32(off) * ticksPerSecond + u32(off + 4));
    off += PCAP_RECORD_HEADER + incl;
  }
  return {
    bytes,
    littleEndian,
    ticksPerSecond,
    linkType,
    offsets: Float64Array.from(offsets),
    timestamps: Float64Array.from(timestamps),
    count: offsets.length,
  };
}

/** Length of the record (header + captured bytes) starting at `off`. */
export function recordLength(index: PcapIndex, off: number): number {
  const incl = index.littleEndian ? index.bytes.readUInt32LE(off + 8) : index.bytes.readUInt32BE(off + 8);
  return PCAP_RECORD_HEADER + incl;
}

/** Writes a timestamp (ticks since the epoch) into the record header at `off` of `buf`. */
export function writeTimestamp(buf: Buffer, off: number, ticks: number, index: PcapIndex): void {
  const sec = Math.floor(ticks / index.ticksPerSecond);
  const frac = ticks - sec * index.ticksPerSecond;
  if (index.littleEndian) {
    buf.writeUInt32LE(sec, off);
    buf.writeUInt32LE(frac, off + 4);
  } else {
    buf.writeUInt32BE(sec, off);
    buf.writeUInt32BE(frac, off + 4);
  }
}
