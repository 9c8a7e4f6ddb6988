import { describe, expect, it } from 'vitest';
import { LinkType } from '../../../src/capture/packet-record.js';
import { DecodeStatus } from '../../../src/decode/packet-view.js';
import { buildTcpPacket, concat, hex } from '../../helpers/packet-builder.js';
import { behavesLikeADecoder, decodeFrame } from './support.js';

/** Linux cooked v1 header (16 bytes) + IPv4/TCP built by the packet builder. */
const IP = buildTcpPacket({ linkType: LinkType.RAW, src: '192.0.2.1', dst: '192.0.2.2', sport: 5223, dport: 40000, payload: 'kakao' });
const FRAME = concat(hex`
  00 00               # packet type: sent to us
  00 01               # ARPHRD_ETHER
  00 06               # link-layer address length 6
  00 11 22 33 44 55 00 00   # address, padded to 8
  08 00               # protocol: IPv4
`, IP);

describe('Linux cooked capture v1 (LINKTYPE_LINUX_SLL)', () => {
  it('decodes IPv4 after the 16-byte header', () => {
    const d = decodeFrame(FRAME, LinkType.LINUX_SLL);
    expect(d.status).toBe(DecodeStatus.ok);
    expect([d.view.srcPort, d.view.dstPort]).toEqual([5223, 40000]);
  });

  it('decodes IPv6 and VLAN-tagged protocols', () => {
    const v6 = buildTcpPacket({ linkType: LinkType.LINUX_SLL, src: '::1', dst: '::2', sport: 1, dport: 2 });
    expect(decodeFrame(v6, LinkType.LINUX_SLL).view.ipVersion).toBe(6);
    const tagged = concat(FRAME.subarray(0, 14), hex`81 00 00 05 08 00`, IP);
    expect(decodeFrame(tagged, LinkType.LINUX_SLL).status).toBe(DecodeStatus.ok);
  });

  it('non-IP protocols (802.2 LLC 0x0004, ARP) are not IP', () => {
    expect(decodeFrame(concat(FRAME.subarray(0, 14), hex`00 04`, IP), LinkType.LINUX_SLL).status).toBe(DecodeStatus.notIp);
    expect(decodeFrame(concat(FRAME.subarray(0, 14), hex`08 06`, IP), LinkType.LINUX_SLL).status).toBe(DecodeStatus.notIp);
  });

  behavesLikeADecoder(LinkType.LINUX_SLL, FRAME, 16 + 40);
});
