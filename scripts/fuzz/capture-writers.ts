/**
 * Capture file writers for synthetic seeds.
 * - classic pcap: draft-ietf-opsawg-pcap §4 (global header) and §5 (record header); µs or ns magic,
 *   little- or big-endian.
 * - pcapng: draft-ietf-opsawg-pcapng §4.1 SHB, §4.2 IDB (with if_tsresol), §4.3 EPB, §4.4 SPB.
 */
import { concat, u16, u16le, u32, u32le } from './bytes.js';

export interface Frame {
  tsMicros: number;
  data: Uint8Array;
  /** original length when larger than data (snaplen truncation) */
  origLen?: number;
}

export interface PcapOptions {
  linkType: number;
  bigEndian?: boolean;
  nanos?: boolean;
  snaplen?: number;
}

export function pcapHeader(o: PcapOptions): Uint8Array {
  const w32 = o.bigEndian ? u32 : u32le;
  const w16 = o.bigEndian ? u16 : u16le;
  return concat([w32(o.nanos ? 0xa1b23c4d : 0xa1b2c3d4), w16(2), w16(4), w32(0), w32(0), w32(o.snaplen ?? 262144), w32(o.linkType)]);
}

export function pcapRecord(f: Frame, o: PcapOptions): Uint8Array {
  const w32 = o.bigEndian ? u32 : u32le;
  const sec = Math.floor(f.tsMicros / 1e6);
  const frac = o.nanos ? (f.tsMicros % 1e6) * 1000 : f.tsMicros % 1e6;
  return concat([w32(sec), w32(frac), w32(f.data.length), w32(f.origLen ?? f.data.length), f.data]);
}

export function writePcap(frames: readonly Frame[], o: PcapOptions): Uint8Array {
  return concat([pcapHeader(o), ...frames.map((f) => pcapRecord(f, o))]);
}

function pad4(b: Uint8Array): Uint8Array {
  const p = (4 - (b.length % 4)) % 4;
  return p === 0 ? b : concat([b, new Uint8Array(p)]);
}

/** One pcapng option: code, length, value padded to 32 bits. */
export function pcapngOption(code: number, value: Uint8Array): Uint8Array {
  return concat([u16le(code), u16le(value.length), pad4(value)]);
}

export function pcapngBlock(type: number, body: Uint8Array): Uint8Array {
  const b = pad4(body);
  const total = 12 + b.length;
  return concat([u32le(type), u32le(total), b, u32le(total)]);
}

export interface PcapngOptions {
  linkType: number;
  /** if_tsresol byte (default 6 = µs); 9 = ns */
  tsresol?: number;
  /** write every Nth packet as a Simple Packet Block */
  spbEvery?: number;
  comment?: string;
}

export function writePcapng(frames: readonly Frame[], o: PcapngOptions): Uint8Array {
  const shbOpts = o.comment ? concat([pcapngOption(1, new TextEncoder().encode(o.comment)), u32le(0)]) : new Uint8Array(0);
  const shb = pcapngBlock(0x0a0d0d0a, concat([u32le(0x1a2b3c4d), u16le(1), u16le(0), u32le(0xffffffff), u32le(0xffffffff), shbOpts]));
  const res = o.tsresol ?? 6;
  const idbOpts = concat([pcapngOption(2, new TextEncoder().encode('eth0')), pcapngOption(9, Uint8Array.of(res)), u32le(0)]);
  const idb = pcapngBlock(1, concat([u16le(o.linkType), u16le(0), u32le(262144), idbOpts]));
  const unitsPerSec = res & 0x80 ? 2 ** (res & 0x7f) : 10 ** res;
  const blocks = frames.map((f, i) => {
    if (o.spbEvery && i % o.spbEvery === o.spbEvery - 1) return pcapngBlock(3, concat([u32le(f.origLen ?? f.data.length), f.data]));
    const ts = (BigInt(Math.round(f.tsMicros)) * BigInt(unitsPerSec)) / 1_000_000n;
    const hi = Number(ts >> 32n);
    const lo = Number(ts & 0xffffffffn);
    const epbOpts = i === 0 ? concat([pcapngOption(1, new TextEncoder().encode('first')), u32le(0)]) : new Uint8Array(0);
    return pcapngBlock(6, concat([u32le(0), u32le(hi), u32le(lo), u32le(f.data.length), u32le(f.origLen ?? f.data.length), pad4(f.data), epbOpts]));
  });
  return concat([shb, idb, ...blocks]);
}
