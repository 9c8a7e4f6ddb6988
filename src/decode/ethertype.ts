/**
 * EtherType dispatch shared by Ethernet, Linux cooked captures and LLC/SNAP (IEEE 802.3 / IANA
 * ethernet-numbers), including stacked VLAN tags: 802.1Q (0x8100), 802.1ad (0x88A8) and the
 * pre-standard QinQ values 0x9100/0x9200. A tag is `TCI (16) | inner EtherType (16)`.
 */
import { be16 } from './byte-reader.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { DecodeStatus, type PacketView } from './packet-view.js';
import { decodePppoeSession } from './ppp.js';

export const EtherType = {
  IPV4: 0x0800,
  IPV6: 0x86dd,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  QINQ_OLD1: 0x9100,
  QINQ_OLD2: 0x9200,
  PPPOE_SESSION: 0x8864,
} as const;

const MAX_VLAN_TAGS = 8;

/** Decode the payload b[p..end) of a frame whose EtherType is `type`. */
export function decodeEtherType(type: number, b: Uint8Array, p: number, end: number, extra: number, view: PacketView): DecodeStatus {
  for (let tags = 0; tags <= MAX_VLAN_TAGS; tags++) {
    switch (type) {
      case EtherType.IPV4:
        return decodeIpv4(b, p, end, extra, view);
      case EtherType.IPV6:
        return decodeIpv6(b, p, end, extra, view);
      case EtherType.VLAN: case EtherType.QINQ: case EtherType.QINQ_OLD1: case EtherType.QINQ_OLD2:
        if (end - p < 4) return DecodeStatus.truncated;
        type = be16(b, p + 2);
        p += 4;
        break;
      case EtherType.PPPOE_SESSION:
        return decodePppoeSession(b, p, end, extra, view);
      default:
        return DecodeStatus.notIp;
    }
  }
  return DecodeStatus.badHeader;
}
