/**
 * BSD loopback encapsulation (LINKTYPE_NULL 0: address family in the capturing host's byte order;
 * LINKTYPE_LOOP 108: nominally network byte order). Both byte orders are accepted for both: a value
 * that does not fit in 16 bits is read the other way round (https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html).
 * ```
 *  0 Address family (32) | 4 IP packet
 * ```
 * AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD, BSD/OS), 28 (FreeBSD, DragonFly),
 * 30 (Darwin), and 10 / 23 in files written on Linux / Windows (as Wireshark's packet-null.c accepts).
 */
import { be32, le32 } from './byte-reader.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { DecodeStatus, type PacketView } from './packet-view.js';

export const LOOPBACK_HEADER = 4;

export function decodeLoopback(b: Uint8Array, off: number, end: number, extra: number, view: PacketView): DecodeStatus {
  if (end - off < LOOPBACK_HEADER) return DecodeStatus.truncated;
  let af = le32(b, off);
  if (af > 0xffff) af = be32(b, off);
  const p = off + LOOPBACK_HEADER;
  switch (af) {
    case 2:
      return decodeIpv4(b, p, end, extra, view);
    case 24: case 28: case 30: case 10: case 23:
      return decodeIpv6(b, p, end, extra, view);
    default:
      return DecodeStatus.notIp;
  }
}
