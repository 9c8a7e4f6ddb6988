/**
 * FlowTable bookkeeping, observed from outside: which connections are reported and with what notes,
 * the limits hit and their diagnostics (key, severity, count, sample), the counters, expiry deadlines
 * in capture time (to the microsecond), tombstones of finished flows, and the error boundary per flow.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as B from '../../helpers/tls-builder.js';
import { DecodeError } from '../../../src/diagnostics/decode-error.js';
import { HalfStream } from '../../../src/tcp/half-stream.js';
import { Conversation, F, harness, type Harness, type Packet } from './conversation.js';

const chain = [B.fakeDer(1300, 1), B.fakeDer(900, 2)];
const CH = B.record(22, B.clientHello({ sni: 'server.example', versions: [0x0303] }));
const SF = B.record(22, B.concat(B.serverHello({ cipher: 0xc02f }), B.certificate(chain), B.serverHelloDone()));
const CF = B.concat(B.record(22, B.clientKeyExchange()), B.ccsRecord(), B.opaqueRecord(22, 40));
const SFIN = B.concat(B.ccsRecord(), B.opaqueRecord(22, 40));

const entry = (h: Harness, key: string) => h.diag.list().find((e) => e.key === key);
const byTime = (cs: Conversation[]): Packet[] => cs.flatMap((c) => c.packets).sort((a, b) => a.ts - b.ts);
const tombs = (h: Harness) => (h.table as unknown as { tombs: { size: number } }).tombs.size;

/** handshake and ClientHello from `ip`, `ms` milliseconds after the default start */
function opened(ip: string, ms = 0, port = 50000): Conversation {
  const c = new Conversation(ip, port);
  c.ts += ms * 1000;
  c.handshake();
  c.send('c', CH);
  return c;
}

/** one packet at an exact capture time */
function feedAt(h: Harness, p: Packet, ts: number, index: number, fileIndex = 0): void {
  h.table.packet(p.view, { tsMicros: ts, index, fileIndex });
}

afterEach(() => { vi.restoreAllMocks(); });

describe('FlowTable limits: live flows', () => {
  it('evicts the least recently active flow (not the first created) and says so in a sample and a note', () => {
    const h = harness({ maxFlows: 2 });
    const a = opened('10.0.1.1', 0);
    const b = opened('10.0.1.2', 10);
    a.ts = b.ts + 1000;
    a.send('c', B.opaqueRecord(23, 10)); // a is active again after b
    const c = opened('10.0.1.3', 30);
    h.feed(byTime([a, b, c]), false);
    expect(h.conns.map((s) => s.client.ip)).toEqual(['10.0.1.2']);
    expect(h.conns[0].notes).toContain('evicted: more than 2 live flows');
    expect(h.conns[0].incomplete).toBe(true);
    expect(entry(h, 'limit.flows')).toEqual({ key: 'limit.flows', severity: 'limit', count: 1, samples: [{ file: 0, flow: 1, detail: 'more than 2 live flows: the least recently active evicted' }] });
    expect(h.table.stats).toMatchObject({ flows: 3, evicted: 1, tombstoned: 1, tlsFlows: 1 });
    expect(h.table.trackedFlows).toBe(2);
    h.table.finish();
    expect(h.conns.map((s) => s.client.ip)).toEqual(['10.0.1.2', '10.0.1.1', '10.0.1.3']);
    expect(h.table.trackedFlows).toBe(0);
  });

  it('at maxFlows, a flow in its closing grace period goes first, reported in full and not counted as evicted', () => {
    const h = harness({ maxFlows: 2 });
    const a = opened('10.0.1.1', 0);
    a.rst('c'); // closing
    const b = opened('10.0.1.2', 10);
    const c = opened('10.0.1.3', 30);
    h.feed(byTime([a, b, c]), false);
    expect(h.conns.map((s) => [s.client.ip, s.notes])).toEqual([['10.0.1.1', []]]);
    expect(entry(h, 'limit.flows')).toEqual({ key: 'limit.flows', severity: 'limit', count: 1, samples: [{ file: 0, flow: 0, detail: 'more than 2 flows: a closing flow\'s grace period cut short' }] });
    expect(h.table.stats.evicted).toBe(0);
    expect(h.table.trackedFlows).toBe(2);
  });

  it('keeps at most five samples of flows cut short, and counts every one', () => {
    const h = harness({ maxFlows: 1 });
    for (let i = 0; i < 9; i++) {
      const c = opened(`10.0.2.${i}`, i * 10);
      c.rst('c');
      h.feed(c.packets, false);
    }
    const e = entry(h, 'limit.flows')!;
    expect(e.count).toBe(8);
    expect(e.samples.map((s) => s.flow)).toEqual([0, 1, 2, 3, 4]);
  });

  it('forgets the oldest handshake-only connection beyond a quarter of maxFlows (at least 16), with the packet and file in the sample', () => {
    for (const [maxFlows, rows] of [[8, 16], [100, 25]] as const) {
      const h = harness({ maxFlows });
      for (let i = 0; i <= rows; i++) {
        const c = new Conversation('10.0.3.1', 20000 + i);
        c.ts += i;
        const p = c.raw('c', F.SYN, 1000 + i);
        feedAt(h, p, p.ts, i + 1, 3);
      }
      expect(entry(h, 'limit.flows')).toEqual({ key: 'limit.flows', severity: 'limit', count: 1, samples: [{ file: 3, packet: rows + 1, detail: 'handshake-only connections forgotten (table full)' }] });
      expect(h.table.stats.flows).toBe(rows + 1);
      // the first one was forgotten: its SYN/ACK and data start it anew (no SYN seen, not its first packet)
      const first = new Conversation('10.0.3.1', 20000);
      first.ts += 1000;
      first.raw('s', F.SYN | F.ACK, 5000);
      first.seq = { c: 1001, s: 5001 };
      first.send('c', CH);
      h.feed(first.packets);
      expect(h.conns.map((s) => [s.client.port, s.firstPacket])).toEqual([[20000, 1]]);
    }
  });
});

describe('FlowTable limits: buffers', () => {
  it('evicts, least recently active first, only flows holding bytes, and only until under the budget', () => {
    const h = harness({ maxTotalBufferedBytes: 2500 });
    const idle = opened('10.0.4.1', 0); // holds nothing
    const mk = (ip: string, ms: number) => {
      const c = opened(ip, ms);
      const seg = c.send('s', SF, [500, 500, 500, 500]);
      c.packets.splice(c.packets.indexOf(seg[0]), 1); // a hole at the start: what follows is buffered
      return { c, rest: seg.slice(1) };
    };
    const x = mk('10.0.4.2', 10);
    const y = mk('10.0.4.3', 100);
    // x buffers two segments, then y's first buffered segment goes over the budget: x (not idle) is evicted
    h.feed(idle.packets, false);
    h.feed(x.c.packets.slice(0, -2), false);
    expect(h.table.stats.bufferedBytes).toBe(2 * (500 + 512)); // (each segment held counts 512 bytes more)
    h.feed(y.c.packets.slice(0, -2), false);
    expect(h.conns.map((s) => s.client.ip)).toEqual(['10.0.4.2']);
    expect(h.conns[0].notes).toContain('evicted: global buffer limit reached');
    expect(entry(h, 'limit.total_buffered')).toEqual({ key: 'limit.total_buffered', severity: 'limit', count: 1, samples: [{ file: 0, flow: 1, detail: 'more than 2500 bytes buffered' }] });
    expect(h.table.stats.evicted).toBe(1);
    expect(h.table.stats.bufferedBytes).toBe(2 * 1012);
    expect(h.table.stats.peakBufferedBytes).toBe(3 * 1012);
    expect(h.table.trackedFlows).toBe(2); // idle and y
    h.table.finish();
    expect(h.conns.map((s) => s.client.ip).sort()).toEqual(['10.0.4.1', '10.0.4.2', '10.0.4.3']);
    expect(h.table.stats.bufferedBytes).toBe(0);
    expect(h.table.stats.peakBufferedBytes).toBe(3 * 1012);
  });

  it('accounts buffered bytes exactly, both ways, and keeps the peak', () => {
    const h = harness();
    const c = opened('10.0.4.9');
    const seg = c.send('s', SF, [500, 500, 500]);
    c.packets.splice(c.packets.indexOf(seg[0]), 1);
    h.feed(c.packets.slice(0, -2), false); // one segment of 500 bytes buffered
    const one = h.table.stats.bufferedBytes;
    expect(one).toBe(500 + 512);
    h.feed(c.packets.slice(-2, -1), false);
    const two = h.table.stats.bufferedBytes;
    expect(two - one).toBe(one); // the same size again: the same overhead again
    expect(h.table.stats.peakBufferedBytes).toBe(two);
    h.feed([seg[0]], false); // the hole is filled: what was held is delivered, the session holds the partial message
    const partial = h.table.stats.bufferedBytes;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(SF.length);
    expect(h.table.trackedFlows).toBe(1);
    expect(h.table.stats.peakBufferedBytes).toBe(Math.max(two, partial));
    h.feed(c.packets.slice(-1));
    expect(h.table.stats.bufferedBytes).toBe(0);
    expect(h.conns[0].serverCertificates.map((x) => x.complete)).toEqual([true, true]);
  });

  it('reports an out-of-order buffer overflow with the packet and flow', () => {
    const h = harness({ maxOutOfOrderBytesPerDirection: 1200 });
    const c = opened('10.0.5.1');
    const seg = c.send('s', SF, [400, 400, 400, 400]);
    c.packets.splice(c.packets.indexOf(seg[0]), 1);
    h.feed(c.packets);
    const e = entry(h, 'limit.ooo_bytes')!;
    expect(e.severity).toBe('limit');
    expect(e.samples[0]).toEqual({ file: 0, packet: c.packets.indexOf(seg[2]) + 1, flow: 0, detail: 'out-of-order buffer full: gap declared' });
  });

  it('counts a segment far outside the window as an anomaly and ignores it', () => {
    const h = harness();
    const c = opened('10.0.5.2');
    c.raw('s', F.ACK | F.PSH, (c.seq.s + 0x60000000) >>> 0, B.opaqueRecord(23, 50));
    c.send('s', SF);
    h.feed(c.packets);
    const e = entry(h, 'tcp.out_of_window')!;
    expect(e).toMatchObject({ severity: 'anomaly', count: 1 });
    expect(e.samples).toEqual([{ file: 0, packet: 5, flow: 0 }]);
    expect(h.conns[0].serverCertificates.map((x) => x.complete)).toEqual([true, true]);
  });
});

describe('FlowTable deadlines in capture time (to the microsecond)', () => {
  it('a reset flow still takes data exactly 2 s after the RST, not 1 µs later', () => {
    for (const [late, certs] of [[0, 2], [1, 0]]) {
      const h = harness();
      const c = opened('10.0.6.1');
      const rst = c.rst('c');
      const sf = c.send('s', SF);
      let i = 0;
      for (const p of c.packets) {
        const ts = sf.includes(p) ? rst.ts + 2_000_000 + late : p.ts;
        feedAt(h, p, ts, ++i);
      }
      h.table.finish();
      expect(h.conns.map((s) => s.serverCertificates.length)).toEqual([certs]);
    }
  });

  it('a flow idle for exactly the idle timeout is kept; 1 µs more and it is closed', () => {
    for (const [late, certs, notes] of [[0, 2, []], [1, 0, ['idle timeout (capture time)']]] as const) {
      const h = harness({ idleTimeoutMicros: 5_000_000 });
      const c = opened('10.0.6.2');
      const last = c.packets[c.packets.length - 1].ts;
      const sf = c.send('s', SF);
      let i = 0;
      for (const p of c.packets) feedAt(h, p, sf.includes(p) ? last + 5_000_000 + late : p.ts, ++i);
      h.table.finish();
      expect(h.conns.map((s) => [s.serverCertificates.length, s.notes])).toEqual([[certs, notes]]);
    }
  });

  it('a flow closed for being idle is marked so only when its session was not done', () => {
    const h = harness({ idleTimeoutMicros: 1_000_000 });
    const c = opened('10.0.6.3');
    c.send('s', SF);
    h.feed(c.packets, false);
    const later = new Conversation('10.0.6.4');
    later.ts = c.ts + 5_000_000;
    later.raw('c', F.SYN, 1);
    h.feed(later.packets, false);
    expect(h.conns.map((s) => s.notes)).toEqual([['idle timeout (capture time)']]);
    expect(h.conns[0].serverCertificates.length).toBe(2);
  });

  it('both FINs with a hole left: the retransmission filling it in the grace period is taken', () => {
    const h = harness();
    const c = opened('10.0.6.5');
    const seg = c.send('s', SF, [800]);
    c.packets.splice(c.packets.indexOf(seg[0]), 1);
    const hole = seg[0].view.seq;
    c.fin('s');
    c.raw('c', F.FIN | F.ACK, c.seq.c, undefined, { ack: hole }); // the client has not got the hole either
    c.ts += 1_000_000;
    c.packets.push({ view: seg[0].view, ts: c.ts });
    h.feed(c.packets, false);
    expect(h.conns.length).toBe(0); // closing, waiting for the hole
    expect(h.table.trackedFlows).toBe(1);
    h.table.finish();
    expect(h.conns[0].serverCertificates.map((x) => x.complete)).toEqual([true, true]);
    expect(h.conns[0].notes).toEqual([]);
  });

  it('both FINs and nothing held: reported at once', () => {
    const h = harness();
    const c = opened('10.0.6.6');
    c.send('s', B.record(22, B.serverHello({ cipher: 0xc02f })));
    c.fin('s');
    h.feed(c.packets, false);
    expect(h.conns.length).toBe(0);
    c.fin('c');
    h.feed(c.packets.slice(-1), false);
    expect(h.conns.length).toBe(1);
    expect(h.table.trackedFlows).toBe(0);
    expect(h.table.stats.tombstoned).toBe(1);
  });

  it('finish() reports flows in their grace period before live ones', () => {
    const h = harness();
    const a = opened('10.0.6.7', 0);
    const b = opened('10.0.6.8', 10);
    b.rst('s');
    h.feed(byTime([a, b]));
    expect(h.conns.map((s) => s.client.ip)).toEqual(['10.0.6.8', '10.0.6.7']);
  });
});

describe('FlowTable: SYNs on a flow with data', () => {
  it('a SYN with another ISN while the flow is live closes it with a note and starts a new connection', () => {
    const h = harness();
    const c = opened('10.0.7.1');
    c.raw('c', F.SYN, 777_777);
    c.raw('s', F.SYN | F.ACK, 888_888);
    c.seq = { c: 777_778, s: 888_889 };
    c.send('c', CH);
    c.send('s', SF);
    h.feed(c.packets);
    expect(h.conns.map((s) => [s.id, s.firstPacket, s.notes])).toEqual([[0, 1, ['a new connection reused the 4-tuple']], [1, 5, []]]);
    expect(h.conns[1].serverCertificates.length).toBe(2);
    expect(h.table.stats).toMatchObject({ flows: 2, tlsFlows: 2, tombstoned: 2 });
  });

  it('a retransmitted SYN (same ISN) on a live flow changes nothing', () => {
    const h = harness();
    const c = opened('10.0.7.2');
    c.raw('c', F.SYN, 1000);
    c.send('s', SF);
    h.feed(c.packets);
    expect(h.conns.map((s) => [s.id, s.notes, s.serverCertificates.length])).toEqual([[0, [], 2]]);
    expect(h.table.stats.flows).toBe(1);
  });

  it('a SYN/ACK seen after the client data sets the server ISN and the client direction', () => {
    const h = harness();
    const c = new Conversation('10.0.7.3');
    c.seq = { c: 1001, s: 5001 };
    c.send('c', CH); // no SYN seen
    c.raw('s', F.SYN | F.ACK, 5000);
    c.send('s', SF);
    h.feed(c.packets);
    expect(h.conns[0].client).toEqual({ ip: '10.0.7.3', port: 50000 });
    expect(h.conns[0].serverCertificates.length).toBe(2);
  });

  it('TCP Fast Open on a SYN/ACK: the data sender is the server', () => {
    const h = harness();
    const c = new Conversation('10.0.7.4', 50000, '10.0.0.2', 443);
    c.raw('s', F.SYN | F.ACK, 5000, SF);
    h.feed(c.packets);
    expect(h.conns.length).toBe(1);
    expect(h.conns[0].server).toEqual({ ip: '10.0.0.2', port: 443 });
    expect(h.conns[0].serverCertificates.length).toBe(2);
    expect(h.conns[0].notes).not.toContain('capture starts mid-connection (no SYN seen)');
  });
});

describe('FlowTable tombstones of finished flows', () => {
  function done(ip: string, port = 50000): Conversation {
    const c = new Conversation(ip, port);
    c.handshake(); c.send('c', CH); c.send('s', SF); c.send('c', CF); c.send('s', SFIN); // handshake over
    return c;
  }

  it('absorbs a retransmitted SYN (same ISN), SYN/ACKs and data; a SYN with a new ISN starts anew', () => {
    const h = harness();
    const c = done('10.0.8.1');
    c.raw('c', F.SYN, 1000);
    c.raw('s', F.SYN | F.ACK, 5000);
    c.send('s', B.opaqueRecord(23, 100));
    h.feed(c.packets, false);
    expect(h.table.stats.flows).toBe(1);
    expect(tombs(h)).toBe(1);
    c.raw('c', F.SYN, 1_000_000);
    h.feed(c.packets.slice(-1), false);
    expect(tombs(h)).toBe(0);
    c.raw('s', F.SYN | F.ACK, 2_000_000);
    c.seq = { c: 1_000_001, s: 2_000_001 };
    c.send('c', CH);
    h.feed(c.packets.slice(-2));
    expect(h.conns.map((s) => [s.id, s.firstPacket])).toEqual([[0, 1], [1, 11]]);
  });

  it('a SYN on the tombstone of a flow first seen mid-connection (ISN unknown) starts a new connection', () => {
    const h = harness();
    const c = done('10.0.8.2');
    c.packets.splice(0, 3); // no handshake
    c.raw('c', F.SYN, 1000); // (the same number as before: it is not known)
    c.raw('s', F.SYN | F.ACK, 5000);
    c.seq = { c: 1001, s: 5001 };
    c.send('c', CH);
    h.feed(c.packets);
    expect(h.conns.map((s) => s.id)).toEqual([0, 1]);
  });

  it('the client ISN kept is the SYN sender\'s, whichever side sent data first', () => {
    const h = harness();
    const c = new Conversation('10.0.8.3');
    c.handshake();
    c.send('s', SF); // the server speaks first: direction 0 is the server
    c.send('c', CH);
    c.send('c', CF); c.send('s', SFIN);
    c.rst('c');
    c.raw('c', F.SYN, 1000); // retransmission of the old SYN: absorbed
    h.feed(c.packets, false);
    expect(h.table.stats.flows).toBe(1);
    c.raw('c', F.SYN, 4242);
    h.feed(c.packets.slice(-1), false);
    expect(h.table.stats.flows).toBe(2);
  });

  it('a FIN from each side ends a tombstone (forgotten 2 s later); two FINs from one side do not', () => {
    for (const [second, ended] of [['s', true], ['c', false]] as const) {
      const h = harness();
      const c = done('10.0.8.4');
      c.fin('c');
      c.raw(second, F.FIN | F.ACK, second === 'c' ? c.seq.c - 1 : c.seq.s);
      h.feed(c.packets, false);
      expect(tombs(h)).toBe(1);
      const other = new Conversation('10.0.8.5');
      other.ts = c.ts + 2_500_000;
      other.raw('c', F.SYN, 1);
      h.feed(other.packets, false);
      expect(tombs(h)).toBe(ended ? 0 : 1);
    }
  });

  it('an RST at a tombstone ends it; a bare ACK neither touches nor creates anything', () => {
    const h = harness({ idleTimeoutMicros: 3_000_000 });
    const c = done('10.0.8.6');
    h.feed(c.packets, false);
    c.ts += 1_000_000;
    c.raw('c', F.ACK, c.seq.c); // bare ACK: not even a touch
    c.ts += 1_000_000;
    c.raw('c', F.RST, c.seq.c);
    h.feed(c.packets.slice(-2), false);
    expect(tombs(h)).toBe(1);
    const other = new Conversation('10.0.8.7');
    other.ts = c.ts + 2_100_000;
    other.raw('c', F.SYN, 1);
    h.feed(other.packets, false);
    expect(tombs(h)).toBe(0);
    expect(h.table.stats.flows).toBe(2);
  });

  it('a packet touching a tombstone keeps it from the idle sweep', () => {
    for (const touched of [true, false]) {
      const h = harness({ idleTimeoutMicros: 3_000_000 });
      const c = done('10.0.8.8');
      h.feed(c.packets, false);
      const base = c.ts;
      if (touched) {
        c.ts = base + 2_500_000;
        c.send('s', B.opaqueRecord(23, 10));
        h.feed(c.packets.slice(-1), false);
      }
      // capture time moves on 3 s, 4 s and 5 s after the tombstone was made (2.5 s, 1.5 s, 0.5 s after the touch)
      const other = new Conversation('10.0.8.9');
      for (const s of [3, 4, 5]) { other.ts = base + s * 1_000_000; other.raw('c', F.SYN, 1); }
      h.feed(other.packets, false);
      expect(tombs(h)).toBe(touched ? 1 : 0);
    }
  });
});

describe('FlowTable error boundary', () => {
  it('a DecodeError in one flow abandons that flow only, counted under its layer and code', () => {
    const h = harness();
    const a = opened('10.0.9.1', 0);
    const b = opened('10.0.9.2', 10);
    b.send('s', SF);
    // fails on b's server flight (the third segment: a's and b's ClientHellos came first)
    const orig = HalfStream.prototype.segment;
    let n = 0;
    vi.spyOn(HalfStream.prototype, 'segment').mockImplementation(function (this: HalfStream, ...args: Parameters<HalfStream['segment']>) {
      if (++n === 3) throw new DecodeError('boom', 'tcp.test', 'detail here');
      return orig.apply(this, args);
    });
    const pk = byTime([a, b]);
    h.feed(pk, false);
    expect(h.conns.map((s) => [s.client.ip, s.notes])).toEqual([['10.0.9.2', ['abandoned: tcp.test: boom (detail here)']]]);
    expect(entry(h, 'tcp.test.boom')).toEqual({ key: 'tcp.test.boom', severity: 'abandoned', count: 1, samples: [{ file: 0, packet: pk.length, flow: 1, detail: 'detail here' }] });
    expect(h.table.trackedFlows).toBe(1);
    expect(h.table.stats.tombstoned).toBe(1);
    h.table.finish();
    expect(h.conns.map((s) => s.client.ip)).toEqual(['10.0.9.2', '10.0.9.1']);
  });

  it('any other error is an internal one; an error while closing is caught too (no packet in its sample)', () => {
    const h = harness();
    const a = opened('10.0.9.3');
    const orig = HalfStream.prototype.flush;
    vi.spyOn(HalfStream.prototype, 'flush').mockImplementation(function (this: HalfStream, c) {
      if (this.dir === 1) throw new TypeError('oops');
      return orig.call(this, c);
    });
    h.feed(a.packets);
    expect(h.conns.map((s) => s.notes)).toEqual([['abandoned: oops']]);
    const e = entry(h, 'internal.flow')!;
    expect(e.severity).toBe('internal');
    expect(e.samples).toEqual([{ file: 0, flow: 0, detail: 'TypeError: oops' }]);
    expect(h.table.stats.tombstoned).toBe(1);
    expect(h.table.trackedFlows).toBe(0);
  });

  it('a non-Error thrown is reported by its text', () => {
    const h = harness();
    const a = opened('10.0.9.4');
    a.send('s', SF);
    const orig = HalfStream.prototype.segment;
    vi.spyOn(HalfStream.prototype, 'segment').mockImplementation(function (this: HalfStream, ...args: Parameters<HalfStream['segment']>) {
      if (this.dir === 1) throw 'plain'; // eslint-disable-line no-throw-literal
      return orig.apply(this, args);
    });
    h.feed(a.packets);
    expect(h.conns.map((s) => s.notes)).toEqual([['abandoned: plain']]);
    expect(entry(h, 'internal.flow')!.samples).toEqual([{ file: 0, packet: 5, flow: 0, detail: 'plain' }]);
  });
});
