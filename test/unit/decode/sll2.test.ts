import { describe, expect, it } from 'vitest';
import { LinkType } from '../../../src/capture/packet-record.js';
import { DecodeStatus } from '../../../src/decode/packet-view.js';
import { buildTcpPacket, concat, hex } from '../../helpers/packet-builder.js';
import { behavesLikeADecoder, decodeFrame } from './support.js';

const IP = buildTcpPacket({ linkType: LinkType.RAW, src: '2001:db8::a', dst: '2001:db8::b', sport: 443, dport: 51000, payload: 'x' });
/** Linux cooked v2 header (20 bytes) + IPv6/TCP. */
const FRAME = concat(hex`
  86 dd               # protocol: IPv6
  00 00               # reserved
  00 00 00 03         # interface index 3
  00 01               # ARPHRD_ETHER
  04                  # packet type: outgoing
  06                  # link-layer address length 6
  00 11 22 33 44 55 00 00   # address, padded to 8
`, IP);

describe('Linux cooked capture v2 (LINKTYPE_LINUX_SLL2)', () => {
  it('decodes IPv6 after the 20-byte header', () => {
    const d = decodeFrame(FRAME, LinkType.LINUX_SLL2);
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.view.ipVersion).toBe(6);
    expect(d.view.srcPort).toBe(443);
  });

  it('a non-IP protocol is not IP', () => {
    const f = FRAME.slice(); f[0] = 0x08; f[1] = 0x06;
    expect(decodeFrame(f, LinkType.LINUX_SLL2).status).toBe(DecodeStatus.notIp);
  });

  behavesLikeADecoder(LinkType.LINUX_SLL2, FRAME, 20 + 60);
});
