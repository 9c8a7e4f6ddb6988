/**
 * Bounded IPv4 and IPv6 fragment reassembly (RFC 791 §3.2 "fragmentation and reassembly", RFC 8200
 * §4.5; the simple range bookkeeping of RFC 815). Cold path: only packets for which decodePacket
 * returned `fragment` come here, so a key string and a copy per fragment are acceptable.
 * IPv6: the unfragmentable part (header and extension headers before the Fragment header) of the
 * first fragment is kept; the reassembled packet is that part, with the Fragment header's Next Header
 * in place of 44 and the Payload Length of the whole, followed by the fragments' data.
 *
 * Usage in the packet loop:
 * ```
 * let st = decodePacket(rec, view);
 * if (st === DecodeStatus.fragment) st = reassembler.add(rec, view);
 * ```
 * `add` keeps the fragment and returns `fragment`, or, when the datagram is complete, decodes the
 * reassembled datagram into `view` (view.data then points into a buffer owned by the reassembler,
 * valid until the next `add`) and returns its status. Overlaps: later bytes win. Bounds (named limits,
 * src/options.ts): at most `maxFragmentedDatagrams` pending datagrams and `maxFragmentBytes` buffered
 * (oldest evicted); pending datagrams older than `fragmentTimeoutMicros` of capture time are dropped;
 * a datagram may not exceed 65535 bytes.
 * Fragments whose bytes were not all captured (snaplen) make the datagram unrecoverable.
 */
import type { PacketRecord } from '../capture/packet-record.js';
import { DEFAULT_LIMITS, type Limits } from '../options.js';
import { be16, be32 } from './byte-reader.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6, extensionLength, isExtensionHeader } from './ipv6.js';
import { DecodeStatus, type PacketView } from './packet-view.js';

/** the named limits (src/options.ts) that bound the reassembler */
export type ReassemblyLimits = Pick<Limits, 'maxFragmentedDatagrams' | 'maxFragmentBytes' | 'fragmentTimeoutMicros'>;

const MAX_DATAGRAM = 65535;

interface Pending {
  firstTs: number;
  /** payload bytes by fragment offset */
  payload: Uint8Array;
  /** sorted, merged [start, end) ranges received */
  ranges: number[];
  /** payload length, known once the last fragment (MF = 0) arrived */
  total: number;
  /** header of the first fragment (offset 0): IPv4 header, or IPv6 unfragmentable part */
  header: Uint8Array | null;
  version: 4 | 6;
  /** IPv6: index in `header` of the Next Header byte that held 44, and the value to put there */
  nhIndex: number;
  nextHeader: number;
}

/** Where one fragment's data is and what datagram it belongs to. */
interface Fragment {
  key: string;
  offset: number;
  more: boolean;
  dataStart: number;
  dataEnd: number;
  /** [headerStart, headerEnd) copied when offset is 0 */
  headerStart: number;
  headerEnd: number;
  nhIndex: number;
  nextHeader: number;
}

export interface ReassemblyCounters {
  completed: number;
  /** datagrams given up: timeout, eviction, uncaptured bytes, oversize */
  dropped: number;
}

export class IpReassembler {
  /** IPv4 datagrams */
  readonly counters: ReassemblyCounters = { completed: 0, dropped: 0 };
  /** IPv6 packets */
  readonly counters6: ReassemblyCounters = { completed: 0, dropped: 0 };
  private readonly pending = new Map<string, Pending>();
  private buffered = 0;
  private out = new Uint8Array(0);
  private readonly limits: ReassemblyLimits;

  constructor(limits: Partial<ReassemblyLimits> = {}) {
    this.limits = {
      maxFragmentedDatagrams: limits.maxFragmentedDatagrams ?? DEFAULT_LIMITS.maxFragmentedDatagrams,
      maxFragmentBytes: limits.maxFragmentBytes ?? DEFAULT_LIMITS.maxFragmentBytes,
      fragmentTimeoutMicros: limits.fragmentTimeoutMicros ?? DEFAULT_LIMITS.fragmentTimeoutMicros,
    };
  }

  /** datagrams currently waiting for fragments */
  get size(): number {
    return this.pending.size;
  }

  /** Feed a fragment (decodePacket said `fragment`, so view.ipStart/addresses are set). */
  add(rec: PacketRecord, view: PacketView): DecodeStatus {
    this.expire(rec.tsMicros);
    const b = rec.data;
    const ip = view.ipStart ?? -1;
    const capEnd = Math.min(rec.offset + rec.caplen, b.length);
    if (ip < rec.offset || (view.ipVersion !== 4 && view.ipVersion !== 6)) return DecodeStatus.badHeader;
    const v6 = view.ipVersion === 6;
    const f = v6 ? fragment6(b, ip, capEnd, view) : fragment4(b, ip, capEnd, view);
    const counters = v6 ? this.counters6 : this.counters;
    if (f === null) return DecodeStatus.badHeader;
    const len = f.dataEnd - f.dataStart;
    let p = this.pending.get(f.key);
    // the datagram's limit: IPv4 Total Length, IPv6 Payload Length (which leaves out the fixed 40 bytes)
    const headerBytes = f.headerEnd - f.headerStart - (v6 ? 40 : 0);
    if (f.dataEnd > capEnd || len <= 0 || f.offset + len > MAX_DATAGRAM - headerBytes) {
      if (p !== undefined) this.drop(f.key, p);
      else counters.dropped++;
      return DecodeStatus.fragment;
    }
    if (p === undefined) {
      p = { firstTs: rec.tsMicros, payload: new Uint8Array(0), ranges: [], total: -1, header: null, version: v6 ? 6 : 4, nhIndex: -1, nextHeader: 0 };
      this.pending.set(f.key, p);
    }
    if (f.offset + len > p.payload.length) {
      const grown = new Uint8Array(Math.min(MAX_DATAGRAM, Math.max(f.offset + len, p.payload.length * 2)));
      grown.set(p.payload);
      this.buffered += grown.length - p.payload.length;
      p.payload = grown;
    }
    p.payload.set(b.subarray(f.dataStart, f.dataEnd), f.offset);
    addRange(p.ranges, f.offset, f.offset + len);
    if (!f.more) p.total = f.offset + len;
    if (f.offset === 0) {
      p.header = b.slice(f.headerStart, f.headerEnd);
      p.nhIndex = f.nhIndex;
      p.nextHeader = f.nextHeader;
    }
    if (p.total >= 0 && p.header !== null && p.ranges.length === 2 && p.ranges[0] === 0 && p.ranges[1] >= p.total) {
      return this.complete(f.key, p, view);
    }
    this.enforceBudget();
    return DecodeStatus.fragment;
  }

  private complete(key: string, p: Pending, view: PacketView): DecodeStatus {
    const h = p.header as Uint8Array;
    const size = h.length + p.total;
    const counters = p.version === 6 ? this.counters6 : this.counters;
    this.pending.delete(key);
    this.buffered -= p.payload.length;
    if (size > MAX_DATAGRAM + (p.version === 6 ? 40 : 0)) { // IPv6 Payload Length excludes its 40-byte header
      counters.dropped++;
      return DecodeStatus.badHeader;
    }
    if (this.out.length < size) this.out = new Uint8Array(MAX_DATAGRAM + 40);
    const out = this.out;
    out.set(h, 0);
    out.set(p.payload.subarray(0, p.total), h.length);
    counters.completed++;
    if (p.version === 6) {
      const plen = size - 40;
      out[4] = plen >> 8; out[5] = plen & 255;
      out[p.nhIndex] = p.nextHeader; // the Fragment header is gone: its Next Header takes its place
      return decodeIpv6(out, 0, size, 0, view);
    }
    out[2] = size >> 8; out[3] = size & 255; // total length of the whole datagram
    out[6] &= 0x40; out[7] = 0;              // keep DF, clear MF and the offset
    return decodeIpv4(out, 0, size, 0, view);
  }

  /** Drop datagrams older than the timeout (Map order = arrival order of first fragments). */
  private expire(now: number): void {
    for (const [key, p] of this.pending) {
      if (now - p.firstTs <= this.limits.fragmentTimeoutMicros) break;
      this.drop(key, p);
    }
  }

  private enforceBudget(): void {
    for (const [key, p] of this.pending) {
      if (this.pending.size <= this.limits.maxFragmentedDatagrams && this.buffered <= this.limits.maxFragmentBytes) break;
      this.drop(key, p);
    }
  }

  private drop(key: string, p: Pending): void {
    this.pending.delete(key);
    this.buffered -= p.payload.length;
    (p.version === 6 ? this.counters6 : this.counters).dropped++;
  }

  /** Give up on everything pending (end of input); returns how many datagrams were incomplete. */
  flush(): number {
    const n = this.pending.size;
    for (const p of this.pending.values()) (p.version === 6 ? this.counters6 : this.counters).dropped++;
    this.pending.clear();
    this.buffered = 0;
    return n;
  }
}

/** An IPv4 fragment: data after the header, up to Total Length. */
function fragment4(b: Uint8Array, ip: number, capEnd: number, view: PacketView): Fragment | null {
  if (ip + 20 > capEnd) return null;
  const ihl = (b[ip] & 15) << 2;
  const totalLen = be16(b, ip + 2);
  const word = be16(b, ip + 6);
  return {
    key: `4/${view.src0}>${view.dst0}/${be16(b, ip + 4)}/${b[ip + 9]}`,
    offset: (word & 0x1fff) << 3, more: (word & 0x2000) !== 0,
    dataStart: ip + ihl, dataEnd: ip + totalLen, headerStart: ip, headerEnd: ip + ihl, nhIndex: -1, nextHeader: 0,
  };
}

/** An IPv6 fragment: walk the extension headers to the Fragment header (bounded as in ipv6.ts). */
function fragment6(b: Uint8Array, ip: number, capEnd: number, view: PacketView): Fragment | null {
  if (ip + 40 > capEnd) return null;
  const plen = be16(b, ip + 4);
  if (plen === 0) return null; // jumbogram: never fragmented
  const ipEnd = ip + 40 + plen;
  let nh = b[ip + 6];
  let nhIndex = 6;
  let p = ip + 40;
  for (let i = 0; i < 16 && p + 8 <= Math.min(ipEnd, capEnd); i++) {
    if (nh === 44) {
      const word = be16(b, p + 2);
      return {
        key: `6/${view.src0},${view.src1},${view.src2},${view.src3}>${view.dst0},${view.dst1},${view.dst2},${view.dst3}/${be32(b, p + 4)}`,
        offset: word & 0xfff8, more: (word & 1) !== 0,
        dataStart: p + 8, dataEnd: ipEnd, headerStart: ip, headerEnd: p, nhIndex, nextHeader: b[p],
      };
    }
    if (!isExtensionHeader(nh)) return null;
    const len = extensionLength(b, p, nh);
    nhIndex = p - ip;
    nh = b[p];
    p += len;
  }
  return null;
}

/** Insert [s, e) into a sorted list of disjoint ranges [s0, e0, s1, e1, ...], merging neighbours. */
export function addRange(r: number[], s: number, e: number): void {
  // the first range that ends at or after s (binary search: 8-byte fragments make thousands of ranges)
  let lo = 0, hi = r.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (r[2 * mid + 1] < s) lo = mid + 1;
    else hi = mid;
  }
  let i = 2 * lo;
  let j = i;
  while (j < r.length && r[j] <= e) {
    s = Math.min(s, r[j]);
    e = Math.max(e, r[j + 1]);
    j += 2;
  }
  r.splice(i, j - i, s, e);
}
