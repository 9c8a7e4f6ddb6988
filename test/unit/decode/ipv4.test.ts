import { describe, expect, it } from 'vitest';
import { LinkType } from '../../../src/capture/packet-record.js';
import { decodeIpv4 } from '../../../src/decode/ipv4.js';
import { DecodeStatus, newPacketView } from '../../../src/decode/packet-view.js';
import { buildIpv4, buildTcpSegment, concat, hex, parseIp } from '../../helpers/packet-builder.js';
import { behavesLikeADecoder, decodeFrame, payloadOf } from './support.js';

/** LINKTYPE_IPV4 (228) datagram with a 4-byte IP option (IHL 6) and 3 payload bytes. */
const DATAGRAM = hex`
  46 00 00 2f         # version 4, IHL 6 (24 bytes), total length 47
  00 01 00 00         # id 1, no flags, offset 0
  40 06 00 00         # TTL 64, TCP, checksum
  7f 00 00 01         # 127.0.0.1
  7f 00 00 02         # 127.0.0.2
  94 04 00 00         # option: Router Alert (RFC 2113)
  00 50 d4 31         # TCP 80 → 54321
  00 00 00 64         # seq 100
  00 00 00 00         # ack 0
  50 02 ff ff         # data offset 5, SYN
  00 00 00 00
  61 62 63            # payload "abc"
`;

const seg = (payload: Uint8Array) => buildTcpSegment({ sport: 1, dport: 2 }, payload, parseIp('1.1.1.1'), parseIp('2.2.2.2'));
const ip = (o: Partial<Parameters<typeof buildIpv4>[0]>, payload = seg(hex`01 02 03 04`)) => buildIpv4({ src: '1.1.1.1', dst: '2.2.2.2', ...o }, payload);

describe('IPv4 (RFC 791)', () => {
  it('skips options (IHL 6) to reach TCP', () => {
    const d = decodeFrame(DATAGRAM, LinkType.IPV4);
    expect(d.status).toBe(DecodeStatus.ok);
    expect([d.view.srcPort, d.view.dstPort, d.view.seq]).toEqual([80, 54321, 100]);
    expect([d.view.src0, d.view.dst0]).toEqual([0x7f000001, 0x7f000002]);
    expect(payloadOf(d)).toEqual([0x61, 0x62, 0x63]);
  });

  it('trims to Total Length (bytes after the datagram are not payload)', () => {
    const d = decodeFrame(concat(ip({}), hex`de ad be ef`), LinkType.IPV4);
    expect(payloadOf(d)).toEqual([1, 2, 3, 4]);
  });

  it('Total Length 0 (TSO): uses the captured length, origlen beyond it is missing', () => {
    const p = ip({ totalLength: 0 });
    const d = decodeFrame(p, LinkType.IPV4, { origlen: p.length + 1000 });
    expect(d.status).toBe(DecodeStatus.ok);
    expect(payloadOf(d)).toEqual([1, 2, 3, 4]);
    expect(d.view.payloadMissing).toBe(1000);
  });

  it('Total Length beyond a fully captured frame is malformed, not missing data', () => {
    const p = ip({ totalLength: 100 });
    const d = decodeFrame(p, LinkType.IPV4);
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.view.payloadMissing).toBe(0);
    expect(payloadOf(d)).toEqual([1, 2, 3, 4]);
  });

  it('fragments: MF set or offset ≠ 0 → fragment (addresses still filled)', () => {
    const mf = decodeFrame(ip({ fragWord: 0x2000 }), LinkType.IPV4);
    expect(mf.status).toBe(DecodeStatus.fragment);
    expect(mf.view.src0).toBe(0x01010101);
    expect(decodeFrame(ip({ fragWord: 0x0010 }), LinkType.IPV4).status).toBe(DecodeStatus.fragment);
    expect(decodeFrame(ip({ fragWord: 0x4000 }), LinkType.IPV4).status).toBe(DecodeStatus.ok); // DF only
  });

  it('other protocols are not TCP', () => {
    expect(decodeFrame(ip({ protocol: 17 }), LinkType.IPV4).status).toBe(DecodeStatus.notTcp);
  });

  it('bad headers: wrong version, IHL < 5, Total Length < IHL', () => {
    const v = ip({}); v[0] = 0x55;
    expect(decodeFrame(v, LinkType.IPV4).status).toBe(DecodeStatus.badHeader);
    const ihl = ip({}); ihl[0] = 0x44;
    expect(decodeFrame(ihl, LinkType.IPV4).status).toBe(DecodeStatus.badHeader);
    expect(decodeFrame(ip({ totalLength: 19 }), LinkType.IPV4).status).toBe(DecodeStatus.badHeader);
  });

  it('options longer than the capture are truncated', () => {
    const p = ip({ options: new Uint8Array(40) });
    expect(decodeFrame(p, LinkType.IPV4, { caplen: 30, origlen: p.length }).status).toBe(DecodeStatus.truncated);
  });
});

describe('IPv4: the header checks come before the protocol is looked at', () => {
  const udp = (o: Partial<Parameters<typeof buildIpv4>[0]> = {}, payload = hex`00 35 00 35 00 0c 00 00 01 02 03 04`) => ip({ protocol: 17, ...o }, payload);

  it('fewer than 20 bytes: truncated when none or of version 4, a bad header when of another version', () => {
    const view = newPacketView();
    expect(decodeIpv4(hex`45 00 00 28 00 01 40 00 40 06`, 0, 10, 0, view)).toBe(DecodeStatus.truncated);
    expect(decodeIpv4(hex`60 00 00 00 00 14 06 40 20 01`, 0, 10, 0, view)).toBe(DecodeStatus.badHeader);
    // nothing left of the datagram: truncated, whatever byte follows in the buffer
    expect(decodeIpv4(hex`45 00 60 00`, 2, 2, 0, view)).toBe(DecodeStatus.truncated);
  });

  it('a 20-byte datagram of another protocol is not TCP; a 20-byte TCP datagram has no room for its header', () => {
    expect(decodeFrame(udp({}, new Uint8Array(0)), LinkType.IPV4).status).toBe(DecodeStatus.notTcp);
    expect(decodeFrame(ip({}, new Uint8Array(0)), LinkType.IPV4).status).toBe(DecodeStatus.badHeader);
  });

  it('IHL < 5 and Total Length < IHL are bad headers whatever the protocol', () => {
    for (const vhl of [0x40, 0x41, 0x44]) {
      const p = udp(); p[0] = vhl;
      expect(decodeFrame(p, LinkType.IPV4).status, `first byte ${vhl}`).toBe(DecodeStatus.badHeader);
    }
    expect(decodeFrame(udp({ totalLength: 19 }), LinkType.IPV4).status).toBe(DecodeStatus.badHeader);
    expect(decodeFrame(udp({ totalLength: 20 }), LinkType.IPV4).status).toBe(DecodeStatus.notTcp);
  });

  it('options cut by the snaplen are truncated whatever the protocol, wherever the datagram sits in the buffer', () => {
    const p = udp({ options: new Uint8Array(40) });
    for (const lead of [0, 100]) {
      expect(decodeFrame(p, LinkType.IPV4, { caplen: 30, origlen: p.length, lead }).status, `lead ${lead}`).toBe(DecodeStatus.truncated);
    }
  });

  it('a snaplen cut of a padded frame: only the datagram\'s own uncaptured bytes are missing', () => {
    const datagram = ip({}, seg(hex`01 02 03 04 05 06 07 08`));
    const frame = concat(datagram, new Uint8Array(10));
    const d = decodeFrame(frame, LinkType.IPV4, { caplen: datagram.length - 3, origlen: frame.length });
    expect(d.status).toBe(DecodeStatus.ok);
    expect(payloadOf(d)).toEqual([1, 2, 3, 4, 5]);
    expect(d.view.payloadMissing).toBe(3);
  });
});

describe('IPv4: shared decoder behaviour', () => {
  behavesLikeADecoder(LinkType.IPV4, DATAGRAM, 44);
});
