/**
 * Raw IP link types: the frame is an IP packet, told apart by the version nibble (RFC 791 / RFC 8200).
 * LINKTYPE_RAW 101 (and DLT_RAW's platform values 12, 14 found in old files), LINKTYPE_IPV4 228
 * (IPv4 only), LINKTYPE_IPV6 229 (IPv6 only).
 */
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { DecodeStatus, type PacketView } from './packet-view.js';

export function decodeRawIp(b: Uint8Array, off: number, end: number, extra: number, view: PacketView): DecodeStatus {
  if (end - off < 1) return DecodeStatus.truncated;
  const version = b[off] >> 4;
  if (version === 4) return decodeIpv4(b, off, end, extra, view);
  if (version === 6) return decodeIpv6(b, off, end, extra, view);
  return DecodeStatus.notIp;
}
