/**
 * pcapng reader (draft-ietf-opsawg-pcapng; gopacket pcapgo/ngread.go; Wireshark wiretap/pcapng.c).
 *
 * Every block:
 * ```
 *  0 Block Type (32)   4 Block Total Length (32)   8 Body ...   Block Total Length (32, repeated)
 * ```
 * The byte order is set per section by the Section Header Block (type 0x0A0D0D0A, byte-order magic
 * 0x1A2B3C4D at body offset 0). Interfaces (IDB) are numbered per section. Packets come from
 * Enhanced Packet Blocks (type 6), Simple Packet Blocks (type 3, interface 0, no timestamp: the
 * previous packet's time is used) and obsolete Packet Blocks (type 2). Decryption Secrets Blocks are
 * counted and ignored; every other block type is skipped. A block whose length is not a multiple of 4,
 * is < 12 or > limits.maxBlockBytes, or whose trailing length differs, ends the file with a diagnostic
 * (pcapng has no way to resynchronise).
 */
import { ExitCode, UsageError } from '../errors.js';
import { BufferedReader, type ReaderInit } from './buffered-reader.js';
import type { PacketRecord } from './packet-record.js';
import { decodeIdb, ifaceMicros, TsKind, type PcapngInterface } from './pcapng-interface.js';

export const BlockType = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  PB: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
  DSB: 0x0000000a,
} as const;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const TWO32 = 4294967296;
/** interfaces kept per section (more are counted and their packets rejected) */
const MAX_INTERFACES = 65536;

export class PcapngReader extends BufferedReader {
  readonly format = 'pcapng' as const;
  /** sections seen so far */
  sections = 0;
  /** Decryption Secrets Blocks skipped */
  secretsBlocks = 0;
  private le = true;
  private ifaces: PcapngInterface[] = [];
  private index = 0;
  private lastTs = 0;

  constructor(init: ReaderInit) {
    super(init);
  }

  next(rec: PacketRecord): boolean {
    for (;;) {
      if (this.stopped) return false;
      const pos = this.pos;
      const avail = this.end - pos;
      if (avail < 12) { this.need = 12; return false; }
      const dv = this.dv;
      const type = dv.getUint32(pos, this.le);
      if (type === BlockType.SHB && !this.sectionByteOrder(pos)) return false;
      const le = this.le;
      const len = dv.getUint32(pos + 4, le);
      if (len < 12 || (len & 3) !== 0 || len > this.limits.maxBlockBytes) {
        this.stop('capture.pcapng.bad_block_length', `block type 0x${type.toString(16)} at offset ${this.base + pos} has length ${len}`);
        return false;
      }
      if (avail < len) { this.need = len; return false; }
      if (dv.getUint32(pos + len - 4, le) !== len) {
        this.stop('capture.pcapng.bad_block_trailer', `block at offset ${this.base + pos}: trailing length ${dv.getUint32(pos + len - 4, le)} != ${len}`);
        return false;
      }
      this.pos = pos + len;
      if (type === BlockType.EPB) {
        if (len < 32) { this.badBlock('capture.pcapng.bad_epb', pos, 'shorter than 32 bytes'); continue; }
        if (this.packet(rec, pos, len, dv.getUint32(pos + 8, le), pos + 12, 28)) return true;
        continue;
      }
      if (this.otherBlock(rec, type, pos, len)) return true;
    }
  }

  /**
   * Fill `rec` from an EPB/PB whose interface id is `ifid`, timestamp at `tsAt`, caplen at tsAt+8,
   * data at pos+`dataAt`. False (counted) when the block is inconsistent.
   */
  private packet(rec: PacketRecord, pos: number, len: number, ifid: number, tsAt: number, dataAt: number): boolean {
    const dv = this.dv, le = this.le;
    const caplen = dv.getUint32(tsAt + 8, le);
    if (ifid >= this.ifaces.length) { this.badBlock('capture.pcapng.bad_interface', pos, `interface ${ifid} not described`); return false; }
    if (caplen > len - dataAt - 4) { this.badBlock('capture.pcapng.bad_caplen', pos, `caplen ${caplen} exceeds the block`); return false; }
    if (caplen > this.limits.maxPacketBytes) { this.badBlock('capture.bad_caplen', pos, `caplen ${caplen} > ${this.limits.maxPacketBytes}`); return false; }
    const ifc = this.ifaces[ifid];
    const hi = dv.getUint32(tsAt, le), lo = dv.getUint32(tsAt + 4, le);
    const ts = ifc.tsKind === TsKind.micros && ifc.tsOffsetMicros === 0 ? hi * TWO32 + lo : ifaceMicros(ifc, hi, lo);
    const origlen = dv.getUint32(tsAt + 12, le);
    this.emit(rec, pos + dataAt, caplen, origlen < caplen ? caplen : origlen, ts, ifc.linkType);
    return true;
  }

  private emit(rec: PacketRecord, off: number, caplen: number, origlen: number, ts: number, linkType: number): void {
    rec.data = this.buf;
    rec.offset = off;
    rec.caplen = caplen;
    rec.origlen = origlen;
    rec.tsMicros = ts;
    rec.linkType = linkType;
    rec.index = ++this.index;
    rec.fileIndex = this.fileIndex;
    this.lastTs = ts;
    this.account(caplen, ts);
  }

  /** Cold path: SHB, IDB, SPB, PB, DSB and skipped blocks. True when `rec` was filled. */
  private otherBlock(rec: PacketRecord, type: number, pos: number, len: number): boolean {
    const dv = this.dv, le = this.le;
    switch (type) {
      case BlockType.SHB:
        if (len < 28) { this.stop('capture.pcapng.bad_shb', `section header at offset ${this.base + pos} is ${len} bytes`); return false; }
        this.sections++;
        this.ifaces = [];
        return false;
      case BlockType.IDB: {
        const ifc = decodeIdb(dv, le, pos + 8, pos + len - 4);
        if (ifc === null) { this.badBlock('capture.pcapng.bad_idb', pos, 'shorter than 20 bytes'); return false; }
        if (this.ifaces.length >= MAX_INTERFACES) { this.badBlock('capture.pcapng.too_many_interfaces', pos, `more than ${MAX_INTERFACES}`); return false; }
        this.ifaces.push(ifc);
        this.addLinkType(ifc.linkType);
        return false;
      }
      case BlockType.SPB: {
        if (len < 16) { this.badBlock('capture.pcapng.bad_spb', pos, 'shorter than 16 bytes'); return false; }
        if (this.ifaces.length === 0) { this.badBlock('capture.pcapng.bad_interface', pos, 'simple packet block without interface 0'); return false; }
        const ifc = this.ifaces[0];
        const origlen = dv.getUint32(pos + 8, le);
        let caplen = Math.min(origlen, len - 16);
        if (ifc.snaplen > 0 && caplen > ifc.snaplen) caplen = ifc.snaplen;
        if (caplen > this.limits.maxPacketBytes) { this.badBlock('capture.bad_caplen', pos, `caplen ${caplen} > ${this.limits.maxPacketBytes}`); return false; }
        this.emit(rec, pos + 12, caplen, origlen, this.lastTs, ifc.linkType);
        return true;
      }
      case BlockType.PB:
        if (len < 32) { this.badBlock('capture.pcapng.bad_pb', pos, 'shorter than 32 bytes'); return false; }
        return this.packet(rec, pos, len, dv.getUint16(pos + 8, le), pos + 12, 28);
      case BlockType.DSB:
        this.secretsBlocks++;
        this.diag.add('capture.pcapng.dsb_ignored', 'warning', this.diag.wantsSample('capture.pcapng.dsb_ignored')
          ? { file: this.fileIndex, detail: `${this.path}: Decryption Secrets Block at offset ${this.base + pos} ignored` } : undefined);
        return false;
      default:
        return false;
    }
  }

  /** Read the byte-order magic of a Section Header Block at `pos` (≥ 12 bytes available). */
  private sectionByteOrder(pos: number): boolean {
    const bom = this.dv.getUint32(pos + 8, false);
    if (bom === BYTE_ORDER_MAGIC) this.le = false;
    else if (bom === 0x4d3c2b1a) this.le = true;
    else {
      this.stop('capture.pcapng.bad_byte_order', `section header at offset ${this.base + pos} has byte-order magic 0x${bom.toString(16)}`);
      return false;
    }
    return true;
  }

  private badBlock(key: string, pos: number, why: string): void {
    this.countDecodeError();
    this.diag.add(key, 'anomaly', this.diag.wantsSample(key)
      ? { file: this.fileIndex, packet: this.index + 1, detail: `${this.path}: block at offset ${this.base + pos}: ${why}` } : undefined);
  }
}

/** Validate the first Section Header Block in `init.buf` and build the reader (UsageError when unusable). */
export function createPcapngReader(init: ReaderInit): PcapngReader {
  const h = init.head;
  if (h.length < 28) throw new UsageError(`${init.path}: truncated pcapng section header`, ExitCode.notCapture);
  const dv = new DataView(h.buffer, h.byteOffset, 28);
  const bom = dv.getUint32(8, false);
  if (bom !== BYTE_ORDER_MAGIC && bom !== 0x4d3c2b1a) {
    throw new UsageError(`${init.path}: pcapng section header has an invalid byte-order magic`, ExitCode.notCapture);
  }
  const len = dv.getUint32(4, bom === 0x4d3c2b1a);
  if (len < 28 || (len & 3) !== 0) throw new UsageError(`${init.path}: pcapng section header has an invalid length ${len}`, ExitCode.notCapture);
  return new PcapngReader(init);
}
