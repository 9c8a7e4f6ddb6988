/**
 * TCP header (RFC 9293 §3.1). Options are skipped (data offset); the payload runs to the end of the
 * IP datagram as trimmed by the IP decoder.
 * ```
 *  0 Source Port (16)          | Destination Port (16)
 *  4 Sequence Number (32)
 *  8 Acknowledgment Number (32)
 * 12 DOff (4) Rsrvd (4) | Flags CWR ECE URG ACK PSH RST SYN FIN (8) | Window (16)
 * 16 Checksum (16)             | Urgent Pointer (16)
 * 20 Options (DOff*4 - 20) ... Data
 * ```
 */
import { be16, be32 } from './byte-reader.js';
import { DecodeStatus, type PacketView } from './packet-view.js';

export const TCP_MIN_HEADER = 20;

/**
 * Decode the TCP segment at b[off..end) (`end` = captured end of the IP payload). `missing` is the
 * number of IP payload bytes on the wire beyond `end` (snaplen): a header cut by it is `truncated`,
 * a header that does not fit in the datagram is `badHeader`.
 */
export function decodeTcp(b: Uint8Array, off: number, end: number, missing: number, view: PacketView): DecodeStatus {
  const avail = end - off;
  if (avail < TCP_MIN_HEADER) return missing > 0 ? DecodeStatus.truncated : DecodeStatus.badHeader;
  const doff = (b[off + 12] >> 4) << 2;
  if (doff < TCP_MIN_HEADER) return DecodeStatus.badHeader;
  if (avail < doff) return missing > 0 ? DecodeStatus.truncated : DecodeStatus.badHeader;
  view.srcPort = be16(b, off);
  view.dstPort = be16(b, off + 2);
  view.seq = be32(b, off + 4);
  view.ack = be32(b, off + 8);
  view.flags = b[off + 13];
  view.data = b;
  view.payloadStart = off + doff;
  view.payloadEnd = end;
  view.payloadMissing = missing;
  return DecodeStatus.ok;
}
