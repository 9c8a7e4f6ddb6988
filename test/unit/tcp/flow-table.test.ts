import { describe, expect, it } from 'vitest';
import * as B from '../../helpers/tls-builder.js';
import { Conversation, F, harness, type Packet } from './conversation.js';

const chain = [B.fakeDer(1300, 1), B.fakeDer(900, 2)];
const CH = B.record(22, B.clientHello({ sni: 'server.example', versions: [0x0303] }));
const SF = B.record(22, B.concat(B.serverHello({ cipher: 0xc02f }), B.certificate(chain), B.serverHelloDone()));
const CF = B.concat(B.record(22, B.clientKeyExchange()), B.ccsRecord(), B.opaqueRecord(22, 40));
const SFIN = B.concat(B.ccsRecord(), B.opaqueRecord(22, 40));

/** A complete TLS 1.2 connection: handshake, TLS, some application data, FIN both ways. */
function tlsConversation(c = new Conversation(), mss = 1448): Conversation {
  c.handshake();
  c.send('c', CH, [mss]);
  c.send('s', SF, [mss, mss]);
  c.send('c', CF);
  c.send('s', SFIN);
  c.send('c', B.opaqueRecord(23, 500));
  c.send('s', B.opaqueRecord(23, 3000), [mss, mss]);
  c.fin('c');
  c.fin('s');
  return c;
}

const sums = (h: ReturnType<typeof harness>) => h.conns.map((s) => ({ sni: s.clientHello?.sni, certs: s.serverCertificates.length, client: `${s.client.ip}:${s.client.port}`, id: s.id }));

describe('FlowTable: one TLS connection', () => {
  it('reports it once, with endpoints, first packet and certificates, and tombstones the rest', () => {
    const h = harness();
    const c = tlsConversation();
    h.feed(c.packets);
    expect(h.conns.length).toBe(1);
    const s = h.conns[0];
    expect(s).toMatchObject({ id: 0, client: { ip: '10.0.0.1', port: 50000 }, server: { ip: '10.0.0.2', port: 443 }, firstPacket: 1, startMicros: c.packets[0].ts });
    expect(s.serverCertificates.map((x) => x.complete)).toEqual([true, true]);
    expect(s.notes).toEqual([]);
    expect(h.table.stats).toMatchObject({ flows: 1, tlsFlows: 1, tombstoned: 1, bufferedBytes: 0 });
  });

  it('gives the same result with reordered, duplicated and tiny segments', () => {
    const ref = harness();
    ref.feed(tlsConversation().packets);
    const c = new Conversation();
    c.handshake();
    const ch = c.send('c', CH, [7, 50, 3]);
    const sf = c.send('s', SF, [100, 1, 900, 4]);
    const h = harness();
    const order: Packet[] = [...c.packets.slice(0, 3), ch[2], ch[0], ch[1], ch[0], ch[3], sf[4], sf[2], sf[0], sf[3], sf[2], sf[1], ...sf.slice(5)];
    h.feed(order);
    expect(h.conns.map((s) => s.serverCertificates)).toEqual(ref.conns.map((s) => s.serverCertificates));
    expect(h.conns[0].clientHello).toEqual(ref.conns[0].clientHello);
  });

  it('is not aged by a packet with a bogus, older timestamp (damaged capture)', () => {
    const c = tlsConversation();
    c.packets[1].ts -= 10 ** 14; // the SYN/ACK claims to be from years ago
    const h = harness();
    h.feed(c.packets);
    expect(h.conns.length).toBe(1);
    expect(h.conns[0].firstPacket).toBe(1);
    expect(h.conns[0].notes).toEqual([]);
  });

  it('handles a capture that starts mid-connection (no SYN)', () => {
    const c = tlsConversation();
    const h = harness();
    h.feed(c.packets.slice(3)); // no handshake packets
    expect(sums(h)).toEqual([{ sni: 'server.example', certs: 2, client: '10.0.0.1:50000', id: 0 }]);
    expect(h.conns[0].notes).toContain('capture starts mid-connection (no SYN seen)');
  });

  it('ignores SYN retransmissions and takes the last SYN/ACK before data', () => {
    const c = new Conversation();
    c.raw('c', F.SYN, 1000);
    c.raw('c', F.SYN, 1000);
    c.raw('s', F.SYN | F.ACK, 7000);
    c.raw('s', F.SYN | F.ACK, 5000); // the server's ISN actually used
    c.seq = { c: 1001, s: 5001 };
    c.send('c', CH);
    c.send('s', SF);
    const h = harness();
    h.feed(c.packets);
    expect(h.conns.length).toBe(1);
    expect(h.conns[0].serverCertificates.length).toBe(2);
    expect(h.conns[0].firstPacket).toBe(1);
  });

  it('keeps one connection when the SYN is retransmitted after an RST (Wireshark does too)', () => {
    const c = new Conversation();
    c.raw('c', F.SYN, 1000);
    c.raw('c', F.RST, 1001);
    c.ts += 3_000_000;
    c.seq = { c: 1000, s: 5000 };
    tlsConversation(c);
    const h = harness();
    h.feed(c.packets);
    expect(h.conns.map((s) => [s.id, s.firstPacket, s.startMicros])).toEqual([[0, 1, c.packets[0].ts]]);
  });

  it('starts a new connection when a SYN with a new ISN reuses the 4-tuple', () => {
    const c = tlsConversation();
    c.raw('c', F.ACK, c.seq.c); // late ACK of the old connection: tombstoned
    c.seq = { c: 900_000, s: 800_000 };
    tlsConversation(c);
    const h = harness();
    h.feed(c.packets);
    expect(h.conns.map((s) => s.id)).toEqual([0, 1]);
    expect(h.conns[1].firstPacket).toBe(c.packets.findIndex((p) => p.view.seq === 900_000) + 1);
  });

  it('parses a ClientHello carried on the SYN (TCP Fast Open), also when retransmitted after a refusal', () => {
    for (const refused of [false, true]) {
      const c = new Conversation();
      c.raw('c', F.SYN, 1000, CH);
      c.raw('s', F.SYN | F.ACK, 5000, undefined, { ack: refused ? 1001 : 1001 + CH.length });
      c.seq = { c: 1001, s: 5001 };
      if (refused) c.send('c', CH); else c.seq.c += CH.length;
      c.send('s', SF);
      const h = harness();
      h.feed(c.packets);
      expect(h.conns.length).toBe(1);
      expect(h.conns[0].clientMessages).toEqual([1]);
      expect(h.conns[0].serverCertificates.length).toBe(2);
    }
  });

  it('still takes the server data in flight after the client’s RST', () => {
    const c = new Conversation();
    c.handshake();
    c.send('c', CH);
    const rst = c.rst('c');
    c.packets.pop();
    c.send('s', SF, [1000]);
    c.packets.splice(c.packets.length - 1, 0, rst); // RST captured between the server's segments
    const h = harness();
    h.feed(c.packets, false);
    expect(h.conns.length).toBe(0); // within the grace period
    h.table.finish();
    expect(h.conns[0].serverCertificates.length).toBe(2);
  });
});

describe('FlowTable: gaps', () => {
  it('marks a certificate cut by a segment missing from the capture (ACKed by the peer)', () => {
    const c = new Conversation();
    c.handshake();
    c.send('c', CH);
    const seg = c.send('s', SF, [1000, 1000]);
    c.packets.splice(c.packets.indexOf(seg[1]), 1); // lost in the capture
    c.raw('c', F.ACK, c.seq.c); // the client ACKs everything
    const h = harness();
    h.feed(c.packets);
    const s = h.conns[0];
    expect(s.serverCertificates.map((x) => x.complete)).toEqual([false]);
    expect(s.incomplete).toBe(true);
    expect(s.notes.some((n) => n.startsWith('1000 bytes missing (capture) in the server certificate'))).toBe(true);
  });

  it('marks snaplen truncation', () => {
    const c = new Conversation();
    c.handshake();
    c.send('c', CH);
    const view = c.raw('s', F.ACK, c.seq.s, SF.slice(0, 200), { missing: SF.length - 200 }).view;
    c.seq.s += SF.length;
    const h = harness();
    h.feed(c.packets);
    expect(view.payloadMissing).toBeGreaterThan(0);
    expect(h.conns[0].notes.some((n) => n.includes('(snaplen)'))).toBe(true);
    expect(h.conns[0].serverCertificates.map((x) => [x.complete, x.declaredLength])).toEqual([[false, 1300]]);
  });
});

describe('FlowTable: roles, non-TLS traffic and limits', () => {
  it('decides the server by port when only a cleartext alert is seen', () => {
    const c = new Conversation('10.0.0.9', 443, '10.0.0.8', 40000); // the "client" side listens on 443
    c.send('c', B.alertRecord(2, 40));
    const h = harness();
    h.feed(c.packets);
    expect(h.conns[0].server).toEqual({ ip: '10.0.0.9', port: 443 });
    expect(h.conns[0].alerts[0]).toMatchObject({ from: 'server', level: 2, description: 40, cleartext: true, packet: 1 });
  });

  it('does not report a plain HTTP connection, and tombstones it once it is clearly not TLS', () => {
    const c = new Conversation('10.0.0.1', 50000, '10.0.0.2', 80);
    c.handshake();
    c.send('c', B.ascii('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    c.send('s', new Uint8Array(20000).fill(0x41), [1448]);
    const h = harness();
    h.feed(c.packets, false);
    expect(h.table.stats.tombstoned).toBe(1);
    h.table.finish();
    expect(h.conns).toEqual([]);
  });

  it('closes idle connections by capture time', () => {
    const a = new Conversation();
    a.handshake();
    a.send('c', CH);
    const b = new Conversation('10.0.0.5', 50001);
    b.ts = a.ts + 400 * 1_000_000;
    b.handshake();
    const h = harness();
    h.feed([...a.packets, ...b.packets], false);
    expect(h.conns.length).toBe(1);
    expect(h.conns[0].notes).toContain('idle timeout (capture time)');
  });

  // Expiry is checked only when capture time reaches the earliest deadline known (not at every packet):
  // these cases add a deadline nearer than the next routine look (idle timeouts under a second).
  describe('deadlines nearer than the next routine look', () => {
    const MS = 1000;
    const at = (c: Conversation, t0: number, ms: number): Conversation => { c.ts = t0 + ms * MS - 1000; return c; };

    it('a flow first seen by its data (no SYN) is closed when its short idle timeout has passed', () => {
      const c = new Conversation();
      const t0 = c.ts;
      c.seq = { c: 1001, s: 5001 };
      at(c, t0, 0).send('c', CH);
      at(c, t0, 500).send('s', SF); // 500 ms later: idle for longer than 300 ms
      const h = harness({ idleTimeoutMicros: 300 * MS });
      h.feed(c.packets);
      // (closed, then tombstoned: the server's late flight is not taken)
      expect(h.conns.map((s) => [s.clientHello !== null, s.serverCertificates.length])).toEqual([[true, 0]]);
      expect(h.conns[0].notes).toContain('idle timeout (capture time)');
    });

    it('a handshake-only connection (SYN) is forgotten after a short idle timeout: a late SYN/ACK starts it again', () => {
      const c = new Conversation();
      const t0 = c.ts;
      const other = new Conversation('10.0.0.9', 50009);
      at(c, t0, 0).raw('c', F.SYN, 1000);
      at(other, t0, 100).raw('c', F.ACK, 1); // capture time moves on (a bare ACK of some other connection)
      at(c, t0, 400).raw('s', F.SYN | F.ACK, 5000);
      c.seq = { c: 1001, s: 5001 };
      at(c, t0, 410).send('c', CH);
      const h = harness({ idleTimeoutMicros: 300 * MS });
      h.feed([...c.packets, ...other.packets].sort((a, b) => a.ts - b.ts));
      expect(h.conns.map((s) => [s.startMicros - t0, s.firstPacket])).toEqual([[400 * MS, 3]]);
    });

    it('a reset connection is closed when its grace period ends, before the next routine look', () => {
      const c = new Conversation();
      const other = new Conversation('10.0.0.9', 50009);
      const t0 = c.ts;
      at(c, t0, 0).handshake();
      at(c, t0, 10).send('c', CH);
      at(c, t0, 20).rst('c'); // closing: the server's data in flight is taken for 2 s
      at(other, t0, 1500).raw('c', F.ACK, 1); // (a routine look at 1.5 s: not yet)
      at(c, t0, 2300).send('s', SF); // 2.3 s: too late, the connection is over
      const h = harness();
      h.feed([...c.packets, ...other.packets].sort((a, b) => a.ts - b.ts));
      expect(h.conns.map((s) => [s.clientHello !== null, s.serverCertificates.length])).toEqual([[true, 0]]);
    });

    it('a flow active again after a look is closed when idle for its short timeout since then', () => {
      const c = new Conversation();
      const other = new Conversation('10.0.0.9', 50009);
      const t0 = c.ts;
      c.seq = { c: 1001, s: 5001 };
      at(c, t0, 0).send('c', CH.subarray(0, 60));
      at(c, t0, 200).send('c', CH.subarray(60)); // active at 200 ms: idle from then on
      at(other, t0, 300).raw('c', F.ACK, 1); // (a look at 300 ms: not idle yet)
      at(c, t0, 600).send('s', SF); // idle for 400 ms by then: closed, this flight not taken
      const h = harness({ idleTimeoutMicros: 300 * MS });
      h.feed([...c.packets, ...other.packets].sort((a, b) => a.ts - b.ts));
      expect(h.conns.map((s) => [s.clientHello?.sni, s.serverCertificates.length])).toEqual([['server.example', 0]]);
      expect(h.conns[0].notes).toContain('idle timeout (capture time)');
    });

    it('the tombstone of a closed connection is forgotten when its grace period ends: later data starts a flow', () => {
      const c = new Conversation();
      const other = new Conversation('10.0.0.9', 50009);
      const t0 = c.ts;
      at(c, t0, 0).handshake();
      c.send('c', CH);
      c.fin('c');
      c.fin('s'); // ended: the tombstone is kept for 2 s
      at(other, t0, 1500).raw('c', F.ACK, 1); // (a look at 1.5 s: kept)
      at(c, t0, 2200).send('s', SF); // the 4-tuple carries data again after 2 s: a new flow
      const h = harness();
      h.feed([...c.packets, ...other.packets].sort((a, b) => a.ts - b.ts));
      expect(h.conns.map((s) => [s.clientHello !== null, s.serverCertificates.length])).toEqual([[true, 0], [false, 2]]);
      expect(h.conns[1].notes).toContain('capture starts mid-connection (no SYN seen)');
    });

    it('when the oldest handshake-only connection gets data, the next oldest is checked at once', () => {
      const idle = 300 * MS;
      const y = new Conversation('10.0.0.1', 50000);
      const x = new Conversation('10.0.0.7', 50007);
      const t0 = y.ts;
      at(y, t0, 0).raw('c', F.SYN, 1000); // Y: the oldest row
      at(x, t0, 10).raw('c', F.SYN, 3000); // X: idle from 10 ms on
      at(y, t0, 250).raw('c', F.SYN, 1000); // Y's SYN again: Y active at 250 ms
      at(y, t0, 301).raw('s', F.SYN | F.ACK, 5000); // (a look at 301 ms: Y, the oldest, is not idle)
      y.seq = { c: 1001, s: 5001 };
      at(y, t0, 305).send('c', CH); // Y carries data: X is now the oldest row, idle since 10 ms
      at(x, t0, 320).raw('s', F.SYN | F.ACK, 7000); // so X was forgotten: this SYN/ACK starts X anew
      x.seq = { c: 3001, s: 7001 };
      at(x, t0, 330).send('c', CH);
      const h = harness({ idleTimeoutMicros: idle });
      h.feed([...y.packets, ...x.packets].sort((a, b) => a.ts - b.ts));
      expect(h.conns.map((s) => [s.client.ip, s.startMicros - t0])).toEqual([['10.0.0.1', 0], ['10.0.0.7', 320 * MS]]);
    });
  });

  it('evicts the least recently active flow beyond maxFlows, with a diagnostic', () => {
    const h = harness({ maxFlows: 2 });
    const convs = [0, 1, 2].map((i) => { const c = new Conversation(`10.0.1.${i}`); c.ts += i * 10_000; c.handshake(); c.send('c', CH); return c; });
    h.feed(convs.flatMap((c) => c.packets).sort((x, y) => x.ts - y.ts), false);
    expect(h.conns.map((s) => s.client.ip)).toEqual(['10.0.1.0']);
    expect(h.conns[0].notes.some((n) => n.includes('evicted'))).toBe(true);
    expect(h.diag.count('limit.flows')).toBe(1);
    expect(h.table.stats.evicted).toBe(1);
  });

  it('evicts flows holding buffers beyond the global budget', () => {
    const h = harness({ maxTotalBufferedBytes: 1500 });
    const c = new Conversation();
    c.handshake();
    c.send('c', CH);
    const seg = c.send('s', SF, [500, 500, 500, 500, 500]);
    c.packets.splice(c.packets.indexOf(seg[0]), 1); // hole at the start: everything after is buffered
    h.feed(c.packets, false);
    expect(h.diag.count('limit.total_buffered')).toBe(1);
    expect(h.conns.length).toBe(1);
    expect(h.table.stats.bufferedBytes).toBe(0);
    expect(h.table.stats.peakBufferedBytes).toBeGreaterThan(1500);
  });

  it('keeps flows in their closing grace period within the global budget too (closed first, reported)', () => {
    // reset connections whose peer keeps sending after a hole: each flow in its grace period buffers
    // what follows the hole; before, these bytes were never evicted (3 MB held with a 100 kB budget)
    const h = harness({ maxTotalBufferedBytes: 100_000 });
    let peak = 0;
    for (let i = 0; i < 50; i++) {
      const c = new Conversation(`10.1.0.${i}`, 40000 + i);
      c.handshake();
      c.send('c', CH);
      c.rst('c'); // closing: the server's data in flight is still taken
      c.seq.s += 1000; // a segment lost in the capture
      c.send('s', new Uint8Array(60_000).fill(0x16), [1000]);
      h.feed(c.packets, false);
      peak = Math.max(peak, h.table.stats.bufferedBytes);
    }
    expect(peak).toBeLessThanOrEqual(100_000);
    expect(h.table.stats.peakBufferedBytes).toBeLessThan(150_000); // (over for the time of one packet)
    const e = h.diag.list().find((d) => d.key === 'limit.total_buffered')!;
    expect(e.count).toBeGreaterThan(40);
    expect(e.severity).toBe('limit');
    expect(e.samples[0]).toEqual({ file: 0, flow: 0, detail: 'more than 100000 bytes buffered: a closing flow\'s grace period cut short' });
    expect(h.table.stats.evicted).toBe(0); // closed, not evicted: no live flow lost
    expect(h.conns.map((s) => s.client.port)).toEqual(Array.from({ length: h.conns.length }, (_, i) => 40000 + i));
    expect(h.conns.every((s) => s.clientHello?.sni === 'server.example' && !s.notes.some((n) => n.includes('evicted')))).toBe(true);
    h.table.finish();
    expect(h.conns.length).toBe(50);
  });

  it('over the global budget, a closing flow holding bytes goes before a live one', () => {
    const h = harness({ maxTotalBufferedBytes: 2500 });
    const live = new Conversation('10.1.1.1', 40001);
    live.handshake();
    live.send('c', CH);
    live.seq.s += 1000;
    live.send('s', new Uint8Array(1000).fill(0x16)); // 1,512 bytes held
    const closing = new Conversation('10.1.1.2', 40002);
    closing.ts = live.ts + 1000;
    closing.handshake();
    closing.send('c', CH);
    closing.rst('c');
    closing.seq.s += 1000;
    closing.send('s', new Uint8Array(1000).fill(0x16), [500]); // 1,012, then 2,024 bytes held: over the budget
    h.feed([...live.packets, ...closing.packets], false);
    expect(h.conns.map((s) => [s.client.ip, s.notes])).toEqual([['10.1.1.2', []]]);
    expect(h.table.stats).toMatchObject({ evicted: 0, bufferedBytes: 1512 });
  });

  it('over the global budget, only closing flows holding bytes are closed, oldest first, until it is met exactly', () => {
    const budget = 1512 + 1012 + 1012;
    const h = harness({ maxTotalBufferedBytes: budget });
    const conv = (ip: string, reset: boolean, held: number[]) => {
      const c = new Conversation(ip, 40000);
      c.handshake();
      c.send('c', CH);
      if (reset) c.rst('c');
      c.seq.s += 1000; // lost
      for (const n of held) c.send('s', new Uint8Array(n).fill(0x16)); // each held: n + 512 bytes
      h.feed(c.packets, false);
      return c;
    };
    conv('10.1.2.1', false, [1000]); // live: 1,512
    conv('10.1.2.2', true, []); // closing, holds nothing
    conv('10.1.2.3', true, [500]); // closing: 1,012
    const b = conv('10.1.2.4', true, [500]); // closing: 1,012 (exactly the budget now)
    expect(h.table.stats.bufferedBytes).toBe(budget);
    expect(h.conns).toEqual([]);
    b.send('s', new Uint8Array(500).fill(0x16)); // 1,012 more: closing 10.1.2.3 is enough
    h.feed(b.packets.slice(-1), false);
    expect(h.conns.map((s) => s.client.ip)).toEqual(['10.1.2.3']);
    expect(h.table.stats.bufferedBytes).toBe(budget);
    expect(h.diag.count('limit.total_buffered')).toBe(1);
  });

  it('keeps a SYN flood bounded: handshake-only connections cost no flow and are forgotten first', () => {
    const h = harness({ maxFlows: 400 });
    for (let i = 0; i < 20_000; i++) {
      const c = new Conversation('10.9.0.1', 1024 + (i % 60_000), '10.0.0.2', 443, i * 7);
      c.ts += i;
      c.raw('c', F.SYN, c.seq.c);
      h.table.packet(c.packets[0].view, { tsMicros: c.packets[0].ts, index: i + 1, fileIndex: 0 });
    }
    h.table.finish();
    expect(h.conns).toEqual([]);
    expect(h.table.stats).toMatchObject({ flows: 20_000, tlsFlows: 0, tombstoned: 0, bufferedBytes: 0 });
    expect(h.diag.count('limit.flows')).toBe(20_000 - 100);
  });

  it('bounds flows in their closing grace period too: reset connections at one timestamp stay within maxFlows, none lost', () => {
    const h = harness({ maxFlows: 50 });
    let peak = 0, pkt = 0;
    for (let i = 0; i < 2_000; i++) {
      // a ClientHello answered by an RST, every packet at the same capture time (no grace period ever ends)
      const c = new Conversation('10.9.0.1', 1024 + i, '10.0.0.2', 443, i * 7);
      c.handshake();
      c.send('c', CH);
      c.raw('s', F.RST | F.ACK, c.seq.s);
      for (const p of c.packets) {
        h.table.packet(p.view, { tsMicros: 1_700_000_000_000_000, index: ++pkt, fileIndex: 0 });
        peak = Math.max(peak, h.table.trackedFlows);
      }
    }
    h.table.finish();
    expect(peak).toBe(50);
    expect(h.conns.length).toBe(2_000);
    expect(new Set(h.conns.map((s) => s.client.port)).size).toBe(2_000);
    expect(h.conns.every((s) => s.clientHello?.sni === 'server.example')).toBe(true);
    expect(h.diag.count('limit.flows')).toBe(2_000 - 50);
    expect(h.table.stats.evicted).toBe(0); // the closing ones went first: no live flow was evicted
  });

  it('tells IPv6 and IPv4 flows with the same address words apart', () => {
    const c4 = tlsConversation();
    const c6 = tlsConversation(new Conversation());
    for (const p of c6.packets) p.view.ipVersion = 6;
    const h = harness();
    h.feed([...c4.packets.slice(0, 5), ...c6.packets, ...c4.packets.slice(5)]);
    expect(h.conns.length).toBe(2);
    expect(h.conns.map((s) => s.client.ip).sort()).toEqual(['10.0.0.1', 'a00:1::']);
  });
});

describe('FlowTable: tombstones of ended connections', () => {
  it('3,000 short connections one after another keep a few tombstones, not one each; a late packet in the grace period is absorbed', () => {
    const h = harness();
    const tombs = () => (h.table as unknown as { tombs: { size: number } }).tombs.size;
    const t0 = 1_700_000_000_000_000;
    let peak = 0;
    for (let i = 0; i < 3000; i++) {
      // one connection every 20 ms of capture time, each over in ~16 ms (1 ms per packet)
      const c = tlsConversation(new Conversation('10.0.0.1', 10000 + i, '10.0.0.2', 443, 1000 + i, 5000 + i, t0 + i * 20_000));
      h.feed(c.packets, false);
      peak = Math.max(peak, tombs());
    }
    expect(h.conns.length).toBe(3000);
    // ended tombstones are kept 2 s of capture time: ~100 connections' worth, not 3,000
    expect(peak).toBeLessThan(150);
    expect(peak).toBeGreaterThan(50);
    // within the grace period, a late retransmission of the last connection creates nothing
    const last = new Conversation('10.0.0.1', 10000 + 2999, '10.0.0.2', 443, 1000, 5000, t0 + 2999 * 20_000 + 100_000);
    last.raw('s', F.ACK | F.PSH, 5000 + 2999 + 1, B.opaqueRecord(23, 100));
    h.feed(last.packets, true);
    expect(h.conns.length).toBe(3000);
    expect(h.table.stats.flows).toBe(3000);
  });

  it('an RST ends a tombstoned connection; one FIN does not', () => {
    const h = harness();
    const tombs = () => (h.table as unknown as { tombs: { size: number } }).tombs.size;
    const open = new Conversation('10.0.0.1', 40000, '10.0.0.2', 443);
    open.handshake(); open.send('c', CH); open.send('s', SF); open.send('c', CF); open.send('s', SFIN); // handshake over: tombstoned
    open.send('s', B.opaqueRecord(23, 3000));
    open.fin('c');
    const reset = new Conversation('10.0.0.3', 40001, '10.0.0.2', 443);
    reset.handshake(); reset.send('c', CH); reset.send('s', SF); reset.send('c', CF); reset.send('s', SFIN);
    reset.rst('c');
    h.feed([...open.packets, ...reset.packets], false);
    expect(tombs()).toBe(2);
    const later = new Conversation('10.0.0.9', 1, '10.0.0.2', 443, 1, 1, open.ts + 10_000_000);
    later.raw('c', F.ACK, 1); // capture time moves on 10 s
    h.feed(later.packets, false);
    expect(tombs()).toBe(1); // the half-closed one stays
  });

  it('a tombstone idle for the idle timeout is forgotten: the next packet starts a flow again; one in use is kept', () => {
    const h = harness();
    const tombs = () => (h.table as unknown as { tombs: { size: number } }).tombs.size;
    const t0 = 1_700_000_000_000_000;
    const quiet = new Conversation('10.0.0.1', 40000, '10.0.0.2', 443, 1000, 5000, t0);
    quiet.handshake(); quiet.send('c', CH); quiet.send('s', SF); quiet.send('c', CF); quiet.send('s', SFIN); // tombstoned
    const busy = new Conversation('10.0.0.3', 40001, '10.0.0.2', 443, 1000, 5000, t0);
    busy.handshake(); busy.send('c', CH); busy.send('s', SF); busy.send('c', CF); busy.send('s', SFIN);
    h.feed([...quiet.packets, ...busy.packets].sort((a, b) => a.ts - b.ts), false);
    expect(tombs()).toBe(2);
    const flows = h.table.stats.flows;
    // busy sends a record every 100 s of capture time for 1,000 s; quiet sends nothing
    for (let k = 1; k <= 10; k++) {
      busy.ts = t0 + k * 100_000_000;
      const before = busy.packets.length;
      busy.send('s', B.opaqueRecord(23, 100));
      h.feed(busy.packets.slice(before), false);
    }
    expect(h.table.stats.flows).toBe(flows); // busy stayed a tombstone throughout
    expect(tombs()).toBe(1);
    quiet.ts = t0 + 1_000_500_000;
    const before = quiet.packets.length;
    quiet.send('s', B.opaqueRecord(23, 100));
    h.feed(quiet.packets.slice(before), true);
    expect(h.table.stats.flows).toBe(flows + 1); // forgotten: its late data starts a flow again
  });
});
