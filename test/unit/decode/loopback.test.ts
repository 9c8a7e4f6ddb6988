import { describe, expect, it } from 'vitest';
import { LinkType } from '../../../src/capture/packet-record.js';
import { DecodeStatus } from '../../../src/decode/packet-view.js';
import { buildTcpPacket, concat, hex, u32be, u32le } from '../../helpers/packet-builder.js';
import { behavesLikeADecoder, decodeFrame } from './support.js';

const V4 = buildTcpPacket({ linkType: LinkType.RAW, src: '127.0.0.1', dst: '127.0.0.1', sport: 8081, dport: 50000, payload: 'ab' });
const V6 = buildTcpPacket({ linkType: LinkType.RAW, src: '::1', dst: '::1', sport: 8081, dport: 50000, payload: 'ab' });

/** LINKTYPE_NULL written on a little-endian host: AF_INET = 2. */
const FRAME = concat(hex`02 00 00 00   # address family 2 (AF_INET), host byte order (LE)`, V4);

describe('BSD loopback (LINKTYPE_NULL / LINKTYPE_LOOP)', () => {
  it.each([
    ['NULL', LinkType.NULL], ['LOOP', LinkType.LOOP],
  ])('%s: AF_INET in both byte orders', (_n, lt) => {
    expect(decodeFrame(concat(u32le(2), V4), lt).status).toBe(DecodeStatus.ok);
    expect(decodeFrame(concat(u32be(2), V4), lt).status).toBe(DecodeStatus.ok);
  });

  it.each([24, 28, 30, 10, 23])('AF_INET6 value %i in both byte orders', (af) => {
    for (const hdr of [u32le(af), u32be(af)]) {
      const d = decodeFrame(concat(hdr, V6), LinkType.NULL);
      expect(d.status).toBe(DecodeStatus.ok);
      expect(d.view.ipVersion).toBe(6);
    }
  });

  it('other address families are not IP', () => {
    expect(decodeFrame(concat(u32le(7), V4), LinkType.NULL).status).toBe(DecodeStatus.notIp);
    expect(decodeFrame(concat(u32le(0x12345678), V4), LinkType.NULL).status).toBe(DecodeStatus.notIp);
  });

  behavesLikeADecoder(LinkType.NULL, FRAME, 4 + 40);
});
