/**
 * Linux "cooked" capture v1 (LINKTYPE_LINUX_SLL 113, https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html).
 * ```
 *  0 Packet type (16) | 2 ARPHRD type (16) | 4 Link-layer address length (16)
 *  6 Link-layer address (64, padded)
 * 14 Protocol type (16: an EtherType for ordinary links) | 16 payload
 * ```
 * Protocol values < 0x0600 (802.2 LLC, Novell 802.3, CAN, netlink protocols) are not IP.
 */
import { be16 } from './byte-reader.js';
import { decodeEtherType } from './ethertype.js';
import { DecodeStatus, type PacketView } from './packet-view.js';

export const SLL_HEADER = 16;

export function decodeSll(b: Uint8Array, off: number, end: number, extra: number, view: PacketView): DecodeStatus {
  if (end - off < SLL_HEADER) return DecodeStatus.truncated;
  return decodeEtherType(be16(b, off + 14), b, off + SLL_HEADER, end, extra, view);
}
