import { describe, expect, it } from 'vitest';
import { LinkType } from '../../../src/capture/packet-record.js';
import { DecodeStatus } from '../../../src/decode/packet-view.js';
import { buildTcpPacket } from '../../helpers/packet-builder.js';
import { behavesLikeADecoder, decodeFrame } from './support.js';

const V4 = buildTcpPacket({ linkType: LinkType.RAW, src: '198.51.100.1', dst: '198.51.100.2', sport: 1, dport: 443, payload: 'tls' });
const V6 = buildTcpPacket({ linkType: LinkType.RAW, src: '2001:db8::1', dst: '2001:db8::2', sport: 1, dport: 443, payload: 'tls' });

describe('raw IP link types', () => {
  it.each([LinkType.RAW, LinkType.RAW_OPENBSD, LinkType.RAW_BSDOS])('LINKTYPE %i: IPv4 and IPv6 by version nibble', (lt) => {
    expect(decodeFrame(V4, lt).view.ipVersion).toBe(4);
    expect(decodeFrame(V6, lt).view.ipVersion).toBe(6);
    expect(decodeFrame(V6, lt).status).toBe(DecodeStatus.ok);
  });

  it('LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229) accept only their version', () => {
    expect(decodeFrame(V4, LinkType.IPV4).status).toBe(DecodeStatus.ok);
    expect(decodeFrame(V6, LinkType.IPV6).status).toBe(DecodeStatus.ok);
    expect(decodeFrame(V6, LinkType.IPV4).status).toBe(DecodeStatus.badHeader);
    expect(decodeFrame(V4, LinkType.IPV6).status).toBe(DecodeStatus.badHeader);
  });

  it('another version nibble is not IP', () => {
    const f = V4.slice(); f[0] = 0x55;
    expect(decodeFrame(f, LinkType.RAW).status).toBe(DecodeStatus.notIp);
  });

  behavesLikeADecoder(LinkType.RAW, V4, 40);
  behavesLikeADecoder(LinkType.RAW, V6, 60);
});
