/**
 * PPP (RFC 1661 §2; HDLC-like framing RFC 1662 §3.1) and PPPoE session stage (RFC 2516 §4, §6).
 * ```
 * PPPoE:  0 Ver (4) = 1 | Type (4) = 1 | Code (8) = 0x00 (session data) | 2 Session ID (16) | 4 Length (16) | 6 PPP payload
 * PPP:    [0xFF 0x03 address/control, optional] Protocol (16, or 8 when compressed: odd first octet)
 *         0x0021 = IPv4, 0x0057 = IPv6
 * ```
 */
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { DecodeStatus, type PacketView } from './packet-view.js';

export const PPP_IPV4 = 0x0021;
export const PPP_IPV6 = 0x0057;
const PPPOE_HEADER = 6;

/** Decode a PPP protocol field at b[p..end) and what follows it. */
export function decodePppProtocol(b: Uint8Array, p: number, end: number, extra: number, view: PacketView): DecodeStatus {
  if (end - p < 1) return DecodeStatus.truncated;
  let proto: number;
  if ((b[p] & 1) === 1) { proto = b[p]; p += 1; }
  else {
    if (end - p < 2) return DecodeStatus.truncated;
    proto = (b[p] << 8) | b[p + 1];
    p += 2;
  }
  if (proto === PPP_IPV4) return decodeIpv4(b, p, end, extra, view);
  if (proto === PPP_IPV6) return decodeIpv6(b, p, end, extra, view);
  return DecodeStatus.notIp;
}

/** PPP frame with optional HDLC address/control (LINKTYPE_PPP 9, LINKTYPE_PPP_HDLC 50). */
export function decodePpp(b: Uint8Array, p: number, end: number, extra: number, view: PacketView): DecodeStatus {
  if (end - p >= 2 && b[p] === 0xff && b[p + 1] === 0x03) p += 2;
  return decodePppProtocol(b, p, end, extra, view);
}

/** PPPoE session stage (ethertype 0x8864, or LINKTYPE_PPP_ETHER 51). Discovery packets are not IP. */
export function decodePppoeSession(b: Uint8Array, p: number, end: number, extra: number, view: PacketView): DecodeStatus {
  if (end - p < PPPOE_HEADER) return DecodeStatus.truncated;
  if (b[p] !== 0x11) return DecodeStatus.badHeader;
  if (b[p + 1] !== 0x00) return DecodeStatus.notIp;
  const len = (b[p + 4] << 8) | b[p + 5];
  const payloadEnd = p + PPPOE_HEADER + len;
  if (payloadEnd < end) { end = payloadEnd; extra = 0; }
  return decodePppProtocol(b, p + PPPOE_HEADER, end, extra, view);
}
