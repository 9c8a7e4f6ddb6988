import { describe, expect, it } from 'vitest';
import { LinkType } from '../../../src/capture/packet-record.js';
import { DECODABLE_LINK_TYPES } from '../../../src/decode/link.js';
import { DecodeStatus } from '../../../src/decode/packet-view.js';
import { buildTcpPacket, concat, hex } from '../../helpers/packet-builder.js';
import { behavesLikeADecoder, decodeFrame } from './support.js';

const base = { src: '10.0.0.1', dst: '10.0.0.2', sport: 1000, dport: 443, payload: 'p' };
const IP = buildTcpPacket({ ...base, linkType: LinkType.RAW });

describe('decodePacket dispatch', () => {
  it('an unknown link type is a status, not an exception', () => {
    expect(decodeFrame(IP, 127).status).toBe(DecodeStatus.unsupportedLink); // radiotap
    expect(decodeFrame(IP, 0xffff).status).toBe(DecodeStatus.unsupportedLink);
  });

  it('every advertised link type decodes a frame built for it', () => {
    const built: Record<number, Uint8Array> = {
      [LinkType.PPP_ETHER]: buildTcpPacket({ ...base, linkType: LinkType.PPP_ETHER, pppoe: true }),
      9: concat(hex`ff 03 00 21`, IP),
      50: concat(hex`00 21`, IP),
      [LinkType.IPV6]: buildTcpPacket({ ...base, src: '::1', dst: '::2', linkType: LinkType.IPV6 }),
    };
    for (const lt of DECODABLE_LINK_TYPES) {
      const f = built[lt] ?? buildTcpPacket({ ...base, linkType: lt });
      expect(decodeFrame(f, lt).status, `link type ${lt}`).toBe(DecodeStatus.ok);
    }
  });

  it('PPP with a compressed (1-byte) protocol field', () => {
    expect(decodeFrame(concat(hex`21`, IP), 9).status).toBe(DecodeStatus.ok);
  });

  it('clamps a caplen that runs past the buffer', () => {
    const d = decodeFrame(IP, LinkType.RAW, { caplen: IP.length + 1000, origlen: IP.length + 1000 });
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.view.payloadEnd).toBeLessThanOrEqual(d.rec.data.length);
  });

  behavesLikeADecoder(LinkType.PPP_ETHER, buildTcpPacket({ ...base, linkType: LinkType.PPP_ETHER, pppoe: true }), 8 + 40);
});
