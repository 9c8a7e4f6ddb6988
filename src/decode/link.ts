/**
 * `decodePacket`: PacketRecord → PacketView, dispatching on the record's LINKTYPE
 * (https://www.tcpdump.org/linktypes.html) to one decoder per protocol (tcpdump's printer layout,
 * gopacket's DecodingLayerParser idea). Returns a status code, never throws, allocates nothing.
 *
 * The view is valid when the status is `ok` (addresses, ports, seq/ack, flags, payload offsets into
 * `view.data` = `rec.data`, `payloadMissing` = payload bytes on the wire but not captured). For
 * `fragment` only the IP version, addresses and `ipStart` are set (fragments of either version can be
 * fed to an IpReassembler). Other statuses leave the view undefined.
 */
import type { PacketRecord } from '../capture/packet-record.js';
import { decodeEthernet } from './ethernet.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeLoopback } from './loopback.js';
import { DecodeStatus, type PacketView } from './packet-view.js';
import { decodePpp, decodePppoeSession } from './ppp.js';
import { decodeRawIp } from './raw-ip.js';
import { decodeSll } from './sll.js';
import { decodeSll2 } from './sll2.js';

/** LINKTYPE values `decodePacket` understands. */
export const DECODABLE_LINK_TYPES: readonly number[] = [0, 1, 9, 12, 14, 50, 51, 101, 108, 113, 228, 229, 276];

export function decodePacket(rec: PacketRecord, view: PacketView): DecodeStatus {
  const b = rec.data;
  const off = rec.offset;
  let end = off + rec.caplen;
  if (end > b.length) end = b.length;
  if (off < 0 || off > end) return DecodeStatus.truncated;
  const extra = rec.origlen > rec.caplen ? rec.origlen - rec.caplen : 0;
  switch (rec.linkType) {
    case 1: return decodeEthernet(b, off, end, extra, view);
    case 0: case 108: return decodeLoopback(b, off, end, extra, view);
    case 101: case 12: case 14: return decodeRawIp(b, off, end, extra, view);
    case 228: return decodeIpv4(b, off, end, extra, view);
    case 229: return decodeIpv6(b, off, end, extra, view);
    case 113: return decodeSll(b, off, end, extra, view);
    case 276: return decodeSll2(b, off, end, extra, view);
    case 51: return decodePppoeSession(b, off, end, extra, view);
    case 9: case 50: return decodePpp(b, off, end, extra, view);
    default: return DecodeStatus.unsupportedLink;
  }
}
