import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkType, newPacketRecord } from '../../../src/capture/packet-record.js';
import { addRange, IpReassembler } from '../../../src/decode/ip-reassembly.js';
import { decodePacket } from '../../../src/decode/link.js';
import { DecodeStatus, newPacketView, type PacketView } from '../../../src/decode/packet-view.js';
import { buildIpv4, buildIpv6, buildTcpSegment, fragmentIpv4, parseIp, wrapLink } from '../../helpers/packet-builder.js';

const payload = new Uint8Array(300).map((_, i) => i & 255);
const seg = buildTcpSegment({ sport: 443, dport: 50000, seq: 77 }, payload, parseIp('10.0.0.1'), parseIp('10.0.0.2'));
const datagram = (id: number) => buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', id, fragWord: 0 }, seg);

/** Decode each frame and feed fragments to the reassembler; returns the statuses. */
function feed(r: IpReassembler, frames: Uint8Array[], view: PacketView, o: { ts?: number[]; caplenCut?: number } = {}): DecodeStatus[] {
  const rec = newPacketRecord();
  return frames.map((f, i) => {
    rec.data = f; rec.offset = 0; rec.caplen = f.length - (o.caplenCut ?? 0); rec.origlen = f.length;
    rec.linkType = LinkType.EN10MB; rec.tsMicros = o.ts?.[i] ?? 1_000_000 + i;
    const st = decodePacket(rec, view);
    return st === DecodeStatus.fragment ? r.add(rec, view) : st;
  });
}

describe('IPv4 reassembly (RFC 791 / RFC 815)', () => {
  it('reassembles fragments in order into the original TCP segment', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const frags = fragmentIpv4(datagram(1), 64).map((f) => wrapLink(f));
    expect(frags.length).toBeGreaterThan(4);
    const st = feed(r, frags, view);
    expect(st.slice(0, -1).every((s) => s === DecodeStatus.fragment)).toBe(true);
    expect(st[st.length - 1]).toBe(DecodeStatus.ok);
    expect([view.srcPort, view.dstPort, view.seq]).toEqual([443, 50000, 77]);
    expect([...view.data.subarray(view.payloadStart, view.payloadEnd)]).toEqual([...payload]);
    expect(r.size).toBe(0);
    expect(r.counters.completed).toBe(1);
  });

  it('reassembles out of order, with duplicates and overlaps', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const frags = fragmentIpv4(datagram(2), 64).map((f) => wrapLink(f));
    const big = fragmentIpv4(datagram(2), 128).map((f) => wrapLink(f));
    expect(frags).toHaveLength(5); // 320 TCP bytes: offsets 0, 64, 128, 192, 256
    // big[1] covers 128..256 (overlapping frags 2 and 3); frags[1] completes the datagram
    const order = [frags[3], frags[0], big[1], frags[0], frags[4], frags[2], frags[1]];
    const st = feed(r, order, view);
    expect(st.filter((s) => s === DecodeStatus.ok)).toHaveLength(1);
    expect(st[st.length - 1]).toBe(DecodeStatus.ok);
    expect([...view.data.subarray(view.payloadStart, view.payloadEnd)]).toEqual([...payload]);
  });

  it('keeps datagrams apart by IP id', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const a = fragmentIpv4(datagram(10), 200).map((f) => wrapLink(f));
    const b = fragmentIpv4(datagram(11), 200).map((f) => wrapLink(f));
    expect(feed(r, [a[0], b[0]], view)).toEqual([DecodeStatus.fragment, DecodeStatus.fragment]);
    expect(r.size).toBe(2);
    expect(feed(r, [b[1], a[1]], view)).toEqual([DecodeStatus.ok, DecodeStatus.ok]);
  });

  it('drops datagrams after the capture-time timeout', () => {
    const r = new IpReassembler({ fragmentTimeoutMicros: 1000 });
    const view = newPacketView();
    const f = fragmentIpv4(datagram(3), 200).map((x) => wrapLink(x));
    expect(feed(r, f, view, { ts: [0, 5000] })).toEqual([DecodeStatus.fragment, DecodeStatus.fragment]);
    expect(r.counters.dropped).toBe(1);
    expect(r.size).toBe(1); // the second fragment started a new (incomplete) datagram
  });

  it('bounds the number of pending datagrams (oldest evicted)', () => {
    const r = new IpReassembler({ maxFragmentedDatagrams: 3 });
    const view = newPacketView();
    const firsts = [20, 21, 22, 23, 24].map((id) => wrapLink(fragmentIpv4(datagram(id), 64)[0]));
    feed(r, firsts, view);
    expect(r.size).toBe(3);
    expect(r.counters.dropped).toBe(2);
    expect(r.flush()).toBe(3);
  });

  it('gives up on a datagram when a fragment was not fully captured', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const f = fragmentIpv4(datagram(4), 200).map((x) => wrapLink(x));
    expect(feed(r, [f[0]], view, { caplenCut: 10 })).toEqual([DecodeStatus.fragment]);
    expect(r.size).toBe(0);
    expect(feed(r, [f[1]], view)).toEqual([DecodeStatus.fragment]);
    expect(r.counters.completed).toBe(0);
  });
});

describe('addRange', () => {
  it('merges overlapping and adjacent ranges and keeps order', () => {
    const r: number[] = [];
    addRange(r, 10, 20); addRange(r, 30, 40); addRange(r, 0, 5);
    expect(r).toEqual([0, 5, 10, 20, 30, 40]);
    addRange(r, 18, 30);
    expect(r).toEqual([0, 5, 10, 40]);
    addRange(r, 5, 10);
    expect(r).toEqual([0, 40]);
  });

  it('keeps exactly the union of the ranges added, in any order (reference: a bitmap)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 24 })), { maxLength: 60 }), (adds) => {
      const r: number[] = [];
      const bits = new Uint8Array(256);
      for (const [s, n] of adds) {
        addRange(r, s, s + n);
        bits.fill(1, s, s + n);
      }
      // the reference: maximal runs of set bits (adjacent ranges merge too)
      const want: number[] = [];
      for (let i = 0; i < bits.length; i++) {
        if (bits[i] === 1 && (i === 0 || bits[i - 1] === 0)) want.push(i);
        if (bits[i] === 1 && (i === bits.length - 1 || bits[i + 1] === 0)) want.push(i + 1);
      }
      expect(r).toEqual(want);
    }), { numRuns: 2000 });
  });
});

/** Split an IPv6 packet (no extension headers but the ones given) into fragments of `chunk` bytes (RFC 8200 §4.5). */
function fragmentIpv6(pkt: Uint8Array, unfragmentable: number, chunk: number, id: number): Uint8Array[] {
  const head = pkt.subarray(0, unfragmentable);
  // the Next Header byte that pointed at the fragmentable part: byte 6 of the fixed header, or the
  // first byte of the last unfragmentable extension header
  const nhIndex = unfragmentable === 40 ? 6 : lastExtensionStart(pkt, unfragmentable);
  const next = pkt[nhIndex];
  const data = pkt.subarray(unfragmentable);
  const step = Math.max(8, chunk & ~7);
  const out: Uint8Array[] = [];
  for (let off = 0; off < data.length; off += step) {
    const part = data.subarray(off, Math.min(data.length, off + step));
    const f = new Uint8Array(unfragmentable + 8 + part.length);
    f.set(head, 0);
    f[nhIndex] = 44;
    const fh = unfragmentable;
    f[fh] = next;
    const word = off | (off + step < data.length ? 1 : 0);
    f[fh + 2] = word >> 8; f[fh + 3] = word & 255;
    new DataView(f.buffer).setUint32(fh + 4, id);
    f.set(part, fh + 8);
    const plen = f.length - 40;
    f[4] = plen >> 8; f[5] = plen & 255;
    out.push(f);
  }
  return out;
}

function lastExtensionStart(pkt: Uint8Array, end: number): number {
  let p = 40;
  let last = 6;
  while (p < end) { last = p; p += (pkt[p + 1] + 1) << 3; }
  return last;
}

describe('IPv6 reassembly (RFC 8200 §4.5)', () => {
  const src = parseIp('2001:db8::1'), dst = parseIp('2001:db8::2');
  const seg6 = buildTcpSegment({ sport: 443, dport: 50000, seq: 99 }, payload, src, dst);
  const plain = buildIpv6({ src: '2001:db8::1', dst: '2001:db8::2' }, seg6);
  const withHopByHop = buildIpv6({ src: '2001:db8::1', dst: '2001:db8::2', extensions: [{ type: 0 }] }, seg6);

  it('reassembles fragments (any order, duplicates) into the original TCP segment', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const frags = fragmentIpv6(plain, 40, 64, 7).map((f) => wrapLink(f));
    expect(frags.length).toBeGreaterThan(4);
    const order = [frags[2], frags[0], frags[0], ...frags.slice(3), frags[1]];
    const st = feed(r, order, view);
    expect(st.slice(0, -1).every((s) => s === DecodeStatus.fragment)).toBe(true);
    expect(st[st.length - 1]).toBe(DecodeStatus.ok);
    expect(view.ipVersion).toBe(6);
    expect([view.srcPort, view.dstPort, view.seq]).toEqual([443, 50000, 99]);
    expect([...view.data.subarray(view.payloadStart, view.payloadEnd)]).toEqual([...payload]);
    expect(r.counters6).toEqual({ completed: 1, dropped: 0 });
    expect(r.counters).toEqual({ completed: 0, dropped: 0 });
  });

  it('keeps the unfragmentable extension headers and restores the Next Header chain', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const frags = fragmentIpv6(withHopByHop, 48, 128, 8).map((f) => wrapLink(f));
    const st = feed(r, frags, view);
    expect(st[st.length - 1]).toBe(DecodeStatus.ok);
    expect([...view.data.subarray(view.payloadStart, view.payloadEnd)]).toEqual([...payload]);
  });

  it('keeps packets apart by identification and by address; an incomplete one is dropped at flush', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const a = fragmentIpv6(plain, 40, 200, 1).map((f) => wrapLink(f));
    const b = fragmentIpv6(plain, 40, 200, 2).map((f) => wrapLink(f));
    expect(feed(r, [a[0], b[0]], view)).toEqual([DecodeStatus.fragment, DecodeStatus.fragment]);
    expect(r.size).toBe(2);
    expect(feed(r, [b[1]], view)).toEqual([DecodeStatus.ok]);
    expect(r.flush()).toBe(1);
    expect(r.counters6).toEqual({ completed: 1, dropped: 1 });
  });

  it('a fragment whose bytes were not all captured makes the packet unrecoverable', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const frags = fragmentIpv6(plain, 40, 64, 9).map((f) => wrapLink(f));
    feed(r, frags.slice(0, 1), view, { caplenCut: 10 });
    const st = feed(r, frags.slice(1), view);
    expect(st).not.toContain(DecodeStatus.ok);
  });
});
