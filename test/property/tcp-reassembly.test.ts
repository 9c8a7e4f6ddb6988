/**
 * Property (c): a byte stream cut into segments, shuffled and partly duplicated, reassembles to
 * the same bytes; with segments dropped, every byte is either delivered in place or reported in a
 * gap of the right size (gopacket TestReorder / TestOverlap as seeds). Also through the FlowTable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HalfStream, type StreamConsumer } from '../../src/tcp/half-stream.js';
import * as B from '../helpers/tls-builder.js';
import { Conversation, harness, type Packet } from '../unit/tcp/conversation.js';

/** Rebuilds the stream; a gap of n bytes becomes n × null. */
class Rebuild implements StreamConsumer {
  out: Array<number | null> = [];
  done = false;
  push(_d: number, b: Uint8Array, s: number, e: number): void { for (let i = s; i < e; i++) this.out.push(b[i]); }
  gap(_d: number, n: number): void { for (let i = 0; i < n; i++) this.out.push(null); }
}

const scenario = fc.record({
  data: fc.uint8Array({ minLength: 1, maxLength: 3000 }),
  cuts: fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 30 }),
  isn: fc.integer({ min: 0, max: 0xffffffff }),
  order: fc.array(fc.nat(), { maxLength: 60 }),
  dups: fc.array(fc.nat(), { maxLength: 10 }),
  drops: fc.array(fc.nat(), { maxLength: 3 }),
  shift: fc.integer({ min: -20, max: 20 }),
});

function segments(data: Uint8Array, cuts: number[], isn: number): Array<{ seq: number; bytes: Uint8Array; off: number }> {
  const out = [];
  let o = 0, k = 0;
  while (o < data.length) {
    const n = Math.min(cuts.length ? cuts[k++ % cuts.length] : data.length, data.length - o);
    out.push({ seq: (isn + 1 + o) >>> 0, bytes: data.slice(o, o + n), off: o });
    o += n;
  }
  return out;
}

function shuffle<T>(xs: T[], order: number[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) { const j = (order[i % Math.max(1, order.length)] ?? 0) % (i + 1); [a[i], a[j]] = [a[j], a[i]]; }
  return a;
}

describe('TCP reassembly under reordering, duplication and loss', () => {
  it('reassembles the same bytes (with overlapping retransmissions) whatever the order', () => {
    fc.assert(fc.property(scenario, ({ data, cuts, isn, order, dups, shift }) => {
      const segs = segments(data, cuts, isn);
      // duplicates, some re-cut at a different boundary (overlapping retransmissions)
      const extra = dups.map((d) => {
        const s = segs[d % segs.length];
        const a = Math.max(0, Math.min(s.off + shift, data.length - 1));
        return { seq: (isn + 1 + a) >>> 0, bytes: data.slice(a, a + s.bytes.length + 5), off: a };
      });
      const hs = new HalfStream(0, 1 << 20);
      hs.startAt(isn);
      const c = new Rebuild();
      for (const s of shuffle([...segs, ...extra], order)) hs.segment(s.seq, s.bytes, 0, s.bytes.length, 0, c);
      hs.flush(c);
      expect(Uint8Array.from(c.out as number[])).toEqual(data);
    }), { numRuns: 300 });
  });

  it('reports every dropped byte as a gap of the right size, in place', () => {
    fc.assert(fc.property(scenario, ({ data, cuts, isn, order, drops }) => {
      const segs = segments(data, cuts, isn);
      const dropped = new Set(drops.map((d) => d % segs.length));
      if (dropped.has(0)) dropped.delete(0); // keep the first so the stream starts where it should
      const hs = new HalfStream(0, 1 << 20);
      hs.startAt(isn);
      const c = new Rebuild();
      for (const s of shuffle(segs.filter((_, i) => !dropped.has(i)), order)) hs.segment(s.seq, s.bytes, 0, s.bytes.length, 0, c);
      hs.flush(c);
      // bytes after the last kept segment are simply never seen; everything before is exact
      const lastKept = Math.max(...segs.filter((_, i) => !dropped.has(i)).map((s) => s.off + s.bytes.length));
      expect(c.out.length).toBe(lastKept);
      c.out.forEach((v, i) => { if (v !== null) expect(v).toBe(data[i]); });
      for (const i of dropped) {
        const s = segs[i];
        if (s.off < lastKept) expect(c.out.slice(s.off, s.off + s.bytes.length).every((v) => v === null)).toBe(true);
      }
    }), { numRuns: 300 });
  });

  it('the flow table reports the same TLS facts for any segmentation, reordering and duplication', () => {
    const chain = [B.fakeDer(800, 1), B.fakeDer(500, 2)];
    const ch = B.record(22, B.clientHello({ sni: 'prop.example' }));
    const sf = B.record(22, B.concat(B.serverHello({ cipher: 0xc02b }), B.certificate(chain), B.serverHelloDone()));
    const params = fc.record({ cuts: fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 10 }), order: fc.array(fc.nat(), { maxLength: 30 }), dups: fc.array(fc.nat(), { maxLength: 5 }), isn: fc.integer({ min: 0, max: 0xffffffff }) });
    fc.assert(fc.property(params, ({ cuts, order, dups, isn }) => {
      const c = new Conversation('10.0.0.1', 50000, '10.0.0.2', 443, isn, (isn * 7) >>> 0);
      c.handshake();
      const hsPackets = c.packets.slice();
      const data = [...c.send('c', ch, cuts), ...c.send('s', sf, cuts)];
      // reordering here is of the data, not of data against the ACKs that cover it: an ACK for
      // bytes not yet seen means they were lost in the capture (a gap), by design
      for (const p of data) p.view.ack = p.view.srcPort === 50000 ? (isn * 7 + 1) >>> 0 : (isn + 1) >>> 0;
      const pkts: Packet[] = [...hsPackets, ...shuffle([...data, ...dups.map((d) => data[d % data.length])], order)];
      const h = harness();
      h.feed(pkts);
      expect(h.conns.length).toBe(1);
      expect(h.conns[0].clientHello?.sni).toBe('prop.example');
      expect(h.conns[0].serverCertificates.map((x) => [x.complete, x.declaredLength])).toEqual([[true, 800], [true, 500]]);
    }), { numRuns: 150 });
  });
});
