/**
 * Write classic pcap and pcapng files in tests (draft-ietf-opsawg-pcap, draft-ietf-opsawg-pcapng).
 *
 *   writePcap([frame1, { data: frame2, tsMicros: 1_700_000_000_000_001 }], { linkType: 1 })
 *   writePcapng([frame1, frame2], { linkType: 1, tsresol: 9 })
 *   writePcapngSections([{ bigEndian: true, blocks: [{ type: 'idb', linkType: 1 }, { type: 'epb', data }] }])
 */
import { gzipSync } from 'node:zlib';

export interface PacketInput {
  data: Uint8Array;
  /** capture time in µs since the epoch (default: 1_700_000_000 s + index ms) */
  tsMicros?: number;
  /** nanosecond-precision time (classic pcap with `nanos`, or pcapng ns interfaces); wins over tsMicros */
  tsNanos?: bigint;
  /** length on the wire (default data.length) */
  origlen?: number;
  /** classic pcap only: caplen written in the record header (default data.length) — to forge corrupt records */
  caplenField?: number;
}

export type PacketLike = Uint8Array | PacketInput;

export const DEFAULT_TS_MICROS = 1_700_000_000_000_000;

function norm(p: PacketLike, i: number): PacketInput {
  return p instanceof Uint8Array ? { data: p, tsMicros: DEFAULT_TS_MICROS + i * 1000 } : { tsMicros: DEFAULT_TS_MICROS + i * 1000, ...p };
}

function nanosOf(p: PacketInput): bigint {
  return p.tsNanos ?? BigInt(p.tsMicros ?? DEFAULT_TS_MICROS) * 1000n;
}

class Writer {
  private readonly parts: Uint8Array[] = [];
  constructor(public le: boolean) {}
  private put(n: number, f: (dv: DataView) => void): void {
    const b = new Uint8Array(n);
    f(new DataView(b.buffer));
    this.parts.push(b);
  }
  u8(v: number): void { this.put(1, (d) => d.setUint8(0, v)); }
  u16(v: number): void { this.put(2, (d) => d.setUint16(0, v, this.le)); }
  u32(v: number): void { this.put(4, (d) => d.setUint32(0, v >>> 0, this.le)); }
  i32(v: number): void { this.put(4, (d) => d.setInt32(0, v, this.le)); }
  u64(v: bigint): void { this.put(8, (d) => d.setBigUint64(0, v, this.le)); }
  i64(v: bigint): void { this.put(8, (d) => d.setBigInt64(0, v, this.le)); }
  bytes(b: Uint8Array): void { this.parts.push(b); }
  pad4(n: number): void { if (n % 4 !== 0) this.parts.push(new Uint8Array(4 - (n % 4))); }
  out(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of this.parts) { out.set(p, o); o += p.length; }
    return out;
  }
}

export interface PcapOptions {
  linkType: number;
  snaplen?: number;
  /** nanosecond magic 0xA1B23C4D */
  nanos?: boolean;
  /** big-endian file (magic bytes a1 b2 c3 d4) */
  bigEndian?: boolean;
  versionMajor?: number;
  versionMinor?: number;
}

/** Classic pcap: 24-byte header then 16-byte record headers. */
export function writePcap(packets: PacketLike[], o: PcapOptions): Uint8Array {
  const w = new Writer(!(o.bigEndian ?? false));
  w.u32(o.nanos === true ? 0xa1b23c4d : 0xa1b2c3d4);
  w.u16(o.versionMajor ?? 2); w.u16(o.versionMinor ?? 4);
  w.i32(0); w.u32(0);
  w.u32(o.snaplen ?? 262144);
  w.u32(o.linkType);
  packets.forEach((pl, i) => {
    const p = norm(pl, i);
    const ns = nanosOf(p);
    const sec = ns / 1_000_000_000n;
    const frac = o.nanos === true ? ns % 1_000_000_000n : (ns % 1_000_000_000n) / 1000n;
    w.u32(Number(sec)); w.u32(Number(frac));
    w.u32(p.caplenField ?? p.data.length);
    w.u32(p.origlen ?? p.data.length);
    w.bytes(p.data);
  });
  return w.out();
}

export type PcapngBlock =
  | { type: 'idb'; linkType: number; snaplen?: number; tsresol?: number; tsoffsetSeconds?: bigint }
  /** Enhanced Packet Block; `tsUnits` is the raw 64-bit timestamp in interface units (else derived from the packet time) */
  | ({ type: 'epb'; iface?: number; tsUnits?: bigint } & PacketInput)
  | { type: 'spb'; data: Uint8Array; origlen?: number }
  | ({ type: 'pb'; iface?: number; tsUnits?: bigint } & PacketInput)
  | { type: 'dsb'; secretsType?: number; data: Uint8Array }
  /** any block, written verbatim inside a valid header/trailer (unknown types, ISB, NRB, ...) */
  | { type: 'raw'; blockType: number; body: Uint8Array };

export interface PcapngSection {
  bigEndian?: boolean;
  blocks: PcapngBlock[];
}

/** Raw interface-unit timestamp for a packet time, given if_tsresol. */
export function toUnits(ns: bigint, tsresol: number): bigint {
  const n = BigInt(tsresol & 0x7f);
  if ((tsresol & 0x80) === 0) {
    return n >= 9n ? ns * 10n ** (n - 9n) : ns / 10n ** (9n - n);
  }
  return (ns << n) / 1_000_000_000n;
}

function block(w: Writer, type: number, body: (w: Writer) => void): void {
  const inner = new Writer(w.le);
  body(inner);
  const b = inner.out();
  const len = 12 + b.length + ((4 - (b.length % 4)) % 4);
  w.u32(type); w.u32(len); w.bytes(b); w.pad4(b.length); w.u32(len);
}

function packetBody(i: Writer, p: PacketInput, ifaceId: number, units: bigint, obsolete: boolean): void {
  if (obsolete) { i.u16(ifaceId); i.u16(0); } else i.u32(ifaceId);
  i.u32(Number(units >> 32n)); i.u32(Number(units & 0xffffffffn));
  i.u32(p.data.length); i.u32(p.origlen ?? p.data.length);
  i.bytes(p.data); i.pad4(p.data.length);
}

/** pcapng with any sequence of sections and blocks. */
export function writePcapngSections(sections: PcapngSection[]): Uint8Array {
  const all: Uint8Array[] = [];
  let pktIndex = 0;
  for (const s of sections) {
    const w = new Writer(!(s.bigEndian ?? false));
    block(w, 0x0a0d0d0a, (i) => { i.u32(0x1a2b3c4d); i.u16(1); i.u16(0); i.i64(-1n); });
    const resol: number[] = [];
    for (const b of s.blocks) {
      switch (b.type) {
        case 'idb':
          resol.push(b.tsresol ?? 6);
          block(w, 1, (i) => {
            i.u16(b.linkType); i.u16(0); i.u32(b.snaplen ?? 0);
            if (b.tsresol !== undefined) { i.u16(9); i.u16(1); i.u8(b.tsresol); i.pad4(1); }
            if (b.tsoffsetSeconds !== undefined) { i.u16(14); i.u16(8); i.i64(b.tsoffsetSeconds); }
            i.u16(0); i.u16(0);
          });
          break;
        case 'epb': case 'pb': {
          const p = { tsMicros: DEFAULT_TS_MICROS + pktIndex * 1000, ...b };
          const iface = b.iface ?? 0;
          const units = b.tsUnits ?? toUnits(nanosOf(p), resol[iface] ?? 6);
          block(w, b.type === 'epb' ? 6 : 2, (i) => packetBody(i, p, iface, units, b.type === 'pb'));
          pktIndex++;
          break;
        }
        case 'spb':
          block(w, 3, (i) => { i.u32(b.origlen ?? b.data.length); i.bytes(b.data); i.pad4(b.data.length); });
          pktIndex++;
          break;
        case 'dsb':
          block(w, 0x0a, (i) => { i.u32(b.secretsType ?? 0x544c534b); i.u32(b.data.length); i.bytes(b.data); i.pad4(b.data.length); });
          break;
        case 'raw':
          block(w, b.blockType, (i) => i.bytes(b.body));
          break;
      }
    }
    all.push(w.out());
  }
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of all) { out.set(p, o); o += p.length; }
  return out;
}

export interface PcapngOptions {
  linkType: number;
  snaplen?: number;
  bigEndian?: boolean;
  /** if_tsresol of the single interface (default: absent = µs) */
  tsresol?: number;
}

/** Simple pcapng: one section, one interface, one EPB per packet. */
export function writePcapng(packets: PacketLike[], o: PcapngOptions): Uint8Array {
  return writePcapngSections([{
    bigEndian: o.bigEndian,
    blocks: [
      { type: 'idb', linkType: o.linkType, snaplen: o.snaplen, tsresol: o.tsresol },
      ...packets.map((p, i): PcapngBlock => ({ type: 'epb', ...norm(p, i) })),
    ],
  }]);
}

/** gzip a capture (deterministic: no name, no mtime). */
export function gzip(data: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(data));
}
