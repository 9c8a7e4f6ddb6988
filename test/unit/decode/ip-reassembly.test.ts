import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkType, newPacketRecord } from '../../../src/capture/packet-record.js';
import { addRange, IpReassembler } from '../../../src/decode/ip-reassembly.js';
import { decodePacket } from '../../../src/decode/link.js';
import { DecodeStatus, newPacketView, type PacketView } from '../../../src/decode/packet-view.js';
import { buildIpv4, buildIpv6, buildTcpSegment, fragmentIpv4, hex, parseIp, wrapLink } from '../../helpers/packet-builder.js';

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

describe('IPv4 reassembly: bounds and bookkeeping', () => {
  const rec = newPacketRecord();
  /** Decode one Ethernet frame captured with `caplen` bytes; feed it to `r` when it is a fragment. */
  function one(r: IpReassembler, frame: Uint8Array, view: PacketView, o: { caplen?: number; ts?: number } = {}): DecodeStatus {
    rec.data = frame; rec.offset = 0; rec.caplen = o.caplen ?? frame.length; rec.origlen = frame.length;
    rec.linkType = LinkType.EN10MB; rec.tsMicros = o.ts ?? 1_000_000;
    const st = decodePacket(rec, view);
    return st === DecodeStatus.fragment ? r.add(rec, view) : st;
  }
  const frags = (id: number, chunk = 64) => fragmentIpv4(datagram(id), chunk).map((f) => wrapLink(f));

  it('refuses a view that is not of a decoded IP fragment', () => {
    const r = new IpReassembler();
    const f = frags(40)[0];
    const view = newPacketView();
    expect(one(r, f, view)).toBe(DecodeStatus.fragment);
    const noIp = { ...view, ipStart: undefined };
    expect(r.add(rec, noIp)).toBe(DecodeStatus.badHeader);
    const noVersion = { ...view, ipVersion: 0 as unknown as 4 };
    expect(r.add(rec, noVersion)).toBe(DecodeStatus.badHeader);
    rec.caplen = 14 + 19; // the IPv4 header is not all captured
    expect(r.add(rec, view)).toBe(DecodeStatus.badHeader);
  });

  it('reassembles datagrams of a raw-IP link (the IP header at the record\'s offset)', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const raw = newPacketRecord();
    const st = fragmentIpv4(datagram(41), 200).map((f) => {
      raw.data = f; raw.offset = 0; raw.caplen = f.length; raw.origlen = f.length; raw.linkType = LinkType.RAW; raw.tsMicros = 1;
      const s0 = decodePacket(raw, view);
      return s0 === DecodeStatus.fragment ? r.add(raw, view) : s0;
    });
    expect(st).toEqual([DecodeStatus.fragment, DecodeStatus.ok]);
    expect([...view.data.subarray(view.payloadStart, view.payloadEnd)]).toEqual([...payload]);
  });

  it('a fragment with only its header captured, or with no data, gives its datagram up', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const [f0] = frags(42);
    expect(one(r, f0, view, { caplen: 14 + 20 })).toBe(DecodeStatus.fragment);
    expect([r.size, r.counters.dropped]).toEqual([0, 1]);
    const empty = wrapLink(buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', id: 43, fragWord: 0x2000 }, new Uint8Array(0)));
    expect(one(r, empty, view)).toBe(DecodeStatus.fragment);
    expect([r.size, r.counters.dropped]).toEqual([0, 2]);
  });

  it('a later fragment not fully captured drops the datagram pending (counted once)', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const f = frags(44);
    expect(one(r, f[0], view)).toBe(DecodeStatus.fragment);
    expect(one(r, f[1], view, { caplen: f[1].length - 5 })).toBe(DecodeStatus.fragment);
    expect([r.size, r.counters.dropped]).toEqual([0, 1]);
    expect(f.slice(2).map((x) => one(r, x, view))).not.toContain(DecodeStatus.ok);
  });

  it('datagrams are told apart by protocol too (RFC 791: source, destination, protocol, identification)', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const udp = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', id: 45, protocol: 17, fragWord: 0 }, new Uint8Array(320).fill(7));
    const u = fragmentIpv4(udp, 200).map((f) => wrapLink(f));
    const t = frags(45, 200);
    expect([t[0], u[0], t[1], u[1]].map((x) => one(r, x, view))).toEqual([DecodeStatus.fragment, DecodeStatus.fragment, DecodeStatus.ok, DecodeStatus.notTcp]);
  });

  it('the largest datagram (Total Length 65535) is reassembled; a fragment reaching beyond it is given up', () => {
    const big = new Uint8Array(65535 - 40).map((_, i) => (i * 7) & 255);
    const tcp = buildTcpSegment({ sport: 443, dport: 50000 }, big, parseIp('10.0.0.1'), parseIp('10.0.0.2'));
    const whole = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', id: 46, fragWord: 0 }, tcp);
    expect(whole.length).toBe(65535);
    const r = new IpReassembler();
    const view = newPacketView();
    const st = fragmentIpv4(whole, 1480).map((f) => one(r, wrapLink(f), view));
    expect(st.at(-1)).toBe(DecodeStatus.ok);
    expect(view.payloadEnd - view.payloadStart).toBe(big.length);
    expect(view.data[view.payloadStart + 1000]).toBe((1000 * 7) & 255);
    // the last fragment at offset 65512: 3 bytes end at 65515 (+ 20 header bytes = 65535), 4 bytes do not fit
    const last = (id: number, n: number) => wrapLink(buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', id, fragWord: 65512 >> 3 }, new Uint8Array(n)));
    const s = new IpReassembler();
    expect(one(s, last(47, 3), view)).toBe(DecodeStatus.fragment);
    expect([s.size, s.counters.dropped]).toEqual([1, 0]);
    expect(one(s, last(48, 4), view)).toBe(DecodeStatus.fragment);
    expect([s.size, s.counters.dropped]).toEqual([1, 1]);
  });

  it('the timeout is measured from the first fragment: a datagram exactly that old is still completed', () => {
    const r = new IpReassembler({ fragmentTimeoutMicros: 1000 });
    const view = newPacketView();
    const f = frags(49, 200);
    expect(one(r, f[0], view, { ts: 5000 })).toBe(DecodeStatus.fragment);
    expect(one(r, f[1], view, { ts: 6000 })).toBe(DecodeStatus.ok);
    expect(r.counters).toEqual({ completed: 1, dropped: 0 });
  });

  it('bounds the bytes buffered: completed and dropped datagrams free theirs, the oldest goes first', () => {
    // fragments of 64 bytes in order grow a datagram's buffer to 64, 128, 256, 256, 512 bytes
    const r = new IpReassembler({ maxFragmentBytes: 512 });
    const view = newPacketView();
    expect(frags(50).map((x) => one(r, x, view)).at(-1)).toBe(DecodeStatus.ok); // 512 buffered, then freed
    const a = frags(51);
    a.slice(0, 4).forEach((x) => one(r, x, view)); // 256
    expect(one(r, a[4], view, { caplen: a[4].length - 1 })).toBe(DecodeStatus.fragment); // given up: 0
    expect(r.counters).toEqual({ completed: 1, dropped: 1 });
    const b = frags(52), c = frags(53);
    [...b.slice(0, 4), ...c.slice(0, 4)].forEach((x) => one(r, x, view)); // 256 + 256: exactly the budget
    expect([r.size, r.counters.dropped]).toEqual([2, 1]);
    one(r, frags(54)[0], view); // 64 more: the oldest (b) is evicted
    expect([r.size, r.counters.dropped]).toEqual([2, 2]);
    expect(one(r, c[4], view)).toBe(DecodeStatus.ok);
    expect(one(r, b[4], view)).toBe(DecodeStatus.fragment);
  });

  it('the datagram keeps the first fragment\'s header (options later fragments do not repeat)', () => {
    const withOptions = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', id: 57, fragWord: 0, options: hex`07 03 04 00` }, seg);
    const first = fragmentIpv4(withOptions, 200)[0];
    const rest = fragmentIpv4(datagram(57), 200).slice(1);
    const r = new IpReassembler();
    const view = newPacketView();
    expect([first, ...rest].map((f) => one(r, wrapLink(f), view)).at(-1)).toBe(DecodeStatus.ok);
    expect(view.payloadStart - view.ipStart!).toBe(24 + 20);
    expect([...view.data.subarray(view.payloadStart, view.payloadEnd)]).toEqual([...payload]);
  });

  it('a datagram whose first header is longer than the last fragment\'s, beyond 65535 bytes in all, is given up at completion', () => {
    const first = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', id: 58, fragWord: 0x2000, options: new Uint8Array(40) }, new Uint8Array(65472));
    const last = buildIpv4({ src: '10.0.0.1', dst: '10.0.0.2', id: 58, fragWord: 65472 >> 3 }, new Uint8Array(43));
    const r = new IpReassembler();
    const view = newPacketView();
    expect(one(r, wrapLink(first), view)).toBe(DecodeStatus.fragment);
    expect(one(r, wrapLink(last), view)).toBe(DecodeStatus.badHeader);
    expect(r.counters).toEqual({ completed: 0, dropped: 1 });
    expect(r.size).toBe(0);
  });

  it('a datagram\'s buffer grows with its fragments, not to the largest datagram', () => {
    const r = new IpReassembler({ maxFragmentBytes: 4096 });
    const view = newPacketView();
    expect(frags(55).map((x) => one(r, x, view)).at(-1)).toBe(DecodeStatus.ok);
    expect(r.counters.dropped).toBe(0);
  });

  it('drops and flushes count against the datagram\'s IP version', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    one(r, frags(56)[0], view);
    expect(r.flush()).toBe(1);
    expect(r.counters).toEqual({ completed: 0, dropped: 1 });
    expect(r.counters6).toEqual({ completed: 0, dropped: 0 });
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

  it('the largest packet (Payload Length 65535) is reassembled', () => {
    const big = new Uint8Array(65535 - 20).map((_, i) => (i * 5) & 255);
    const tcp = buildTcpSegment({ sport: 443, dport: 50000 }, big, src, dst);
    const whole = buildIpv6({ src: '2001:db8::1', dst: '2001:db8::2' }, tcp);
    expect(whole.length).toBe(40 + 65535);
    const r = new IpReassembler();
    const view = newPacketView();
    const st = feed(r, fragmentIpv6(whole, 40, 1448, 11).map((f) => wrapLink(f)), view);
    expect(st.at(-1)).toBe(DecodeStatus.ok);
    expect(view.payloadEnd - view.payloadStart).toBe(big.length);
    expect(view.data[view.payloadEnd - 1]).toBe(((big.length - 1) * 5) & 255);
  });

  it('a Fragment header cut by the capture is refused; its data cut gives the packet up, counted as IPv6', () => {
    const r = new IpReassembler();
    const view = newPacketView();
    const [f0, f1] = fragmentIpv6(plain, 40, 64, 12).map((f) => wrapLink(f));
    const rec = newPacketRecord();
    const decode = (f: Uint8Array) => {
      rec.data = f; rec.offset = 0; rec.caplen = f.length; rec.origlen = f.length; rec.linkType = LinkType.EN10MB; rec.tsMicros = 1;
      expect(decodePacket(rec, view)).toBe(DecodeStatus.fragment);
    };
    decode(f1);
    rec.caplen = 14 + 40 + 4; // inside the Fragment header
    expect(r.add(rec, view)).toBe(DecodeStatus.badHeader);
    rec.caplen = 14 + 40 - 1; // inside the fixed header
    expect(r.add(rec, view)).toBe(DecodeStatus.badHeader);
    rec.caplen = 14 + 40 + 8; // the Fragment header, none of the data
    expect(r.add(rec, view)).toBe(DecodeStatus.fragment);
    expect(r.counters6).toEqual({ completed: 0, dropped: 1 });
    decode(f0);
    expect(r.add(rec, view)).toBe(DecodeStatus.fragment);
    expect(r.size).toBe(1);
    decode(f1);
    rec.caplen -= 3; // a later fragment's data not all captured: the pending packet is given up
    expect(r.add(rec, view)).toBe(DecodeStatus.fragment);
    expect(r.size).toBe(0);
    expect(r.counters6).toEqual({ completed: 0, dropped: 2 });
    expect(r.counters.dropped).toBe(0);
  });
});
