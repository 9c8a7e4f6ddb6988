/**
 * Property tests for decodePacket (fast-check; gopacket fuzz_layer.go idea):
 * - any bytes with any link type, caplen and origlen: no exception, a known status, and when `ok`
 *   the payload range lies inside the captured bytes;
 * - build → decode round trip: generated TCP packets (IPv4/IPv6, every link type, VLAN tags, PPPoE,
 *   snaplen cuts) decode back to the same addresses, ports, numbers, flags and payload;
 * - IPv4 fragments in any order reassemble exactly once to the original segment.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkType, newPacketRecord } from '../../src/capture/packet-record.js';
import { IpReassembler } from '../../src/decode/ip-reassembly.js';
import { DECODABLE_LINK_TYPES, decodePacket } from '../../src/decode/link.js';
import { DECODE_STATUS_NAMES, DecodeStatus, newPacketView } from '../../src/decode/packet-view.js';
import { buildIpv4, buildTcpPacket, buildTcpSegment, concat, fragmentIpv4, ipWords, parseIp } from '../helpers/packet-builder.js';

const linkTypes = [...DECODABLE_LINK_TYPES, 127, 0xffff];

describe('decodePacket on arbitrary bytes', () => {
  it('never throws; ok results stay inside the captured bytes', () => {
    const rec = newPacketRecord();
    const view = newPacketView();
    fc.assert(fc.property(
      fc.constantFrom(...linkTypes), fc.uint8Array({ maxLength: 200 }), fc.nat({ max: 16 }), fc.nat({ max: 300 }), fc.nat({ max: 100_000 }),
      (lt, bytes, lead, caplenCut, extra) => {
        rec.data = concat(new Uint8Array(lead), bytes);
        rec.offset = lead;
        rec.caplen = Math.min(bytes.length, caplenCut);
        rec.origlen = rec.caplen + extra;
        rec.linkType = lt;
        const s = decodePacket(rec, view);
        expect(DECODE_STATUS_NAMES[s]).toBeDefined();
        if (s === DecodeStatus.ok) {
          expect(view.payloadStart).toBeGreaterThanOrEqual(lead);
          expect(view.payloadStart).toBeLessThanOrEqual(view.payloadEnd);
          expect(view.payloadEnd).toBeLessThanOrEqual(lead + rec.caplen);
          expect(view.payloadMissing).toBeGreaterThanOrEqual(0);
          expect(view.payloadMissing).toBeLessThanOrEqual(extra);
          expect(view.srcPort).toBeLessThan(65536);
        }
      },
    ), { numRuns: 5000 });
  });
});

describe('decodePacket on damaged valid frames', () => {
  it('random byte changes in a valid frame never throw and keep the payload in bounds', () => {
    const rec = newPacketRecord();
    const view = newPacketView();
    const frames = [
      [LinkType.EN10MB, buildTcpPacket({ src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 443, payload: 'abcdefgh', vlan: [5, 6], pppoe: true })],
      [LinkType.EN10MB, buildTcpPacket({ src: '::1', dst: '::2', sport: 1, dport: 443, payload: 'abcdefgh', ipv6Extensions: [{ type: 0 }, { type: 44 }] })],
      [LinkType.LINUX_SLL2, buildTcpPacket({ linkType: LinkType.LINUX_SLL2, src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 443, tcpOptions: new Uint8Array(12) })],
      [LinkType.NULL, buildTcpPacket({ linkType: LinkType.NULL, src: '::1', dst: '::2', sport: 1, dport: 443, payload: 'x' })],
    ] as const;
    fc.assert(fc.property(
      fc.nat(frames.length - 1), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 6 }), fc.nat(100),
      (i, flips, extra) => {
        const [lt, f0] = frames[i];
        const f = f0.slice();
        for (const [at, v] of flips) f[at % f.length] = v;
        rec.data = f; rec.offset = 0; rec.caplen = f.length; rec.origlen = f.length + extra; rec.linkType = lt;
        const s = decodePacket(rec, view);
        if (s === DecodeStatus.ok) {
          expect(view.payloadStart).toBeLessThanOrEqual(view.payloadEnd);
          expect(view.payloadEnd).toBeLessThanOrEqual(f.length);
          expect(view.payloadMissing).toBeLessThanOrEqual(extra);
        }
      },
    ), { numRuns: 5000 });
  });
});

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
const ipv6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':'));
const u32 = fc.nat().map((x) => (x * 2 + 1) >>> 0);

describe('build → decode round trip', () => {
  it('every link type, both IP versions, tags, PPPoE, options and snaplen cuts', () => {
    const view = newPacketView();
    const rec = newPacketRecord();
    fc.assert(fc.property(
      fc.record({
        linkType: fc.constantFrom(LinkType.EN10MB, LinkType.NULL, LinkType.LOOP, LinkType.RAW, LinkType.RAW_OPENBSD, LinkType.RAW_BSDOS, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.IPV4, LinkType.IPV6, LinkType.PPP_ETHER),
        v6: fc.boolean(),
        a4: fc.tuple(ipv4, ipv4), a6: fc.tuple(ipv6, ipv6),
        sport: fc.nat(65535), dport: fc.nat(65535), seq: u32, ack: u32, flags: fc.nat(255),
        payload: fc.uint8Array({ maxLength: 120 }),
        vlan: fc.array(fc.nat(4095), { maxLength: 3 }),
        pppoe: fc.boolean(),
        tcpOptWords: fc.nat(10),
        hbh: fc.boolean(),
        cut: fc.nat(120),
      }),
      (o) => {
        const v6 = o.linkType === LinkType.IPV6 || (o.linkType !== LinkType.IPV4 && o.v6);
        const [src, dst] = v6 ? o.a6 : o.a4;
        const frame = buildTcpPacket({
          linkType: o.linkType, src, dst, sport: o.sport, dport: o.dport, seq: o.seq, ack: o.ack, flags: o.flags, payload: o.payload,
          vlan: o.linkType === LinkType.EN10MB ? o.vlan : undefined,
          pppoe: o.linkType === LinkType.PPP_ETHER || (o.linkType === LinkType.EN10MB && o.pppoe),
          tcpOptions: new Uint8Array(o.tcpOptWords * 4).fill(1),
          ipv6Extensions: v6 && o.hbh ? [{ type: 0 }] : undefined,
        });
        const cut = Math.min(o.cut, o.payload.length);
        rec.data = frame;
        rec.offset = 0;
        rec.caplen = frame.length - cut;
        rec.origlen = frame.length;
        rec.linkType = o.linkType;
        expect(decodePacket(rec, view)).toBe(DecodeStatus.ok);
        expect(view.ipVersion).toBe(v6 ? 6 : 4);
        const w = (a: string) => { const x = ipWords(a); return v6 ? x : [x[0], 0, 0, 0]; };
        expect([view.src0, view.src1, view.src2, view.src3]).toEqual(w(src));
        expect([view.dst0, view.dst1, view.dst2, view.dst3]).toEqual(w(dst));
        expect([view.srcPort, view.dstPort, view.seq, view.ack, view.flags]).toEqual([o.sport, o.dport, o.seq, o.ack, o.flags]);
        expect([...frame.subarray(view.payloadStart, view.payloadEnd)]).toEqual([...o.payload.subarray(0, o.payload.length - cut)]);
        expect(view.payloadMissing).toBe(cut);
      },
    ), { numRuns: 3000 });
  });
});

describe('IPv4 reassembly', () => {
  it('any shuffle of the fragments reassembles once, to the original payload; damaged ones never throw', () => {
    const rec = newPacketRecord();
    const view = newPacketView();
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.integer({ min: 8, max: 300 }), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 3 }),
      (payload, chunk, seed, flips) => {
        const seg = buildTcpSegment({ sport: 1, dport: 2 }, payload, parseIp('10.0.0.1'), parseIp('10.0.0.2'));
        const frags = fragmentIpv4(buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', fragWord: 0 }, seg), chunk);
        const order = frags.map((f, i) => ({ f, k: (i * 7919 + seed) % 1009 })).sort((a, b) => a.k - b.k).map((x) => x.f.slice());
        const damaged = flips.length > 0;
        for (const [at, v] of flips) { const f = order[at % order.length]; f[at % f.length] = v; }
        const r = new IpReassembler();
        let oks = 0;
        for (const f of order) {
          rec.data = f; rec.offset = 0; rec.caplen = f.length; rec.origlen = f.length; rec.linkType = LinkType.IPV4;
          let st = decodePacket(rec, view);
          if (st === DecodeStatus.fragment) st = r.add(rec, view);
          if (st === DecodeStatus.ok) {
            oks++;
            if (!damaged) expect([...view.data.subarray(view.payloadStart, view.payloadEnd)]).toEqual([...payload]);
          }
        }
        if (!damaged) expect(oks).toBe(1);
      },
    ), { numRuns: 1000 });
  });
});
