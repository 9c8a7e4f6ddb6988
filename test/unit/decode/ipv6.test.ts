import { describe, expect, it } from 'vitest';
import { LinkType } from '../../../src/capture/packet-record.js';
import { decodeIpv6 } from '../../../src/decode/ipv6.js';
import { DecodeStatus, newPacketView } from '../../../src/decode/packet-view.js';
import { buildIpv6, buildTcpSegment, concat, hex, ipWords, parseIp } from '../../helpers/packet-builder.js';
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

describe('IPv6: header and extension-header bounds', () => {
  const udp = hex`00 35 00 35 00 0c 00 00 01 02 03 04`;

  it('every word of both addresses, wherever the packet sits in the buffer', () => {
    const src = '2001:db8:1:2:3:4:5:6', dst = 'fd00:a:b:c:d:e:f:10';
    const p = buildIpv6({ src, dst }, buildTcpSegment({ sport: 443, dport: 50000 }, hex`aa`, parseIp(src), parseIp(dst)));
    const d = decodeFrame(p, LinkType.IPV6, { lead: 5 });
    expect(d.status).toBe(DecodeStatus.ok);
    expect([d.view.src0, d.view.src1, d.view.src2, d.view.src3]).toEqual(ipWords(src));
    expect([d.view.dst0, d.view.dst1, d.view.dst2, d.view.dst3]).toEqual(ipWords(dst));
  });

  it('fewer than 40 bytes: truncated when none or of version 6, a bad header when of another version', () => {
    const view = newPacketView();
    expect(decodeIpv6(hex`60 00 00 00 00 14 06 40 20 01`, 0, 10, 0, view)).toBe(DecodeStatus.truncated);
    expect(decodeIpv6(hex`45 00 00 28 00 01 40 00 40 06`, 0, 10, 0, view)).toBe(DecodeStatus.badHeader);
    expect(decodeIpv6(hex`60 00 45 00`, 2, 2, 0, view)).toBe(DecodeStatus.truncated);
  });

  it('a header cut by the snaplen is truncated whatever the next header, wherever the packet sits in the buffer', () => {
    const p = v6({ protocol: 17 }, udp);
    for (const lead of [0, 100]) {
      expect(decodeFrame(p, LinkType.IPV6, { caplen: 30, origlen: p.length, lead }).status, `lead ${lead}`).toBe(DecodeStatus.truncated);
    }
  });

  it('walks Mobility (135), HIP (139) and Shim6 (140) headers too', () => {
    for (const type of [135, 139, 140]) {
      const d = decodeFrame(v6({ extensions: [{ type }] }), LinkType.IPV6);
      expect(d.status, `header ${type}`).toBe(DecodeStatus.ok);
      expect(payloadOf(d)).toEqual([0xaa, 0xbb, 0xcc]);
    }
    expect(decodeFrame(v6({ extensions: [{ type: 135 }, { type: 139 }, { type: 140 }, { type: 0 }] }), LinkType.IPV6).status).toBe(DecodeStatus.ok);
  });

  it('at most 16 headers before TCP: 15 extension headers are walked, 16 are a bad header', () => {
    const chain = (n: number) => v6({ extensions: Array.from({ length: n }, () => ({ type: 60 })) });
    expect(decodeFrame(chain(15), LinkType.IPV6).status).toBe(DecodeStatus.ok);
    expect(decodeFrame(chain(16), LinkType.IPV6).status).toBe(DecodeStatus.badHeader);
  });

  it('Payload Length beyond a fully captured frame is malformed, not missing data', () => {
    const p = v6({ payloadLength: 200 });
    const d = decodeFrame(p, LinkType.IPV6);
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.view.payloadMissing).toBe(0);
    expect(payloadOf(d)).toEqual([0xaa, 0xbb, 0xcc]);
    const e = decodeFrame(p, LinkType.IPV6, { origlen: p.length + 5 });
    expect(e.view.payloadMissing).toBe(5);
  });

  it('a snaplen cut of a padded frame: only the packet\'s own uncaptured bytes are missing', () => {
    const packet = v6();
    const frame = concat(packet, new Uint8Array(10));
    const d = decodeFrame(frame, LinkType.IPV6, { caplen: packet.length - 2, origlen: frame.length });
    expect(d.status).toBe(DecodeStatus.ok);
    expect(payloadOf(d)).toEqual([0xaa]);
    expect(d.view.payloadMissing).toBe(2);
  });

  it('a Fragment header cut by the Payload Length is a bad header, by the snaplen truncated; a first fragment without data is a fragment', () => {
    const first = v6({ extensions: [{ type: 44, body: hex`00 01 00 00 00 07` }] }); // M = 1
    const short = first.slice(); short[4] = 0; short[5] = 4; // the packet ends inside the Fragment header
    expect(decodeFrame(short, LinkType.IPV6).status).toBe(DecodeStatus.badHeader);
    expect(decodeFrame(first, LinkType.IPV6, { caplen: 44, origlen: first.length }).status).toBe(DecodeStatus.truncated);
    const bare = first.slice(0, 48); bare[4] = 0; bare[5] = 8;
    expect(decodeFrame(bare, LinkType.IPV6).status).toBe(DecodeStatus.fragment);
  });

  it('an extension header cut by the Payload Length is a bad header; one exactly filling the packet is walked', () => {
    const view = newPacketView();
    const bare = v6({ extensions: [{ type: 0 }] }).slice(0, 40); // Next Header Hop-by-Hop, nothing after
    bare[4] = 0; bare[5] = 0;
    expect(decodeIpv6(bare, 0, 40, 0, view)).toBe(DecodeStatus.badHeader);
    const one = v6({ extensions: [{ type: 0 }] }); one[4] = 0; one[5] = 1; // one byte of it in the packet
    expect(decodeFrame(one, LinkType.IPV6).status).toBe(DecodeStatus.badHeader);
    expect(decodeFrame(v6({ extensions: [{ type: 60 }], protocol: 59 }, new Uint8Array(0)), LinkType.IPV6).status).toBe(DecodeStatus.notTcp);
  });

  it('an extension header longer than the packet is a bad header whatever follows it', () => {
    const p = v6({ extensions: [{ type: 60 }], protocol: 17 }, udp);
    p[41] = 200;
    expect(decodeFrame(p, LinkType.IPV6).status).toBe(DecodeStatus.badHeader);
    const q = v6({ extensions: [{ type: 60 }], protocol: 17 }, new Uint8Array(0)); // 8 bytes of header in the packet
    q[41] = 1; // ... which says 16
    expect(decodeFrame(q, LinkType.IPV6).status).toBe(DecodeStatus.badHeader);
  });
});

describe('IPv6: shared decoder behaviour', () => {
  behavesLikeADecoder(LinkType.IPV6, PACKET, 68);
});
