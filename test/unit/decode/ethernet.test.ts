import { describe, expect, it } from 'vitest';
import { LinkType } from '../../../src/capture/packet-record.js';
import { DecodeStatus, TcpFlag } from '../../../src/decode/packet-view.js';
import { buildTcpPacket, concat, hex, ipWords } from '../../helpers/packet-builder.js';
import { behavesLikeADecoder, decodeFrame, payloadOf } from './support.js';

/** Ethernet II / IPv4 / TCP (PSH|ACK) with 4 payload bytes. */
const FRAME = hex`
  # Ethernet
  00 11 22 33 44 55   # destination MAC
  66 77 88 99 aa bb   # source MAC
  08 00               # EtherType IPv4
  # IPv4
  45 00 00 2c         # version 4, IHL 5, DSCP 0, total length 44
  12 34 40 00         # id 0x1234, DF, fragment offset 0
  40 06 00 00         # TTL 64, protocol TCP, checksum (not verified)
  c0 a8 00 01         # source 192.168.0.1
  0a 00 00 02         # destination 10.0.0.2
  # TCP
  c3 50 01 bb         # source port 50000, destination port 443
  80 00 00 01         # sequence number 0x80000001
  ff ff ff fe         # acknowledgment number 0xfffffffe
  50 18 72 10         # data offset 5, flags PSH|ACK, window
  00 00 00 00         # checksum, urgent pointer
  16 03 01 00         # payload
`;

describe('Ethernet II → IPv4 → TCP (hand-built frame)', () => {
  const d = decodeFrame(FRAME, LinkType.EN10MB);
  it('status ok', () => expect(d.status).toBe(DecodeStatus.ok));
  it('IP version 4', () => expect(d.view.ipVersion).toBe(4));
  it('source address word', () => expect([d.view.src0, d.view.src1, d.view.src2, d.view.src3]).toEqual([0xc0a80001, 0, 0, 0]));
  it('destination address word', () => expect([d.view.dst0, d.view.dst1, d.view.dst2, d.view.dst3]).toEqual([0x0a000002, 0, 0, 0]));
  it('ports', () => expect([d.view.srcPort, d.view.dstPort]).toEqual([50000, 443]));
  it('sequence and acknowledgment numbers are unsigned', () => expect([d.view.seq, d.view.ack]).toEqual([0x80000001, 0xfffffffe]));
  it('flags', () => expect(d.view.flags).toBe(TcpFlag.PSH | TcpFlag.ACK));
  it('payload offsets point into the record buffer', () => {
    expect(d.view.data).toBe(d.rec.data);
    expect([d.view.payloadStart, d.view.payloadEnd]).toEqual([54, 58]);
    expect(payloadOf(d)).toEqual([0x16, 0x03, 0x01, 0x00]);
  });
  it('nothing missing', () => expect(d.view.payloadMissing).toBe(0));
});

describe('Ethernet: shared decoder behaviour', () => {
  behavesLikeADecoder(LinkType.EN10MB, FRAME, 54);
});

describe('Ethernet: tags, PPPoE, LLC/SNAP, padding', () => {
  const base = { src: '10.1.1.1', dst: '10.2.2.2', sport: 1234, dport: 443, seq: 7, payload: 'hello' };

  it('802.1Q tag', () => {
    const f = buildTcpPacket({ ...base, vlan: 100 });
    expect(f[12] << 8 | f[13]).toBe(0x8100);
    const d = decodeFrame(f, LinkType.EN10MB);
    expect(d.status).toBe(DecodeStatus.ok);
    expect(payloadOf(d)).toEqual([...new TextEncoder().encode('hello')]);
  });

  it('QinQ: 802.1ad outer + 802.1Q inner, and the pre-standard 0x9100 outer tag', () => {
    const f = buildTcpPacket({ ...base, vlan: [10, 20] });
    expect(decodeFrame(f, LinkType.EN10MB).view.srcPort).toBe(1234);
    const old = f.slice();
    old[12] = 0x91; old[13] = 0x00;
    const d = decodeFrame(old, LinkType.EN10MB);
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.view.src0).toBe(ipWords('10.1.1.1')[0]);
  });

  it('PPPoE session over QinQ (0x8864 → PPP 0x0021 IPv4) and over Ethernet with IPv6 (0x0057)', () => {
    const v4 = decodeFrame(buildTcpPacket({ ...base, vlan: [1, 2], pppoe: true }), LinkType.EN10MB);
    expect(v4.status).toBe(DecodeStatus.ok);
    expect(payloadOf(v4)).toHaveLength(5);
    const v6 = decodeFrame(buildTcpPacket({ ...base, src: 'fe80::1', dst: 'fe80::2', pppoe: true }), LinkType.EN10MB);
    expect(v6.status).toBe(DecodeStatus.ok);
    expect(v6.view.ipVersion).toBe(6);
  });

  it('PPPoE: discovery stage and non-IP PPP protocols are not IP', () => {
    const f = buildTcpPacket({ ...base, pppoe: true });
    const disc = f.slice(); disc[15] = 0x09; // PADI code
    expect(decodeFrame(disc, LinkType.EN10MB).status).toBe(DecodeStatus.notIp);
    const lcp = f.slice(); lcp[20] = 0xc0; lcp[21] = 0x21; // PPP LCP
    expect(decodeFrame(lcp, LinkType.EN10MB).status).toBe(DecodeStatus.notIp);
  });

  it('802.3 length + LLC/SNAP carrying IPv4', () => {
    const ip = FRAME.subarray(14);
    const f = concat(FRAME.subarray(0, 12), hex`00 34  aa aa 03 00 00 00 08 00`, ip);
    const d = decodeFrame(f, LinkType.EN10MB);
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.view.dstPort).toBe(443);
    const llc = concat(FRAME.subarray(0, 12), hex`00 34  42 42 03 00 00 00 00 00`, ip); // STP
    expect(decodeFrame(llc, LinkType.EN10MB).status).toBe(DecodeStatus.notIp);
  });

  it('ARP and unknown EtherTypes are not IP', () => {
    const f = FRAME.slice(); f[12] = 0x08; f[13] = 0x06;
    expect(decodeFrame(f, LinkType.EN10MB).status).toBe(DecodeStatus.notIp);
  });

  it('drops Ethernet padding of a minimum-size frame (SYN in 60 bytes)', () => {
    const f = buildTcpPacket({ ...base, payload: undefined, flags: TcpFlag.SYN, padTo: 60 });
    expect(f.length).toBe(60);
    const d = decodeFrame(f, LinkType.EN10MB);
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.view.payloadEnd - d.view.payloadStart).toBe(0);
    expect(d.view.flags).toBe(TcpFlag.SYN);
  });

  it('a tag cut by the snaplen is truncated; too many stacked tags is a bad header', () => {
    const f = buildTcpPacket({ ...base, vlan: [1, 2, 3] });
    expect(decodeFrame(f, LinkType.EN10MB, { caplen: 20, origlen: f.length }).status).toBe(DecodeStatus.truncated);
    const tags = concat(FRAME.subarray(0, 12), ...new Array(12).fill(hex`81 00 00 01`), FRAME.subarray(12));
    expect(decodeFrame(tags, LinkType.EN10MB).status).toBe(DecodeStatus.badHeader);
  });
});
