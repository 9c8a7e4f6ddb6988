import { describe, expect, it } from 'vitest';
import { LinkType } from '../../../src/capture/packet-record.js';
import { DecodeStatus } from '../../../src/decode/packet-view.js';
import { buildIpv6, buildTcpSegment, hex, ipWords, parseIp } from '../../helpers/packet-builder.js';
import { behavesLikeADecoder, decodeFrame, payloadOf } from './support.js';

/** LINKTYPE_IPV6 (229) packet: Hop-by-Hop options (8 bytes), then TCP with 2 payload bytes. */
const PACKET = hex`
  60 00 00 00                      # version 6, traffic class 0, flow label 0
  00 1e 00 40                      # payload length 30, next header Hop-by-Hop (0), hop limit 64
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # 2001:db8::1
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # 2001:db8::2
  06 00 01 04 00 00 00 00          # Hop-by-Hop: next TCP, length 0 (8 bytes), PadN
  01 bb c3 50                      # TCP 443 → 50000
  00 00 00 01  00 00 00 02         # seq 1, ack 2
  50 10 10 00  00 00 00 00         # data offset 5, ACK
  0a 0b                            # payload
`;

const SRC = '2001:db8::1', DST = '2001:db8::2';
const seg = buildTcpSegment({ sport: 443, dport: 50000 }, hex`aa bb cc`, parseIp(SRC), parseIp(DST));
const v6 = (o: Partial<Parameters<typeof buildIpv6>[0]> = {}, payload = seg) => buildIpv6({ src: SRC, dst: DST, ...o }, payload);

describe('IPv6 (RFC 8200)', () => {
  it('decodes the hand-built packet through the Hop-by-Hop header', () => {
    const d = decodeFrame(PACKET, LinkType.IPV6);
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.view.ipVersion).toBe(6);
    expect([d.view.src0, d.view.src1, d.view.src2, d.view.src3]).toEqual(ipWords(SRC));
    expect([d.view.dst0, d.view.dst1, d.view.dst2, d.view.dst3]).toEqual(ipWords(DST));
    expect([d.view.srcPort, d.view.dstPort, d.view.seq, d.view.ack]).toEqual([443, 50000, 1, 2]);
    expect(payloadOf(d)).toEqual([0x0a, 0x0b]);
  });

  it('walks hop-by-hop, routing, destination options and AH', () => {
    const p = v6({ extensions: [{ type: 0 }, { type: 43, body: new Uint8Array(14) }, { type: 60 }, { type: 51 }] });
    const d = decodeFrame(p, LinkType.IPV6);
    expect(d.status).toBe(DecodeStatus.ok);
    expect(payloadOf(d)).toEqual([0xaa, 0xbb, 0xcc]);
  });

  it('an atomic fragment (offset 0, M = 0) is decoded; a real fragment is reported', () => {
    expect(decodeFrame(v6({ extensions: [{ type: 44 }] }), LinkType.IPV6).status).toBe(DecodeStatus.ok);
    const first = v6({ extensions: [{ type: 44, body: hex`00 01 00 00 00 07` }] }); // M = 1
    expect(decodeFrame(first, LinkType.IPV6).status).toBe(DecodeStatus.fragment);
    const later = v6({ extensions: [{ type: 44, body: hex`00 a8 00 00 00 07` }] }); // offset 21
    expect(decodeFrame(later, LinkType.IPV6).status).toBe(DecodeStatus.fragment);
  });

  it('UDP and No Next Header are not TCP', () => {
    expect(decodeFrame(v6({ protocol: 17 }), LinkType.IPV6).status).toBe(DecodeStatus.notTcp);
    expect(decodeFrame(v6({ protocol: 59 }, new Uint8Array(0)), LinkType.IPV6).status).toBe(DecodeStatus.notTcp);
  });

  it('an extension header longer than the packet is a bad header', () => {
    const p = v6({ extensions: [{ type: 60 }] });
    p[41] = 200; // hdr ext len → 1608 bytes
    expect(decodeFrame(p, LinkType.IPV6).status).toBe(DecodeStatus.badHeader);
  });

  it('payload length 0 (jumbogram/TSO) uses the captured length', () => {
    const p = v6({ payloadLength: 0 });
    const d = decodeFrame(p, LinkType.IPV6, { origlen: p.length + 10 });
    expect(d.status).toBe(DecodeStatus.ok);
    expect(payloadOf(d)).toEqual([0xaa, 0xbb, 0xcc]);
    expect(d.view.payloadMissing).toBe(10);
  });

  it('wrong version is a bad header', () => {
    const p = v6(); p[0] = 0x40;
    expect(decodeFrame(p, LinkType.IPV6).status).toBe(DecodeStatus.badHeader);
  });
});

describe('IPv6: shared decoder behaviour', () => {
  behavesLikeADecoder(LinkType.IPV6, PACKET, 68);
});
