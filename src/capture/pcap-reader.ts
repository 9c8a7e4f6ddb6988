/**
 * Classic libpcap savefile reader (draft-ietf-opsawg-pcap §4-5; libpcap sf-pcap.c; gopacket pcapgo/read.go).
 *
 * File header (24 bytes), in the writer's byte order (told by the magic):
 * ```
 *  0 magic 0xA1B2C3D4 (µs) | 0xA1B23C4D (ns)   4 major(2) minor(2)   8 thiszone   12 sigfigs
 * 16 snaplen                                   20 LinkType (low 16 bits) + FCS info (bits 26-31)
 * ```
 * Record header (16 bytes), then `caplen` bytes of packet:
 * ```
 *  0 ts seconds   4 ts µs|ns   8 caplen   12 original length
 * ```
 * A caplen above the cap (limits.maxPacketBytes, and the snaplen with tolerance) means the framing is
 * lost: `capture.bad_caplen` is counted and the reader scans forward (bounded, linear) for two
 * consecutive plausible record headers; if none is found within the resync window the file stops
 * (`capture.resync_failed`). Nothing is buffered beyond one record.
 */
import { ExitCode, UsageError } from '../errors.js';
import { BufferedReader, type ReaderInit } from './buffered-reader.js';
import type { PacketRecord } from './packet-record.js';

export const PCAP_HEADER_BYTES = 24;
const REC_HDR = 16;
/** caplen may exceed the header snaplen by this much (VLAN tags, writers that lie about snaplen) */
const SNAPLEN_TOLERANCE = 1024;
/** snaplens below this are not trusted as a cap (some writers store 0 or tiny values) */
const MIN_TRUSTED_SNAPLEN = 65535;
/**
 * Bytes scanned for a plausible record header after a corrupt caplen before giving up:
 * 64 records of the largest acceptable size, clamped to [RESYNC_WINDOW_MIN, RESYNC_WINDOW_MAX].
 */
export const RESYNC_WINDOW_MIN = 64 * 1024;
export const RESYNC_WINDOW_MAX = 16 * 1024 * 1024;
/** a resynchronised record must be within this many seconds of the previous one */
const RESYNC_MAX_SKEW_SECONDS = 7 * 86400;
const MAX_ORIGLEN = 1 << 20;

export interface PcapHeader {
  littleEndian: boolean;
  nanos: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  linkType: number;
}

/** Parse the 24-byte file header; null when the magic is not a classic pcap one. */
export function decodePcapHeader(b: Uint8Array): PcapHeader | null {
  if (b.length < PCAP_HEADER_BYTES) return null;
  const dv = new DataView(b.buffer, b.byteOffset, PCAP_HEADER_BYTES);
  const be = dv.getUint32(0, false);
  let littleEndian: boolean, nanos: boolean;
  if (be === 0xa1b2c3d4 || be === 0xa1b23c4d) { littleEndian = false; nanos = be === 0xa1b23c4d; }
  else if (be === 0xd4c3b2a1 || be === 0x4d3cb2a1) { littleEndian = true; nanos = be === 0x4d3cb2a1; }
  else return null;
  return {
    littleEndian, nanos,
    versionMajor: dv.getUint16(4, littleEndian),
    versionMinor: dv.getUint16(6, littleEndian),
    snaplen: dv.getUint32(16, littleEndian),
    linkType: dv.getUint32(20, littleEndian) & 0xffff,
  };
}

export function pcapCapLimit(snaplen: number, maxPacketBytes: number): number {
  return Math.min(maxPacketBytes, Math.max(snaplen, MIN_TRUSTED_SNAPLEN) + SNAPLEN_TOLERANCE);
}

export class PcapReader extends BufferedReader {
  readonly format = 'pcap' as const;
  readonly header: PcapHeader;
  private readonly le: boolean;
  private readonly nanos: boolean;
  private readonly linkType: number;
  private readonly capLimit: number;
  private readonly resyncWindow: number;
  private index = 0;
  private lastSec = -1;
  private resyncing = false;
  private resyncScanned = 0;

  constructor(init: ReaderInit, header: PcapHeader) {
    super(init);
    this.header = header;
    this.le = header.littleEndian;
    this.nanos = header.nanos;
    this.linkType = header.linkType;
    this.capLimit = pcapCapLimit(header.snaplen, init.limits.maxPacketBytes);
    this.resyncWindow = Math.min(RESYNC_WINDOW_MAX, Math.max(RESYNC_WINDOW_MIN, 64 * this.capLimit));
    this.pos += PCAP_HEADER_BYTES;
    this.addLinkType(header.linkType);
    if (header.versionMajor !== 2) {
      this.diag.add('capture.pcap_version', 'warning', { file: this.fileIndex, detail: `${this.path}: pcap version ${header.versionMajor}.${header.versionMinor}` });
    }
  }

  next(rec: PacketRecord): boolean {
    for (;;) {
      if (this.stopped) return false;
      if (this.resyncing && !this.resync()) return false;
      const pos = this.pos;
      const avail = this.end - pos;
      const dv = this.dv, le = this.le;
      let total = REC_HDR;
      if (avail >= REC_HDR) {
        const caplen = dv.getUint32(pos + 8, le);
        if (caplen > this.capLimit) { this.badCaplen(caplen); continue; }
        total = REC_HDR + caplen;
      }
      // `need` is read only after a false return; it is stored on every call because a store V8 has
      // not seen run by the time it optimizes the packet loop (the buffer's end comes once per 2 MiB)
      // throws the optimized loop away when it first runs
      this.need = total;
      if (avail < total) return false;
      const caplen = total - REC_HDR;
      const sec = dv.getUint32(pos, le);
      const frac = dv.getUint32(pos + 4, le);
      const origlen = dv.getUint32(pos + 12, le);
      const ts = this.nanos ? sec * 1e6 + Math.floor(frac / 1000) : sec * 1e6 + frac;
      rec.data = this.buf;
      rec.offset = pos + REC_HDR;
      rec.caplen = caplen;
      rec.origlen = origlen < caplen ? caplen : origlen;
      rec.tsMicros = ts;
      rec.linkType = this.linkType;
      rec.index = ++this.index;
      rec.fileIndex = this.fileIndex;
      this.pos = pos + total;
      this.lastSec = sec;
      this.account(caplen, ts);
      return true;
    }
  }

  private badCaplen(caplen: number): void {
    this.countDecodeError();
    this.diag.add('capture.bad_caplen', 'anomaly', this.diag.wantsSample('capture.bad_caplen') ? {
      file: this.fileIndex, packet: this.index + 1,
      detail: `${this.path}: record at offset ${this.base + this.pos} has caplen ${caplen} > ${this.capLimit}; resynchronising`,
    } : undefined);
    this.resyncing = true;
    this.resyncScanned = 0;
    this.pos++;
  }

  /**
   * Scan forward for a record header followed by another plausible header (or the exact end of
   * the file). Linear: each position costs O(1). Returns true when `pos` is on a record again.
   */
  private resync(): boolean {
    const start = this.pos;
    let p = start;
    for (; p + REC_HDR <= this.end; p++) {
      const v = this.plausibleAt(p, this.lastSec);
      if (v === 1) {
        this.resyncing = false;
        this.resyncScanned += p - start;
        this.diag.add('capture.resync', 'warning', this.diag.wantsSample('capture.resync') ? {
          file: this.fileIndex, packet: this.index + 1,
          detail: `${this.path}: skipped ${this.resyncScanned + 1} byte(s) to offset ${this.base + p}`,
        } : undefined);
        this.pos = p;
        return true;
      }
      if (v === -1) break;
      if (this.resyncScanned + (p - start) > this.resyncWindow) {
        this.stop('capture.resync_failed', `no plausible record header within ${this.resyncWindow} bytes after a corrupt caplen; rest of the file ignored`);
        return false;
      }
    }
    this.resyncScanned += p - start;
    this.pos = p;
    // at EOF the remaining bytes cannot hold a record: drop them without calling them truncated
    if (this.eof) { this.pos = this.end; this.stopped = true; }
    else this.need = 2 * REC_HDR + this.capLimit;
    return false;
  }

  /** 1 = plausible record (with a plausible successor or exact EOF), 0 = not, -1 = need more bytes. */
  private plausibleAt(p: number, refSec: number): number {
    const dv = this.dv, le = this.le;
    const sec = dv.getUint32(p, le);
    const caplen = dv.getUint32(p + 8, le);
    if (!this.plausibleHeader(p, refSec)) return 0;
    const q = p + REC_HDR + caplen;
    if (q === this.end && this.eof) return 1;
    if (q + REC_HDR > this.end) return this.eof ? 0 : -1;
    return this.plausibleHeader(q, sec) ? 1 : 0;
  }

  private plausibleHeader(p: number, refSec: number): boolean {
    const dv = this.dv, le = this.le;
    const sec = dv.getUint32(p, le);
    const frac = dv.getUint32(p + 4, le);
    const caplen = dv.getUint32(p + 8, le);
    const origlen = dv.getUint32(p + 12, le);
    if (caplen === 0 || caplen > this.capLimit || origlen < caplen || origlen > MAX_ORIGLEN) return false;
    if (frac >= (this.nanos ? 1e9 : 1e6)) return false;
    return refSec < 0 || Math.abs(sec - refSec) <= RESYNC_MAX_SKEW_SECONDS;
  }
}

/** Validate the header already in `init.buf` and build the reader (UsageError when unusable). */
export function createPcapReader(init: ReaderInit): PcapReader {
  const header = decodePcapHeader(init.head);
  if (header === null) throw new UsageError(`${init.path}: truncated pcap file header`, ExitCode.notCapture);
  return new PcapReader(init, header);
}
