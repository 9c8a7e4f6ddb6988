/**
 * IPv4 header (RFC 791 §3.1), gopacket layers/ip4.go DecodeFromBytes in spirit: check the length
 * once, trim the datagram to Total Length (drops Ethernet padding and FCS), treat Total Length 0 as
 * TCP segmentation offload (use the captured length), report fragments instead of decoding them.
 * ```
 *  0 Version (4) IHL (4) | DSCP/ECN (8) | Total Length (16)
 *  4 Identification (16)              | Flags (3) Fragment Offset (13)
 *  8 TTL (8) | Protocol (8)           | Header Checksum (16)
 * 12 Source Address (32)
 * 16 Destination Address (32)
 * 20 Options (IHL*4 - 20)
 * ```
 */
import { be16, be32 } from './byte-reader.js';
import { DecodeStatus, type PacketView } from './packet-view.js';
import { decodeTcp } from './tcp.js';

export const IPV4_MIN_HEADER = 20;
export const IPPROTO_TCP = 6;
/** MF flag and fragment offset bits of the flags/offset word */
const FRAG_MASK = 0x3fff;

/**
 * Decode the IPv4 datagram at b[off..end). `extra` = bytes of the frame on the wire but not captured
 * (origlen - caplen): the payload bytes reported missing are min(Total Length - captured, extra), so
 * a datagram whose Total Length exceeds a fully captured frame is malformed, not "missing" data;
 * with Total Length 0 (TSO) all of `extra` is missing. Addresses are set for `fragment` too.
 */
export function decodeIpv4(b: Uint8Array, off: number, end: number, extra: number, view: PacketView): DecodeStatus {
  const avail = end - off;
  if (avail < IPV4_MIN_HEADER) return avail > 0 && b[off] >> 4 !== 4 ? DecodeStatus.badHeader : DecodeStatus.truncated;
  const vhl = b[off];
  if (vhl >> 4 !== 4) return DecodeStatus.badHeader;
  const ihl = (vhl & 15) << 2;
  if (ihl < IPV4_MIN_HEADER) return DecodeStatus.badHeader;
  if (avail < ihl) return DecodeStatus.truncated;
  const total = be16(b, off + 2);
  let ipEnd = end;
  let missing = extra;
  if (total !== 0) {
    if (total < ihl) return DecodeStatus.badHeader;
    const wireEnd = off + total;
    if (wireEnd <= end) { ipEnd = wireEnd; missing = 0; }
    else if (wireEnd - end < extra) missing = wireEnd - end;
  }
  view.ipVersion = 4;
  view.ipStart = off;
  view.src0 = be32(b, off + 12); view.src1 = 0; view.src2 = 0; view.src3 = 0;
  view.dst0 = be32(b, off + 16); view.dst1 = 0; view.dst2 = 0; view.dst3 = 0;
  if ((be16(b, off + 6) & FRAG_MASK) !== 0) return DecodeStatus.fragment;
  if (b[off + 9] !== IPPROTO_TCP) return DecodeStatus.notTcp;
  return decodeTcp(b, off + ihl, ipEnd, missing, view);
}
