/**
 * Ethernet II / IEEE 802.3 frame (LINKTYPE_ETHERNET 1).
 * ```
 *  0 Destination MAC (48) | 6 Source MAC (48) | 12 EtherType or 802.3 Length (16) | 14 payload
 * ```
 * A value ≤ 1500 is an 802.3 length: the payload starts with LLC (IEEE 802.2); only SNAP
 * (`AA AA 03 | OUI (24) | EtherType (16)`, RFC 1042) can carry IP. Tags, PPPoE and IP are
 * handled by `decodeEtherType`.
 */
import { be16 } from './byte-reader.js';
import { decodeEtherType } from './ethertype.js';
import { DecodeStatus, type PacketView } from './packet-view.js';

export const ETHERNET_HEADER = 14;
const MAX_8023_LENGTH = 1500;

export function decodeEthernet(b: Uint8Array, off: number, end: number, extra: number, view: PacketView): DecodeStatus {
  if (end - off < ETHERNET_HEADER) return DecodeStatus.truncated;
  const type = be16(b, off + 12);
  const p = off + ETHERNET_HEADER;
  if (type > MAX_8023_LENGTH) return decodeEtherType(type, b, p, end, extra, view);
  if (end - p < 8) return DecodeStatus.notIp;
  if (b[p] !== 0xaa || b[p + 1] !== 0xaa || b[p + 2] !== 0x03) return DecodeStatus.notIp;
  return decodeEtherType(be16(b, p + 6), b, p + 8, end, extra, view);
}
