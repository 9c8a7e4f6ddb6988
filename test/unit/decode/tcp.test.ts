import { describe, expect, it } from 'vitest';
import { LinkType } from '../../../src/capture/packet-record.js';
import { DecodeStatus, TcpFlag, newPacketView } from '../../../src/decode/packet-view.js';
import { decodeTcp } from '../../../src/decode/tcp.js';
import { buildTcpPacket, hex } from '../../helpers/packet-builder.js';
import { decodeFrame, payloadOf } from './support.js';

const base = { linkType: LinkType.RAW, src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 8443 };

describe('TCP (RFC 9293)', () => {
  it('skips options using the data offset (MSS, SACK-permitted, timestamps, window scale)', () => {
    const opts = hex`02 04 05 b4  04 02  08 0a 00 00 00 01 00 00 00 00  01  03 03 07`;
    const f = buildTcpPacket({ ...base, flags: TcpFlag.SYN, tcpOptions: opts, payload: 'xyz' });
    const d = decodeFrame(f, LinkType.RAW);
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.view.payloadStart).toBe(20 + 20 + 20);
    expect(payloadOf(d)).toEqual([0x78, 0x79, 0x7a]);
  });

  it('copies every flag bit (FIN SYN RST PSH ACK URG ECE CWR)', () => {
    for (const flags of [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x12, 0x11]) {
      expect(decodeFrame(buildTcpPacket({ ...base, flags }), LinkType.RAW).view.flags).toBe(flags);
    }
  });

  it('a data offset below 5 words is a bad header', () => {
    const f = buildTcpPacket({ ...base, payload: 'abcd' });
    f[20 + 12] = 0x40;
    expect(decodeFrame(f, LinkType.RAW).status).toBe(DecodeStatus.badHeader);
  });

  it('a data offset past the end of the datagram is a bad header; past the snaplen is truncated', () => {
    const f = buildTcpPacket({ ...base, payload: 'abcd' });
    f[20 + 12] = 0xf0; // 60-byte header, datagram has 24 TCP bytes
    expect(decodeFrame(f, LinkType.RAW).status).toBe(DecodeStatus.badHeader);
    const g = buildTcpPacket({ ...base, tcpOptions: new Uint8Array(20), payload: 'abcd' });
    expect(decodeFrame(g, LinkType.RAW, { caplen: 45, origlen: g.length }).status).toBe(DecodeStatus.truncated);
  });

  it('a datagram too short for a TCP header is a bad header', () => {
    const f = buildTcpPacket(base).subarray(0, 30);
    f[3] = 30; // total length 30
    expect(decodeFrame(f, LinkType.RAW).status).toBe(DecodeStatus.badHeader);
  });

  it('an empty payload has payloadStart === payloadEnd', () => {
    const d = decodeFrame(buildTcpPacket(base), LinkType.RAW);
    expect(d.view.payloadStart).toBe(d.view.payloadEnd);
  });

  it('fewer than 20 bytes: truncated when the snaplen cut them, a bad header when the datagram ends there (nothing read beyond)', () => {
    const view = newPacketView();
    expect(decodeTcp(hex`9c 40 20 fb 00 00 00 01 00 00`, 0, 10, 5, view)).toBe(DecodeStatus.truncated);
    expect(decodeTcp(hex`9c 40 20 fb 00 00 00 01 00 00`, 0, 10, 0, view)).toBe(DecodeStatus.badHeader);
    expect(view.srcPort).toBe(0);
  });
});
