/**
 * Linux "cooked" capture v2 (LINKTYPE_LINUX_SLL2 276, https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html).
 * ```
 *  0 Protocol type (16) | 2 Reserved (16)
 *  4 Interface index (32)
 *  8 ARPHRD type (16) | 10 Packet type (8) | 11 Link-layer address length (8)
 * 12 Link-layer address (64, padded) | 20 payload
 * ```
 */
import { be16 } from './byte-reader.js';
import { decodeEtherType } from './ethertype.js';
import { DecodeStatus, type PacketView } from './packet-view.js';

export const SLL2_HEADER = 20;

export function decodeSll2(b: Uint8Array, off: number, end: number, extra: number, view: PacketView): DecodeStatus {
  if (end - off < SLL2_HEADER) return DecodeStatus.truncated;
  return decodeEtherType(be16(b, off), b, off + SLL2_HEADER, end, extra, view);
}
