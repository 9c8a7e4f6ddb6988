/**
 * IPv6 header (RFC 8200 §3) and the extension headers that may precede TCP (§4): Hop-by-Hop (0),
 * Routing (43), Fragment (44), Destination Options (60), Mobility (135), HIP (139), Shim6 (140) and
 * Authentication Header (51, RFC 4302 §2.2: length in 4-octet units minus 2). The chain is bounded.
 * ```
 *  0 Version (4) Traffic Class (8) Flow Label (20)
 *  4 Payload Length (16) | Next Header (8) | Hop Limit (8)
 *  8 Source Address (128)
 * 24 Destination Address (128)
 * 40 extension headers ... upper-layer header
 * ```
 * Fragment header: `0 Next Header | Reserved | 2 Offset (13) Res (2) M (1) | 4 Identification (32)`.
 * An atomic fragment (offset 0, M = 0; RFC 6946) is decoded as a whole packet.
 */
import { be16, be32 } from './byte-reader.js';
import { IPPROTO_TCP } from './ipv4.js';
import { DecodeStatus, type PacketView } from './packet-view.js';
import { decodeTcp } from './tcp.js';

export const IPV6_HEADER = 40;

/** Extension headers (other than Fragment, 44) that may precede TCP. */
export function isExtensionHeader(nh: number): boolean {
  return nh === 0 || nh === 43 || nh === 60 || nh === 135 || nh === 139 || nh === 140 || nh === 51;
}

/** Length of the extension header `nh` at b[p] (two bytes readable): AH counts 4-octet units minus 2. */
export function extensionLength(b: Uint8Array, p: number, nh: number): number {
  return nh === 51 ? (b[p + 1] + 2) << 2 : (b[p + 1] + 1) << 3;
}
const MAX_EXTENSION_HEADERS = 16;

/**
 * Decode the IPv6 packet at b[off..end); `extra` = uncaptured frame bytes (origlen - caplen), which
 * bounds the payload bytes reported missing (all of it when Payload Length is 0: TSO or jumbogram).
 */
export function decodeIpv6(b: Uint8Array, off: number, end: number, extra: number, view: PacketView): DecodeStatus {
  const avail = end - off;
  if (avail < IPV6_HEADER) return avail > 0 && b[off] >> 4 !== 6 ? DecodeStatus.badHeader : DecodeStatus.truncated;
  if (b[off] >> 4 !== 6) return DecodeStatus.badHeader;
  const plen = be16(b, off + 4);
  let ipEnd = end;
  let missing = extra;
  if (plen !== 0) {
    const wireEnd = off + IPV6_HEADER + plen;
    if (wireEnd <= end) { ipEnd = wireEnd; missing = 0; }
    else if (wireEnd - end < extra) missing = wireEnd - end;
  }
  view.ipVersion = 6;
  view.ipStart = off;
  view.src0 = be32(b, off + 8); view.src1 = be32(b, off + 12); view.src2 = be32(b, off + 16); view.src3 = be32(b, off + 20);
  view.dst0 = be32(b, off + 24); view.dst1 = be32(b, off + 28); view.dst2 = be32(b, off + 32); view.dst3 = be32(b, off + 36);
  let nh = b[off + 6];
  let p = off + IPV6_HEADER;
  for (let i = 0; i < MAX_EXTENSION_HEADERS; i++) {
    if (nh === IPPROTO_TCP) return decodeTcp(b, p, ipEnd, missing, view);
    let hlen: number;
    if (nh === 44) {
      if (ipEnd - p < 8) return missing > 0 ? DecodeStatus.truncated : DecodeStatus.badHeader;
      if ((be16(b, p + 2) & 0xfff9) !== 0) return DecodeStatus.fragment;
      hlen = 8;
    } else {
      if (!isExtensionHeader(nh)) return DecodeStatus.notTcp;
      if (ipEnd - p < 2) return missing > 0 ? DecodeStatus.truncated : DecodeStatus.badHeader;
      hlen = extensionLength(b, p, nh);
    }
    if (ipEnd - p < hlen) return missing > 0 ? DecodeStatus.truncated : DecodeStatus.badHeader;
    nh = b[p];
    p += hlen;
  }
  return DecodeStatus.badHeader;
}
