/**
 * FlowTable TCP details, observed from outside: which packets start a connection (bare ACKs, FINs,
 * snaplen-cut and offset payloads), ISNs taken from the handshake (embryo rows, SYN/ACKs on a flow,
 * TCP Fast Open) and what they decide (stream starts, roles, tombstone reuse), ACK-driven gap
 * declaration, RST/FIN endings, and when the idle tombstones are looked for (once a second).
 */
import { describe, expect, it } from 'vitest';
import * as B from '../../helpers/tls-builder.js';
import { flowHash } from '../../../src/tcp/flow-key.js';
import { Conversation, F, harness, type Harness, type Packet } from './conversation.js';

const chain = [B.fakeDer(1300, 1), B.fakeDer(900, 2)];
const CH = B.record(22, B.clientHello({ sni: 'server.example', versions: [0x0303] }));
const SF = B.record(22, B.concat(B.serverHello({ cipher: 0xc02f }), B.certificate(chain), B.serverHelloDone()));
const CF = B.concat(B.record(22, B.clientKeyExchange()), B.ccsRecord(), B.opaqueRecord(22, 40));
const SFIN = B.concat(B.ccsRecord(), B.opaqueRecord(22, 40));
const ALERT = B.alertRecord(2, 40);
const HIGH = 0x90000000; // sequence numbers this far from 0 are out of the window of a stream started at 0

const tombs = (h: Harness) => (h.table as unknown as { tombs: { size: number } }).tombs.size;
const byTime = (cs: Conversation[]): Packet[] => cs.flatMap((c) => c.packets).sort((a, b) => a.ts - b.ts);
function feedAt(h: Harness, p: Packet, ts: number, index: number): void {
  h.table.packet(p.view, { tsMicros: ts, index, fileIndex: 0 });
}

/** the whole handshake, done: the flow is tombstoned (not ended) */
function done(c: Conversation, handshake = true): Conversation {
  if (handshake) c.handshake();
  c.send('c', CH); c.send('s', SF); c.send('c', CF); c.send('s', SFIN);
  return c;
}

/** the payload of every packet moved behind a 54-byte header in its buffer (as decoded frames are) */
function withHeaders(ps: Packet[]): Packet[] {
  for (const p of ps) {
    const v = p.view;
    const d = new Uint8Array(54 + v.payloadEnd);
    d.fill(0xee, 0, 54);
    d.set(v.data.subarray(0, v.payloadEnd), 54);
    Object.assign(v, { data: d, payloadStart: 54, payloadEnd: 54 + v.payloadEnd });
  }
  return ps;
}

describe('FlowTable: what starts a connection', () => {
  it('payload offsets in the frame buffer: the same connection; bare ACKs create nothing', () => {
    const ref = harness();
    ref.feed(done(new Conversation()).packets);
    const h = harness();
    const c = done(new Conversation());
    const stray = new Conversation('10.0.20.1', 40000);
    stray.raw('c', F.ACK, 1);
    h.feed(withHeaders([...c.packets, ...stray.packets]));
    expect(h.conns.map((s) => [s.clientHello?.sni, s.serverCertificates.length, s.notes])).toEqual([['server.example', 2, []]]);
    expect(h.table.stats).toEqual(ref.table.stats);
  });

  it('a keep-alive (no payload, one byte back) does not start a stream', () => {
    const h = harness();
    const c = new Conversation();
    c.seq = { c: 1001, s: 5001 };
    c.raw('c', F.ACK | F.PSH, 1001, CH, { ack: 4000 }); // (capture starts mid-connection; an old ack number)
    c.raw('s', F.ACK, 5000);
    c.send('s', SF);
    h.feed(withHeaders(c.packets), false);
    expect(h.table.stats.bufferedBytes).toBe(0);
    h.table.finish();
    expect(h.conns.map((s) => s.serverCertificates.length)).toEqual([2]);
  });

  it('a first packet cut by the snaplen (as many bytes missing as captured) starts the flow', () => {
    const h = harness();
    const c = new Conversation();
    const half = SF.length >> 1;
    c.raw('s', F.ACK | F.PSH, 5001, SF.slice(0, half), { missing: half });
    h.feed(c.packets);
    expect(h.table.stats.flows).toBe(1);
    expect(h.conns.length).toBe(1);
    expect(h.conns[0].serverCertificates.map((x) => x.complete)).toEqual([false]);
  });

  it('a FIN without payload of an unknown connection creates nothing; a FIN carrying data starts a flow', () => {
    const h = harness();
    const c = new Conversation();
    c.raw('c', F.FIN | F.ACK, 1001);
    h.feed(c.packets);
    expect(h.table.stats.flows).toBe(0);
    const d = new Conversation('10.0.20.2');
    d.raw('c', F.FIN | F.ACK | F.PSH, 1001, CH);
    h.feed(d.packets);
    expect(h.table.stats.flows).toBe(1);
    expect(h.conns.map((s) => s.clientHello?.sni)).toEqual(['server.example']);
  });

  it('a SYN with a new ISN replaces the handshake-only row: the connection starts at that SYN', () => {
    const h = harness();
    const c = new Conversation();
    c.raw('c', F.SYN, 1000);
    c.raw('c', F.SYN, 70_000); // another attempt
    c.raw('s', F.SYN | F.ACK, 5000);
    c.seq = { c: 70_001, s: 5001 };
    c.send('c', CH);
    c.send('s', SF);
    h.feed(c.packets);
    expect(h.conns.map((s) => [s.firstPacket, s.serverCertificates.length, s.notes])).toEqual([[2, 2, []]]);
    expect(h.table.stats.flows).toBe(2);
  });

  it('flows first seen by their data get ids in order and their own capture file', () => {
    const h = harness();
    const a = new Conversation('10.0.20.3'); a.seq = { c: 1001, s: 5001 }; a.send('c', CH);
    const b = new Conversation('10.0.20.4'); b.seq = { c: 1001, s: 5001 }; b.send('c', CH);
    let i = 0;
    for (const p of [...a.packets, ...b.packets]) h.table.packet(p.view, { tsMicros: p.ts, index: ++i, fileIndex: 2 });
    const s = new Conversation('10.0.20.5');
    const syn = s.raw('c', F.SYN, 1000); // handshake in file 1, data in file 2
    h.table.packet(syn.view, { tsMicros: syn.ts, index: 1, fileIndex: 1 });
    s.seq = { c: 1001, s: 5001 };
    const ch = s.send('c', CH)[0];
    h.table.packet(ch.view, { tsMicros: ch.ts, index: 2, fileIndex: 2 });
    h.table.finish();
    expect(h.conns.map((x) => [x.client.ip, x.id, x.fileIndex])).toEqual([['10.0.20.3', 0, 2], ['10.0.20.4', 1, 2], ['10.0.20.5', 2, 1]]);
  });
});

/** a client port whose 4-tuple hashes to slot 0 of a fresh table */
function portAtSlot0(ip: string): number {
  for (let port = 1024; port < 65536; port++) {
    const v = new Conversation(ip, port).raw('c', F.SYN, 1).view;
    if ((flowHash(v) & 1023) === 0) return port;
  }
  throw new Error('no port found');
}

describe('FlowTable: handshake-only rows in slot 0 of their table', () => {
  const port = portAtSlot0('10.0.21.1');

  it('the row is taken over by the data (one connection, its first packet the SYN)', () => {
    const h = harness();
    const c = new Conversation('10.0.21.1', port);
    c.handshake();
    c.send('c', CH);
    h.feed(c.packets);
    expect(h.conns.map((s) => [s.firstPacket, s.id])).toEqual([[1, 0]]);
    expect(h.table.stats.flows).toBe(1);
  });

  it('a new ISN replaces the row', () => {
    const h = harness();
    const c = new Conversation('10.0.21.1', port);
    c.raw('c', F.SYN, 1000);
    c.raw('c', F.SYN, 70_000);
    c.raw('s', F.SYN | F.ACK, 5000);
    c.seq = { c: 70_001, s: 5001 };
    c.send('c', CH);
    h.feed(c.packets);
    expect(h.conns.map((s) => s.firstPacket)).toEqual([2]);
  });
});

describe('FlowTable: ISNs and roles from the handshake', () => {
  it('only a SYN/ACK seen: the client stream starts at its data, not at sequence number 0', () => {
    const h = harness();
    const c = new Conversation('10.0.22.1', 50000, '10.0.0.2', 443, HIGH, HIGH + 5);
    c.raw('s', F.SYN | F.ACK, c.seq.s);
    c.seq = { c: HIGH + 1, s: HIGH + 6 };
    c.send('c', CH);
    c.send('s', SF);
    h.feed(c.packets);
    expect(h.conns.map((s) => [s.clientHello?.sni, s.serverCertificates.length])).toEqual([['server.example', 2]]);
    expect(h.diag.count('tcp.out_of_window')).toBe(0);
  });

  it('only a SYN seen: the server stream starts at its data', () => {
    const h = harness();
    const c = new Conversation('10.0.22.2', 50000, '10.0.0.2', 443, HIGH, HIGH + 5);
    c.raw('c', F.SYN, c.seq.c);
    c.seq = { c: HIGH + 1, s: HIGH + 6 };
    c.send('c', CH);
    c.send('s', SF);
    h.feed(c.packets);
    expect(h.conns.map((s) => s.serverCertificates.length)).toEqual([2]);
    expect(h.diag.count('tcp.out_of_window')).toBe(0);
  });

  it('no handshake seen: streams start at their data, whatever the sequence numbers', () => {
    const h = harness();
    const c = new Conversation('10.0.22.3', 50000, '10.0.0.2', 443, HIGH, HIGH + 5);
    c.seq = { c: HIGH + 1, s: HIGH + 6 };
    c.send('c', CH);
    c.send('s', SF);
    h.feed(c.packets);
    expect(h.conns.map((s) => [s.clientHello?.sni, s.serverCertificates.length])).toEqual([['server.example', 2]]);
  });

  it('TCP Fast Open data on a SYN/ACK: its sender is the server (roles from the handshake, not the ports)', () => {
    const h = harness();
    const c = new Conversation('10.0.22.4', 443, '10.0.0.2', 50000); // the client uses port 443
    c.raw('s', F.SYN | F.ACK, 5000, ALERT);
    h.feed(c.packets);
    expect(h.conns.map((s) => [s.client, s.server])).toEqual([[{ ip: '10.0.22.4', port: 443 }, { ip: '10.0.0.2', port: 50000 }]]);
  });

  it('TCP Fast Open data on a SYN: its sender is the client (roles from the handshake, not the ports)', () => {
    const h = harness();
    const c = new Conversation('10.0.22.6', 50000, '10.0.0.2', 443);
    c.raw('s', F.SYN, 5000, ALERT); // the SYN comes from 10.0.0.2:443
    h.feed(c.packets);
    expect(h.conns.map((s) => [s.client, s.server])).toEqual([[{ ip: '10.0.0.2', port: 443 }, { ip: '10.0.22.6', port: 50000 }]]);
  });

  it('a SYN/ACK on a flow first seen by its data tells the roles', () => {
    const h = harness();
    const c = new Conversation('10.0.22.5', 443, '10.0.0.2', 50000); // the client uses port 443
    c.seq = { c: 1001, s: 5001 };
    c.send('c', ALERT);
    c.raw('s', F.SYN | F.ACK, 5000);
    h.feed(c.packets);
    expect(h.conns.map((s) => [s.client.port, s.server.port])).toEqual([[443, 50000]]);
  });

  it('a SYN/ACK on a flow sets the server ISN before its data: data after a lost segment is held', () => {
    const h = harness();
    const c = new Conversation();
    c.seq = { c: 1001, s: 5001 };
    c.send('c', CH);
    c.raw('s', F.SYN | F.ACK, 5000);
    c.seq.s += 1000; // lost
    c.send('s', B.opaqueRecord(22, 200));
    h.feed(c.packets, false);
    expect(h.table.stats.bufferedBytes).toBe(205 + 512);
  });

  it('a SYN/ACK on a flow keeps it active (idle timeout)', () => {
    const h = harness({ idleTimeoutMicros: 1_000_000 });
    const c = new Conversation();
    const t0 = c.ts;
    c.seq = { c: 1001, s: 5001 };
    c.send('c', CH);
    c.ts = t0 + 800_000;
    c.raw('s', F.SYN | F.ACK, 5000);
    c.ts = t0 + 1_500_000;
    c.send('s', SF);
    h.feed(c.packets);
    expect(h.conns.map((s) => [s.serverCertificates.length, s.notes])).toEqual([[2, ['capture starts mid-connection (no SYN seen)']]]);
  });

  it('the tombstone of a flow whose client SYN was not seen knows no ISN: any SYN starts anew', () => {
    for (const [handshake, isn] of [['none', 0], ['none', 1], ['synack', 0]] as const) {
      const h = harness();
      const c = new Conversation();
      if (handshake === 'synack') c.raw('s', F.SYN | F.ACK, 5000);
      c.seq = { c: 1001, s: 5001 };
      done(c, false);
      c.raw('c', F.SYN, isn);
      h.feed(c.packets, false);
      expect(h.table.stats.flows, `${handshake} ${isn}`).toBe(2);
      expect(tombs(h)).toBe(0);
    }
  });
});

describe('FlowTable: ACKs declare what the capture lost', () => {
  function holed() {
    const c = new Conversation();
    c.handshake();
    c.send('c', CH);
    const seg = c.send('s', SF, [1000, 1000]);
    c.packets.splice(c.packets.indexOf(seg[1]), 1); // lost in the capture
    return c;
  }

  it('a bare ACK past a hole releases what was held behind it', () => {
    const h = harness();
    const c = holed();
    h.feed(c.packets, false);
    const held = h.table.stats.bufferedBytes;
    expect(held).toBeGreaterThanOrEqual(SF.length - 2000 + 512);
    c.raw('c', F.ACK, c.seq.c);
    h.feed(c.packets.slice(-1), false);
    expect(h.table.stats.bufferedBytes).toBeLessThan(held - 512);
  });

  it('the ack number of a packet without the ACK flag is not read', () => {
    const h = harness();
    const c = holed();
    c.raw('c', F.PSH, c.seq.c, B.opaqueRecord(23, 10)); // (ack field: past the hole)
    h.feed(c.packets, false);
    expect(h.table.stats.bufferedBytes).toBeGreaterThanOrEqual(SF.length - 2000 + 512);
  });

  it('at the end, what is held is delivered after the hole (partial certificate reported)', () => {
    const h = harness();
    const c = new Conversation();
    c.handshake();
    c.send('c', CH);
    const seg = c.send('s', SF, [1000, 200]);
    c.packets.splice(c.packets.indexOf(seg[1]), 1);
    h.feed(c.packets);
    expect(h.conns[0].notes.some((n) => n.startsWith('200 bytes missing (capture) in the server certificate'))).toBe(true);
  });

  it('both FINs with equal holes in both directions: kept for the retransmissions', () => {
    const h = harness();
    const c = new Conversation();
    c.handshake();
    const sc = 40, ss = SF.length - (CH.length - 40); // the same number of bytes held each way
    const ch = c.send('c', CH, [sc]);
    const sf = c.send('s', SF, [ss]);
    c.packets.splice(c.packets.indexOf(ch[0]), 1);
    c.packets.splice(c.packets.indexOf(sf[0]), 1);
    for (const p of sf) p.view.ack = ch[0].view.seq; // the server has not got the client's lost segment either
    c.raw('c', F.FIN | F.ACK, c.seq.c, undefined, { ack: sf[0].view.seq });
    c.raw('s', F.FIN | F.ACK, c.seq.s, undefined, { ack: ch[0].view.seq });
    c.packets.push(ch[0], sf[0]); // retransmitted
    h.feed(c.packets);
    expect(h.conns.map((s) => [s.clientHello?.sni, s.serverCertificates.map((x) => x.complete), s.notes])).toEqual([['server.example', [true, true], []]]);
  });
});

describe('FlowTable: RST and FIN endings', () => {
  it('an RST from one side and a FIN from the other end the flow at once', () => {
    const h = harness();
    const c = new Conversation();
    c.handshake();
    c.send('c', CH);
    c.send('s', SF);
    c.rst('c');
    h.feed(c.packets, false);
    expect(h.conns.length).toBe(0);
    c.fin('s');
    h.feed(c.packets.slice(-1), false);
    expect(h.conns.length).toBe(1);
  });

  it('the tombstone of a reset flow is forgotten a grace period after it was closed', () => {
    for (const fin of [true, false]) {
      const h = harness();
      const c = new Conversation();
      c.handshake();
      c.send('c', CH);
      const rst = c.rst('c');
      if (fin) { c.ts += 100_000; c.fin('s'); } // the peer's FIN: closed and tombstoned at once
      h.feed(c.packets, false);
      const o = new Conversation('10.0.23.9', 40000);
      o.ts = rst.ts + 2_500_000 - 1000;
      o.raw('c', F.SYN, 1); // (capture time moves on: the grace period is over, the flow closed)
      h.feed(o.packets, false);
      expect(tombs(h)).toBe(fin ? 0 : 1);
      c.ts = rst.ts + 5_000_000;
      c.send('s', B.opaqueRecord(23, 10));
      h.feed(c.packets.slice(-1), false);
      expect(h.table.stats.flows).toBe(3); // forgotten: the data starts a flow
    }
  });

  it('a second RST does not extend the grace period', () => {
    const h = harness();
    const c = new Conversation();
    c.handshake();
    c.send('c', CH);
    const r1 = c.rst('c');
    c.ts = r1.ts + 1_000_000;
    c.rst('s');
    c.ts = r1.ts + 2_500_000;
    c.send('s', SF); // 2.5 s after the first RST: too late
    h.feed(c.packets);
    expect(h.conns.map((s) => s.serverCertificates.length)).toEqual([0]);
    expect(h.table.trackedFlows).toBe(0);
  });

  it('a connection that never carried TLS is not reported when it ends', () => {
    const h = harness();
    const c = new Conversation('10.0.23.1', 50000, '10.0.0.2', 80);
    c.handshake();
    c.send('c', B.ascii('GET / HTTP/1.1\r\n'));
    c.fin('c');
    c.fin('s');
    h.feed(c.packets);
    expect(h.conns).toEqual([]);
    expect(h.table.stats).toMatchObject({ flows: 1, tlsFlows: 0, tombstoned: 1 });
  });

  it('at exactly the global budget nothing (more) is evicted', () => {
    const h = harness({ maxTotalBufferedBytes: 2 * (500 + 512) });
    const mk = (ip: string) => {
      const c = new Conversation(ip);
      c.handshake();
      c.send('c', CH);
      const seg = c.send('s', SF, [500, 500, 500]);
      c.packets.splice(c.packets.indexOf(seg[0]), 1); // what follows the hole is held: 1,012 bytes a segment
      return c;
    };
    const x = mk('10.0.23.2'), y = mk('10.0.23.3');
    h.feed(x.packets.slice(0, -2), false);
    h.feed(y.packets.slice(0, -2), false);
    expect(h.table.stats.bufferedBytes).toBe(2 * 1012);
    expect(h.table.stats.evicted).toBe(0);
    h.feed(y.packets.slice(-2, -1), false); // 3,036: x is evicted, which brings it back to 2,024
    expect(h.table.stats.bufferedBytes).toBe(2 * 1012);
    expect(h.conns.map((s) => s.client.ip)).toEqual(['10.0.23.2']);
  });
});

describe('FlowTable: the idle-tombstone sweep, once a second of capture time', () => {
  const MS = 1000;
  // capture time starts at t0 (the first look: the next sweep is at t0 + 1 s); idle timeout 500 ms;
  // the tombstone is last touched at ~t0 + 7 ms, idle from t0 + 507 ms on
  function run(otherAtMs: number | null, dataAtMs: number) {
    const h = harness({ idleTimeoutMicros: 500 * MS });
    const c = done(new Conversation());
    const t0 = c.packets[0].ts;
    let i = 0;
    for (const p of c.packets) feedAt(h, p, p.ts, ++i);
    expect(tombs(h)).toBe(1);
    if (otherAtMs !== null) {
      const o = new Conversation('10.0.24.1', 40000);
      feedAt(h, o.raw('c', F.ACK, 1), t0 + otherAtMs * MS, ++i); // (capture time moves on)
    }
    c.send('s', B.opaqueRecord(23, 10));
    feedAt(h, c.packets[c.packets.length - 1], t0 + dataAtMs * MS, ++i);
    return h.table.stats.flows; // 2 when the tombstone was forgotten and the data started a flow
  }

  it('happens at the second exactly', () => {
    expect(run(700, 1000)).toBe(2);
  });

  it('does not happen before the second', () => {
    expect(run(600, 700)).toBe(1);
  });

  it('a closed connection seen from its data only is forgotten 2 s after it ended', () => {
    const h = harness();
    const c = new Conversation();
    c.seq = { c: 1001, s: 5001 };
    done(c, false);
    c.fin('c');
    c.fin('s');
    c.ts += 2_200_000;
    c.send('s', B.opaqueRecord(23, 10));
    h.feed(c.packets);
    expect(h.table.stats.flows).toBe(2);
  });
});

void byTime;
