/**
 * Multiplies a base capture into a large one (issue #5): N copies of every packet, each copy with its own
 * client addresses and ports, shifted in time, merged by timestamp into one classic pcap. Output is
 * streamed through one fixed buffer, so memory is the base capture plus 8 MiB whatever the output size.
 *
 * Per copy k (0-based):
 *  - server addresses (those that ever send a SYN+ACK) 127.0.c.d → 10.0.c.d, the same in every copy;
 *  - every other (client) address a.b.c.d → 10.(16 + k>>8).(k & 255).d, so copies never share a flow;
 *  - client (ephemeral) TCP ports p ≥ 32768 → 32768 + (p - 32768 + 2053k) mod 32768: they stay ephemeral and
 *    above every server port (tshark and others pick the dissector by the lower port: mapping a client onto
 *    a registered port such as 2401 made tshark decode that flow as CVS); server ports are kept;
 *  - timestamps + k × stride (+ a sub-millisecond jitter), stride = base duration / overlap, so about
 *    `overlap` copies are in flight at any moment whatever N is (copies interleave, concurrency stays flat,
 *    and a 4× capture is 4× the work of the 1× one).
 * IPv4 header and TCP checksums are updated incrementally (RFC 1624 eqn. 3) so they stay exactly as valid as
 * in the base capture; nothing else in a packet changes. Non-IPv4/TCP packets are copied unchanged.
 */
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { LINKTYPE_ETHERNET, PCAP_GLOBAL_HEADER, PCAP_RECORD_HEADER, indexPcap, recordLength, writeTimestamp } from './pcap-file.js';
import type { PcapIndex } from './pcap-file.js';

/** bump when the output changes for the same base (captures.ts then rebuilds the replicas) */
export const REPLICATE_VERSION = 2;

export interface ReplicateOptions {
  input: string;
  output: string;
  copies: number;
  /** how many copies are in flight at once (default 4) */
  overlap?: number;
}

export interface ReplicateResult {
  packets: number;
  bytes: number;
  copies: number;
  strideMicros: number;
  baseDurationMicros: number;
  firstPacket: string;
  lastPacket: string;
}

interface PacketLayout {
  /** offset of the IPv4 header in the record data, -1 when the packet is not IPv4 */
  ip: Int32Array;
  /** offset of the TCP header in the record data, -1 when absent or truncated */
  tcp: Int32Array;
}

const CHUNK = 8 << 20;

export function replicateCapture(opts: ReplicateOptions): ReplicateResult {
  const base = indexPcap(opts.input);
  if (base.linkType !== LINKTYPE_ETHERNET) throw new Error(`${opts.input}: link type ${base.linkType}, want Ethernet (1)`);
  if (base.count === 0) throw new Error(`${opts.input}: no packets`);
  const layout = locateHeaders(base);
  const servers = findServers(base, layout);
  const micro = base.ticksPerSecond / 1e6;
  const duration = base.timestamps[base.count - 1] - base.timestamps[0];
  const stride = Math.max(1, Math.round(duration / (opts.overlap ?? 4)));
  const shift = Array.from({ length: opts.copies }, (_, k) => k * stride + ((k * 7919) % 1000) * micro);

  const fd = openSync(`${opts.output}.part`, 'w');
  const chunk = Buffer.allocUnsafe(CHUNK);
  base.bytes.copy(chunk, 0, 0, PCAP_GLOBAL_HEADER);
  let used = PCAP_GLOBAL_HEADER;
  let written = 0;
  const cursor = new Int32Array(opts.copies);
  const heap = new MinHeap((a, b) => base.timestamps[cursor[a]] + shift[a] - (base.timestamps[cursor[b]] + shift[b]) || a - b);
  for (let k = 0; k < opts.copies; k++) heap.push(k);
  let packets = 0;
  let first = Number.NaN;
  let last = 0;
  while (heap.size > 0) {
    const k = heap.peek();
    const i = cursor[k];
    const off = base.offsets[i];
    const len = recordLength(base, off);
    if (used + len > CHUNK) {
      written += writeSync(fd, chunk, 0, used);
      used = 0;
    }
    base.bytes.copy(chunk, used, off, off + len);
    const ts = base.timestamps[i] + shift[k];
    writeTimestamp(chunk, used, ts, base);
    rewrite(chunk, used + PCAP_RECORD_HEADER, len - PCAP_RECORD_HEADER, layout.ip[i], layout.tcp[i], k, servers);
    used += len;
    packets++;
    if (Number.isNaN(first)) first = ts;
    last = ts;
    if (i + 1 < base.count) {
      cursor[k] = i + 1;
      heap.replaceTop(k);
    } else {
      heap.pop();
    }
  }
  written += writeSync(fd, chunk, 0, used);
  closeSync(fd);
  renameSync(`${opts.output}.part`, opts.output);
  const iso = (t: number): string => new Date(t / base.ticksPerSecond * 1000).toISOString();
  return {
    packets,
    bytes: written,
    copies: opts.copies,
    strideMicros: stride / micro,
    baseDurationMicros: duration / micro,
    firstPacket: iso(first),
    lastPacket: iso(last),
  };
}

/** Ethernet II (one optional 802.1Q tag) → IPv4 → TCP header offsets, relative to the record data. */
function locateHeaders(base: PcapIndex): PacketLayout {
  const ip = new Int32Array(base.count).fill(-1);
  const tcp = new Int32Array(base.count).fill(-1);
  const b = base.bytes;
  for (let i = 0; i < base.count; i++) {
    const data = base.offsets[i] + PCAP_RECORD_HEADER;
    const end = base.offsets[i] + recordLength(base, base.offsets[i]);
    let l3 = 14;
    if (data + 14 > end) continue;
    let etherType = b.readUInt16BE(data + 12);
    if (etherType === 0x8100 && data + 18 <= end) {
      etherType = b.readUInt16BE(data + 16);
      l3 = 18;
    }
    if (etherType !== 0x0800 || data + l3 + 20 > end || b[data + l3] >> 4 !== 4) continue;
    ip[i] = l3;
    const ihl = (b[data + l3] & 0x0f) * 4;
    const fragment = b.readUInt16BE(data + l3 + 6) & 0x1fff;
    if (b[data + l3 + 9] === 6 && fragment === 0 && data + l3 + ihl + 18 <= end) tcp[i] = l3 + ihl;
  }
  return { ip, tcp };
}

/** Addresses that answer a SYN (send SYN+ACK): the servers. */
function findServers(base: PcapIndex, layout: PacketLayout): Set<number> {
  const servers = new Set<number>();
  for (let i = 0; i < base.count; i++) {
    if (layout.tcp[i] < 0) continue;
    const data = base.offsets[i] + PCAP_RECORD_HEADER;
    if ((base.bytes[data + layout.tcp[i] + 13] & 0x12) === 0x12) servers.add(base.bytes.readUInt32BE(data + layout.ip[i] + 12));
  }
  return servers;
}

function mapAddress(addr: number, copy: number, servers: Set<number>): number {
  if (servers.has(addr)) return ((10 << 24) | (addr & 0xffff)) >>> 0;
  return ((10 << 24) | ((16 + (copy >> 8)) << 16) | ((copy & 0xff) << 8) | (addr & 0xff)) >>> 0;
}

function mapPort(port: number, copy: number): number {
  return port < 32768 ? port : 32768 + ((port - 32768 + copy * 2053) % 32768);
}

/** Rewrites the addresses (and client ports) of one packet in place, with incremental checksum updates. */
function rewrite(buf: Buffer, data: number, len: number, ip: number, tcp: number, copy: number, servers: Set<number>): void {
  if (ip < 0) return;
  const p = data + ip;
  const src = buf.readUInt32BE(p + 12);
  const dst = buf.readUInt32BE(p + 16);
  const nsrc = mapAddress(src, copy, servers);
  const ndst = mapAddress(dst, copy, servers);
  const addrDelta = delta32(src, nsrc) + delta32(dst, ndst);
  buf.writeUInt32BE(nsrc, p + 12);
  buf.writeUInt32BE(ndst, p + 16);
  buf.writeUInt16BE(adjust(buf.readUInt16BE(p + 10), addrDelta), p + 10);
  if (tcp < 0 || tcp + 18 > len) return;
  const t = data + tcp;
  let portDelta = 0;
  if (!servers.has(src)) {
    const sp = buf.readUInt16BE(t);
    const nsp = mapPort(sp, copy);
    portDelta += delta16(sp, nsp);
    buf.writeUInt16BE(nsp, t);
  }
  if (!servers.has(dst)) {
    const dp = buf.readUInt16BE(t + 2);
    const ndp = mapPort(dp, copy);
    portDelta += delta16(dp, ndp);
    buf.writeUInt16BE(ndp, t + 2);
  }
  // the TCP checksum covers the pseudo-header (addresses) and the header (ports)
  buf.writeUInt16BE(adjust(buf.readUInt16BE(t + 16), addrDelta + portDelta), t + 16);
}

/** One's-complement contribution of replacing 16-bit word m by m' (RFC 1624: ~m + m'). */
function delta16(m: number, n: number): number {
  return (~m & 0xffff) + n;
}

function delta32(m: number, n: number): number {
  return delta16(m >>> 16, n >>> 16) + delta16(m & 0xffff, n & 0xffff);
}

/** HC' = ~(~HC + Σ(~m + m')) (RFC 1624 eqn. 3). */
function adjust(checksum: number, sum: number): number {
  let s = (~checksum & 0xffff) + sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

/** Binary min-heap of small integers under a comparator. */
class MinHeap {
  private readonly items: number[] = [];
  constructor(private readonly less: (a: number, b: number) => number) {}
  get size(): number {
    return this.items.length;
  }
  peek(): number {
    return this.items[0];
  }
  push(v: number): void {
    this.items.push(v);
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(this.items[i], this.items[parent]) >= 0) break;
      [this.items[i], this.items[parent]] = [this.items[parent], this.items[i]];
      i = parent;
    }
  }
  /** Re-sifts the top after its key grew (or replaces it with `v`). */
  replaceTop(v: number): void {
    this.items[0] = v;
    this.siftDown(0);
  }
  pop(): number {
    const top = this.items[0];
    const lastItem = this.items.pop() as number;
    if (this.items.length > 0) {
      this.items[0] = lastItem;
      this.siftDown(0);
    }
    return top;
  }
  private siftDown(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(this.items[l], this.items[m]) < 0) m = l;
      if (r < n && this.less(this.items[r], this.items[m]) < 0) m = r;
      if (m === i) return;
      [this.items[i], this.items[m]] = [this.items[m], this.items[i]];
      i = m;
    }
  }
}

// `node dist/scripts/bench/replicate.js <base.pcap> <out.pcap> <copies> [overlap]`
if (process.argv[1]?.endsWith('/replicate.js')) {
  const [input, output, copies, overlap] = process.argv.slice(2);
  if (!input || !output || !copies) {
    console.error('usage: replicate.js <base.pcap> <out.pcap> <copies> [overlap]');
    process.exit(2);
  }
  console.log(JSON.stringify(replicateCapture({ input, output, copies: Number(copies), overlap: overlap ? Number(overlap) : undefined }), null, 2));
}
