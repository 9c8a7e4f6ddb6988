/**
 * Minimal frame builders for synthetic seeds: Ethernet II (IEEE 802.3), optional 802.1Q tag,
 * IPv4 (RFC 791, header checksum filled), IPv6 (RFC 8200), TCP (RFC 9293, checksum left 0: the
 * analyser does not verify it). Also Linux SLL (LINKTYPE_LINUX_SLL) and raw IP framing.
 */
import { concat, u16, u32 } from './bytes.js';

export interface TcpSegment {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  /** TCP flags byte: FIN 0x01 SYN 0x02 RST 0x04 PSH 0x08 ACK 0x10 */
  flags: number;
  payload?: Uint8Array;
  /** TCP options (already padded to 4 bytes) */
  options?: Uint8Array;
}

export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

function ipv4Bytes(s: string): Uint8Array {
  return Uint8Array.from(s.split('.').map((x) => Number(x) & 0xff));
}

function ipv6Bytes(s: string): Uint8Array {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, ''];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g || '0', 16);
    out[2 * i] = v >>> 8;
    out[2 * i + 1] = v & 0xff;
  });
  return out;
}

function checksum(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < b.length; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (b.length % 2) sum += b[b.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function tcpHeader(s: TcpSegment): Uint8Array {
  const opts = s.options ?? new Uint8Array(0);
  const hl = 20 + opts.length;
  return concat([u16(s.sport), u16(s.dport), u32(s.seq >>> 0), u32(s.ack >>> 0), Uint8Array.of((hl / 4) << 4, s.flags), u16(65535), u16(0), u16(0), opts]);
}

/** IP packet (v4 or v6 by the address syntax) carrying the TCP segment. */
export function ipPacket(s: TcpSegment): Uint8Array {
  const tcp = concat([tcpHeader(s), s.payload ?? new Uint8Array(0)]);
  if (s.src.includes(':')) {
    return concat([Uint8Array.of(0x60, 0, 0, 0), u16(tcp.length), Uint8Array.of(6, 64), ipv6Bytes(s.src), ipv6Bytes(s.dst), tcp]);
  }
  const hdr = concat([Uint8Array.of(0x45, 0), u16(20 + tcp.length), u16(0), u16(0x4000), Uint8Array.of(64, 6), u16(0), ipv4Bytes(s.src), ipv4Bytes(s.dst)]);
  const c = checksum(hdr);
  hdr[10] = c >>> 8;
  hdr[11] = c & 0xff;
  return concat([hdr, tcp]);
}

const MAC_A = Uint8Array.of(0x02, 0, 0, 0, 0, 0x0a);
const MAC_B = Uint8Array.of(0x02, 0, 0, 0, 0, 0x0b);

/** Ethernet II frame; `vlan` adds one 802.1Q tag. */
export function ethernetFrame(s: TcpSegment, vlan?: number): Uint8Array {
  const ip = ipPacket(s);
  const type = u16(s.src.includes(':') ? 0x86dd : 0x0800);
  const tag = vlan === undefined ? new Uint8Array(0) : concat([u16(0x8100), u16(vlan & 0xfff)]);
  return concat([MAC_B, MAC_A, tag, type, ip]);
}

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL = 113). */
export function sllFrame(s: TcpSegment): Uint8Array {
  const ip = ipPacket(s);
  return concat([u16(0), u16(1), u16(6), MAC_A, u16(0), u16(s.src.includes(':') ? 0x86dd : 0x0800), ip]);
}
