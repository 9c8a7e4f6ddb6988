/**
 * Bounded IPv4 fragment reassembly (RFC 791 §3.2 "fragmentation and reassembly"; the simple
 * range bookkeeping of RFC 815). Cold path: only packets for which decodePacket returned
 * `fragment` come here, so a key string and a copy per fragment are acceptable.
 *
 * Usage in the packet loop:
 * ```
 * let st = decodePacket(rec, view);
 * if (st === DecodeStatus.fragment && view.ipVersion === 4) st = reassembler.add(rec, view);
 * ```
 * `add` keeps the fragment and returns `fragment`, or, when the datagram is complete, decodes the
 * reassembled datagram into `view` (view.data then points into a buffer owned by the reassembler,
 * valid until the next `add`) and returns its status. Overlaps: later bytes win. Bounds: at most
 * `maxDatagrams` pending datagrams and `maxBytes` buffered (oldest evicted), pending datagrams older
 * than `timeoutMicros` of capture time are dropped, a datagram may not exceed 65535 bytes.
 * Fragments whose bytes were not all captured (snaplen) make the datagram unrecoverable.
 */
import type { PacketRecord } from '../capture/packet-record.js';
import { be16 } from './byte-reader.js';
import { decodeIpv4 } from './ipv4.js';
import { DecodeStatus, type PacketView } from './packet-view.js';

export interface ReassemblyLimits {
  maxDatagrams: number;
  maxBytes: number;
  timeoutMicros: number;
}

export const DEFAULT_REASSEMBLY_LIMITS: Readonly<ReassemblyLimits> = Object.freeze({
  maxDatagrams: 1024,
  maxBytes: 8 * 1024 * 1024,
  timeoutMicros: 30 * 1_000_000,
});

const MAX_DATAGRAM = 65535;

interface Pending {
  firstTs: number;
  /** payload bytes by fragment offset */
  payload: Uint8Array;
  /** sorted, merged [start, end) ranges received */
  ranges: number[];
  /** payload length, known once the last fragment (MF = 0) arrived */
  total: number;
  /** header of the first fragment (offset 0) */
  header: Uint8Array | null;
}

export interface ReassemblyCounters {
  completed: number;
  /** datagrams given up: timeout, eviction, uncaptured bytes, oversize */
  dropped: number;
}

export class Ipv4Reassembler {
  readonly counters: ReassemblyCounters = { completed: 0, dropped: 0 };
  private readonly pending = new Map<string, Pending>();
  private buffered = 0;
  private out = new Uint8Array(0);
  private readonly limits: ReassemblyLimits;

  constructor(limits: Partial<ReassemblyLimits> = {}) {
    this.limits = { ...DEFAULT_REASSEMBLY_LIMITS, ...limits };
  }

  /** datagrams currently waiting for fragments */
  get size(): number {
    return this.pending.size;
  }

  /** Feed an IPv4 fragment (decodePacket said `fragment`, so view.ipStart/addresses are set). */
  add(rec: PacketRecord, view: PacketView): DecodeStatus {
    this.expire(rec.tsMicros);
    const b = rec.data;
    const ip = view.ipStart ?? -1;
    const capEnd = Math.min(rec.offset + rec.caplen, b.length);
    if (view.ipVersion !== 4 || ip < rec.offset || ip + 20 > capEnd) return DecodeStatus.badHeader;
    const ihl = (b[ip] & 15) << 2;
    const totalLen = be16(b, ip + 2);
    const word = be16(b, ip + 6);
    const more = (word & 0x2000) !== 0;
    const offset = (word & 0x1fff) << 3;
    const len = totalLen - ihl;
    const key = `${view.src0}>${view.dst0}/${be16(b, ip + 4)}/${b[ip + 9]}`;
    let p = this.pending.get(key);
    if (ip + totalLen > capEnd || len <= 0 || offset + len > MAX_DATAGRAM - ihl) {
      if (p !== undefined) this.drop(key, p);
      else this.counters.dropped++;
      return DecodeStatus.fragment;
    }
    if (p === undefined) {
      p = { firstTs: rec.tsMicros, payload: new Uint8Array(0), ranges: [], total: -1, header: null };
      this.pending.set(key, p);
    }
    if (offset + len > p.payload.length) {
      const grown = new Uint8Array(Math.min(MAX_DATAGRAM, Math.max(offset + len, p.payload.length * 2)));
      grown.set(p.payload);
      this.buffered += grown.length - p.payload.length;
      p.payload = grown;
    }
    p.payload.set(b.subarray(ip + ihl, ip + totalLen), offset);
    addRange(p.ranges, offset, offset + len);
    if (!more) p.total = offset + len;
    if (offset === 0) p.header = b.slice(ip, ip + ihl);
    if (p.total >= 0 && p.header !== null && p.ranges.length === 2 && p.ranges[0] === 0 && p.ranges[1] >= p.total) {
      return this.complete(key, p, view);
    }
    this.enforceBudget();
    return DecodeStatus.fragment;
  }

  private complete(key: string, p: Pending, view: PacketView): DecodeStatus {
    const h = p.header as Uint8Array;
    const size = h.length + p.total;
    this.pending.delete(key);
    this.buffered -= p.payload.length;
    if (size > MAX_DATAGRAM) {
      this.counters.dropped++;
      return DecodeStatus.badHeader;
    }
    if (this.out.length < size) this.out = new Uint8Array(MAX_DATAGRAM);
    const out = this.out;
    out.set(h, 0);
    out.set(p.payload.subarray(0, p.total), h.length);
    out[2] = size >> 8; out[3] = size & 255; // total length of the whole datagram
    out[6] &= 0x40; out[7] = 0;              // keep DF, clear MF and the offset
    this.counters.completed++;
    return decodeIpv4(out, 0, size, 0, view);
  }

  /** Drop datagrams older than the timeout (Map order = arrival order of first fragments). */
  private expire(now: number): void {
    for (const [key, p] of this.pending) {
      if (now - p.firstTs <= this.limits.timeoutMicros) break;
      this.drop(key, p);
    }
  }

  private enforceBudget(): void {
    for (const [key, p] of this.pending) {
      if (this.pending.size <= this.limits.maxDatagrams && this.buffered <= this.limits.maxBytes) break;
      this.drop(key, p);
    }
  }

  private drop(key: string, p: Pending): void {
    this.pending.delete(key);
    this.buffered -= p.payload.length;
    this.counters.dropped++;
  }

  /** Give up on everything pending (end of input); returns how many datagrams were incomplete. */
  flush(): number {
    const n = this.pending.size;
    this.counters.dropped += n;
    this.pending.clear();
    this.buffered = 0;
    return n;
  }
}

/** Insert [s, e) into a sorted list of disjoint ranges [s0, e0, s1, e1, ...], merging neighbours. */
export function addRange(r: number[], s: number, e: number): void {
  let i = 0;
  while (i < r.length && r[i + 1] < s) i += 2;
  let j = i;
  while (j < r.length && r[j] <= e) {
    s = Math.min(s, r[j]);
    e = Math.max(e, r[j + 1]);
    j += 2;
  }
  r.splice(i, j - i, s, e);
}
