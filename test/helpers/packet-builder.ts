/**
 * Build link/IP/TCP frames for tests (synthetic captures produced by the tests themselves).
 *
 *   buildTcpPacket({ linkType: LinkType.EN10MB, src: '10.0.0.1', dst: '10.0.0.2', sport: 51000, dport: 443,
 *                    seq: 1, ack: 0, flags: TcpFlag.SYN, payload, vlan: [100, 200], pppoe: true })
 *
 * Addresses containing ':' are IPv6 (or pass `ipv6: true`). Checksums are computed so tshark
 * accepts the frames. Lower-level builders (buildTcpHeader, buildIpv4, buildIpv6, wrapLink) are
 * exported for tests that need malformed or unusual packets.
 */
import { LinkType } from '../../src/capture/packet-record.js';
import { TcpFlag } from '../../src/decode/packet-view.js';

export { LinkType, TcpFlag };

/** `hex` tagged template / function: hex digits with whitespace and `# comments` or `// comments` to end of line. */
export function hex(strings: TemplateStringsArray | string, ...values: unknown[]): Uint8Array {
  const text = typeof strings === 'string' ? strings : strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const digits = text.replace(/(#|\/\/)[^\n]*/g, '').replace(/[\s|]/g, '');
  if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length % 2 !== 0) throw new Error(`bad hex: ${digits.slice(0, 40)}`);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.substr(i * 2, 2), 16);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export function u16be(v: number): Uint8Array { return new Uint8Array([(v >>> 8) & 255, v & 255]); }
export function u32be(v: number): Uint8Array { return new Uint8Array([(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255]); }
export function u32le(v: number): Uint8Array { return new Uint8Array([v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255]); }

/** '10.0.0.1' → 4 bytes; '2001:db8::1' → 16 bytes. */
export function parseIp(addr: string): Uint8Array {
  if (!addr.includes(':')) {
    const parts = addr.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) throw new Error(`bad IPv4 ${addr}`);
    return new Uint8Array(parts);
  }
  const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, null];
  const h = head ? head.split(':') : [];
  const t = tail === null ? [] : tail ? tail.split(':') : [];
  const groups = tail === null ? h : [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) throw new Error(`bad IPv6 ${addr}`);
  const out = new Uint8Array(16);
  groups.forEach((g, i) => { const v = parseInt(g, 16); out[2 * i] = v >> 8; out[2 * i + 1] = v & 255; });
  return out;
}

/** Unsigned 32-bit words of an address, as PacketView holds them (IPv4: one word). */
export function ipWords(addr: string): number[] {
  const b = parseIp(addr);
  const w: number[] = [];
  for (let i = 0; i < b.length; i += 4) w.push(((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0);
  return w;
}

function onesComplementSum(parts: Uint8Array[]): number {
  let sum = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i += 2) sum += (p[i] << 8) | (i + 1 < p.length ? p[i + 1] : 0);
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface TcpHeaderOptions {
  sport: number; dport: number; seq?: number; ack?: number; flags?: number; window?: number;
  /** raw TCP options (padded to 4 bytes with NOP-free zeros) */
  options?: Uint8Array;
  /** override the data offset field (in 32-bit words) to build malformed headers */
  dataOffsetWords?: number;
}

/** TCP header + payload, checksum computed over the pseudo-header of src/dst. */
export function buildTcpSegment(o: TcpHeaderOptions, payload: Uint8Array, src: Uint8Array, dst: Uint8Array): Uint8Array {
  const opts = o.options ?? new Uint8Array(0);
  const optLen = (opts.length + 3) & ~3;
  const hlen = 20 + optLen;
  const seg = new Uint8Array(hlen + payload.length);
  const dv = new DataView(seg.buffer);
  dv.setUint16(0, o.sport); dv.setUint16(2, o.dport);
  dv.setUint32(4, (o.seq ?? 0) >>> 0); dv.setUint32(8, (o.ack ?? 0) >>> 0);
  seg[12] = (o.dataOffsetWords ?? hlen / 4) << 4;
  seg[13] = o.flags ?? TcpFlag.ACK;
  dv.setUint16(14, o.window ?? 65535);
  seg.set(opts, 20);
  seg.set(payload, hlen);
  const pseudo = src.length === 4
    ? concat(src, dst, new Uint8Array([0, 6]), u16be(seg.length))
    : concat(src, dst, u32be(seg.length), new Uint8Array([0, 0, 0, 6]));
  dv.setUint16(16, onesComplementSum([pseudo, seg]));
  return seg;
}

export interface Ipv4Options {
  src: string; dst: string; protocol?: number; id?: number; ttl?: number;
  /** raw IP options (padded to 4 bytes) */
  options?: Uint8Array;
  /** flags+fragment offset word (e.g. 0x2000 = MF, 0x4000 = DF) */
  fragWord?: number;
  /** override Total Length (0 = TSO style) */
  totalLength?: number;
}

export function buildIpv4(o: Ipv4Options, payload: Uint8Array): Uint8Array {
  const opts = o.options ?? new Uint8Array(0);
  const hlen = 20 + ((opts.length + 3) & ~3);
  const p = new Uint8Array(hlen + payload.length);
  const dv = new DataView(p.buffer);
  p[0] = 0x40 | (hlen / 4);
  dv.setUint16(2, o.totalLength ?? p.length);
  dv.setUint16(4, o.id ?? 1);
  dv.setUint16(6, o.fragWord ?? 0x4000);
  p[8] = o.ttl ?? 64;
  p[9] = o.protocol ?? 6;
  p.set(parseIp(o.src), 12);
  p.set(parseIp(o.dst), 16);
  p.set(opts, 20);
  dv.setUint16(10, onesComplementSum([p.subarray(0, hlen)]));
  p.set(payload, hlen);
  return p;
}

export interface Ipv6Options {
  src: string; dst: string;
  /** upper-layer protocol after the extension headers (default TCP) */
  protocol?: number;
  /** extension headers in order: { type: 0|43|44|60|51, body?: bytes after the 2 first octets } */
  extensions?: { type: number; body?: Uint8Array }[];
  payloadLength?: number;
}

/** IPv6 header with optional extension headers (each sized to its length field rules). */
export function buildIpv6(o: Ipv6Options, payload: Uint8Array): Uint8Array {
  const exts = o.extensions ?? [];
  const chain: Uint8Array[] = [];
  for (let i = 0; i < exts.length; i++) {
    const next = i + 1 < exts.length ? exts[i + 1].type : (o.protocol ?? 6);
    const e = exts[i];
    if (e.type === 44) {
      const body = e.body ?? new Uint8Array(6); // offset/flags (2) + identification (4)
      chain.push(concat(new Uint8Array([next, 0]), body.subarray(0, 6)));
    } else if (e.type === 51) {
      const body = e.body ?? new Uint8Array(10); // SPI, sequence, 2 bytes of ICV → 12 bytes total
      const total = (body.length + 2 + 3) & ~3;
      const h = new Uint8Array(total);
      h[0] = next; h[1] = total / 4 - 2; h.set(body, 2);
      chain.push(h);
    } else {
      const body = e.body ?? new Uint8Array(6);
      const total = (body.length + 2 + 7) & ~7;
      const h = new Uint8Array(total);
      h[0] = next; h[1] = total / 8 - 1; h.set(body, 2);
      chain.push(h);
    }
  }
  const rest = concat(...chain, payload);
  const h = new Uint8Array(40);
  const dv = new DataView(h.buffer);
  dv.setUint32(0, 0x60000000);
  dv.setUint16(4, o.payloadLength ?? rest.length);
  h[6] = exts.length > 0 ? exts[0].type : (o.protocol ?? 6);
  h[7] = 64;
  h.set(parseIp(o.src), 8);
  h.set(parseIp(o.dst), 24);
  return concat(h, rest);
}

/** Split an IPv4 datagram into fragments carrying at most `chunk` payload bytes (rounded down to 8). */
export function fragmentIpv4(ip: Uint8Array, chunk: number): Uint8Array[] {
  const ihl = (ip[0] & 15) * 4;
  const payload = ip.subarray(ihl, (ip[2] << 8) | ip[3]);
  const step = Math.max(8, chunk & ~7);
  const out: Uint8Array[] = [];
  for (let off = 0; off < payload.length; off += step) {
    const part = payload.subarray(off, Math.min(payload.length, off + step));
    const f = concat(ip.subarray(0, ihl), part);
    const more = off + step < payload.length;
    const word = ((ip[6] << 8) & 0x4000) | (more ? 0x2000 : 0) | (off >> 3);
    f[2] = f.length >> 8; f[3] = f.length & 255;
    f[6] = word >> 8; f[7] = word & 255;
    f[10] = 0; f[11] = 0;
    const sum = onesComplementSum([f.subarray(0, ihl)]);
    f[10] = sum >> 8; f[11] = sum & 255;
    out.push(f);
  }
  return out;
}

export interface LinkOptions {
  linkType?: number;
  /** VLAN IDs, outermost first; with two or more the outer tags use 802.1ad (0x88A8) */
  vlan?: number | number[];
  /** wrap in a PPPoE session (Ethernet: EtherType 0x8864; LINKTYPE_PPP_ETHER: no Ethernet header) */
  pppoe?: boolean;
  /** byte order of the LINKTYPE_NULL / LOOP address family (default: little-endian for NULL, big for LOOP) */
  afBigEndian?: boolean;
  /** address family value for NULL/LOOP IPv6 (default 30, Darwin) */
  af6?: number;
  /** pad the Ethernet frame with zeros to this length (60 = minimum frame without FCS) */
  padTo?: number;
}

/** Put an IP packet into a frame of the given link type. */
export function wrapLink(ip: Uint8Array, o: LinkOptions = {}): Uint8Array {
  const lt = o.linkType ?? LinkType.EN10MB;
  const v6 = ip.length > 0 && ip[0] >> 4 === 6;
  const etherType = v6 ? 0x86dd : 0x0800;
  let inner = ip;
  let innerType = etherType;
  if (o.pppoe === true) {
    const ppp = concat(u16be(v6 ? 0x0057 : 0x0021), ip);
    inner = concat(new Uint8Array([0x11, 0x00]), u16be(0x1234), u16be(ppp.length), ppp);
    innerType = 0x8864;
  }
  switch (lt) {
    case LinkType.EN10MB: {
      const ids = o.vlan === undefined ? [] : Array.isArray(o.vlan) ? o.vlan : [o.vlan];
      const tags: Uint8Array[] = ids.map((id, i) => concat(u16be(ids.length > 1 && i < ids.length - 1 ? 0x88a8 : 0x8100), u16be(id & 0xfff)));
      // each tag is TPID followed by TCI; the last TCI is followed by the inner EtherType
      const parts: Uint8Array[] = [hex`00 11 22 33 44 55  66 77 88 99 aa bb`];
      for (const t of tags) parts.push(t.subarray(0, 2), t.subarray(2, 4));
      parts.push(u16be(innerType), inner);
      let frame = concat(...parts);
      if (o.padTo !== undefined && frame.length < o.padTo) frame = concat(frame, new Uint8Array(o.padTo - frame.length));
      return frame;
    }
    case LinkType.PPP_ETHER:
      if (o.pppoe !== true) throw new Error('PPP_ETHER needs pppoe: true');
      return inner;
    case LinkType.LINUX_SLL:
      return concat(hex`0000 0001 0006 001122334455 0000`, u16be(innerType), inner);
    case LinkType.LINUX_SLL2:
      return concat(u16be(innerType), hex`0000 00000002 0001 00 06 001122334455 0000`, inner);
    case LinkType.NULL:
    case LinkType.LOOP: {
      const af = v6 ? (o.af6 ?? 30) : 2;
      const be = o.afBigEndian ?? lt === LinkType.LOOP;
      return concat(be ? u32be(af) : u32le(af), ip);
    }
    case LinkType.RAW: case LinkType.RAW_OPENBSD: case LinkType.RAW_BSDOS: case LinkType.IPV4: case LinkType.IPV6:
      return ip;
    default:
      throw new Error(`wrapLink: link type ${lt} not supported`);
  }
}

export interface TcpPacketOptions extends LinkOptions {
  src: string; dst: string; sport: number; dport: number;
  seq?: number; ack?: number; flags?: number; window?: number;
  payload?: Uint8Array | string;
  /** force IPv6 (addresses containing ':' are IPv6 anyway) */
  ipv6?: boolean;
  tcpOptions?: Uint8Array;
  ipOptions?: Uint8Array;
  ipv6Extensions?: Ipv6Options['extensions'];
}

/** One complete frame: link header (+VLAN/PPPoE) + IPv4/IPv6 + TCP + payload. */
export function buildTcpPacket(o: TcpPacketOptions): Uint8Array {
  const payload = typeof o.payload === 'string' ? new TextEncoder().encode(o.payload) : (o.payload ?? new Uint8Array(0));
  const v6 = o.ipv6 === true || o.src.includes(':');
  const src = parseIp(o.src), dst = parseIp(o.dst);
  const seg = buildTcpSegment({ sport: o.sport, dport: o.dport, seq: o.seq, ack: o.ack, flags: o.flags, window: o.window, options: o.tcpOptions }, payload, src, dst);
  const ip = v6
    ? buildIpv6({ src: o.src, dst: o.dst, extensions: o.ipv6Extensions }, seg)
    : buildIpv4({ src: o.src, dst: o.dst, options: o.ipOptions }, seg);
  return wrapLink(ip, o);
}
