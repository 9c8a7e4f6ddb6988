/**
 * The flow table looks for expired flows, embryo rows and tombstones only when capture time reaches the
 * earliest deadline it knows of (flow-table.ts `nextExpiry`), not at every packet. Differential property:
 * random multi-connection traffic with short idle timeouts, irregular times and clocks that step back,
 * through two tables, one forced to look at every advance of capture time as before the gate; the
 * connections reported, their notes and the table's counters must be the same.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as B from '../../helpers/tls-builder.js';
import { Conversation, F, harness, type Packet } from './conversation.js';

const CH = B.record(22, B.clientHello({ sni: 'server.example', versions: [0x0303] }));
const SF = B.record(22, B.concat(B.serverHello({ cipher: 0xc02f }), B.certificate([B.fakeDer(700, 1)]), B.serverHelloDone()));
const CF = B.concat(B.record(22, B.clientKeyExchange()), B.ccsRecord(), B.opaqueRecord(22, 40));
const SFIN = B.concat(B.ccsRecord(), B.opaqueRecord(22, 40));

type Ev = 'syn' | 'synack' | 'ack' | 'ch' | 'sf' | 'cf' | 'sfin' | 'app' | 'finc' | 'fins' | 'rstc' | 'rsts' | 'synnew';
const EVENTS: Ev[] = ['syn', 'synack', 'ack', 'ch', 'sf', 'cf', 'sfin', 'app', 'finc', 'fins', 'rstc', 'rsts', 'synnew'];

function play(c: Conversation, ev: Ev): void {
  switch (ev) {
    case 'syn': c.raw('c', F.SYN, (c.seq.c - 1) >>> 0); break;
    case 'synack': c.raw('s', F.SYN | F.ACK, (c.seq.s - 1) >>> 0); break;
    case 'ack': c.raw('c', F.ACK, c.seq.c); break;
    case 'ch': c.send('c', CH, [60]); break;
    case 'sf': c.send('s', SF, [500]); break;
    case 'cf': c.send('c', CF); break;
    case 'sfin': c.send('s', SFIN); break;
    case 'app': c.send('s', B.opaqueRecord(23, 200)); break;
    case 'finc': c.fin('c'); break;
    case 'fins': c.fin('s'); break;
    case 'rstc': c.rst('c'); break;
    case 'rsts': c.rst('s'); break;
    case 'synnew': { // the 4-tuple reused by a new connection (another ISN)
      c.seq = { c: (c.seq.c + 100_000) >>> 0, s: (c.seq.s + 100_000) >>> 0 };
      c.raw('c', F.SYN, (c.seq.c - 1) >>> 0);
      break;
    }
  }
}

const step = fc.record({
  conn: fc.integer({ min: 0, max: 3 }),
  ev: fc.constantFrom(...EVENTS),
  // gaps around the idle timeouts and grace periods below, sometimes a step back in time
  gapMs: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 80, max: 2600 }), fc.constant(-500)),
});

function feedBoth(steps: { conn: number; ev: Ev; gapMs: number }[], idleMs: number) {
  const convs = [0, 1, 2, 3].map((i) => new Conversation(`10.0.0.${i + 1}`, 50000 + i, '10.0.9.9', 443, 1000 + i * 7919, 5000 + i * 104729));
  for (const c of convs) c.seq = { c: (c.seq.c + 1) >>> 0, s: (c.seq.s + 1) >>> 0 };
  let t = convs[0].ts;
  const packets: Packet[] = [];
  for (const s of steps) {
    t += s.gapMs * 1000;
    const c = convs[s.conn];
    const before = c.packets.length;
    c.ts = t;
    play(c, s.ev);
    for (const p of c.packets.slice(before)) { p.ts = t; packets.push(p); }
  }
  const gated = harness({ idleTimeoutMicros: idleMs * 1000 });
  const every = harness({ idleTimeoutMicros: idleMs * 1000 });
  const forced = every.table as unknown as { nextExpiry: number };
  let i = 0;
  for (const p of packets) {
    i++;
    gated.table.packet(p.view, { tsMicros: p.ts, index: i, fileIndex: 0 });
    forced.nextExpiry = -Infinity; // look at every advance of capture time
    every.table.packet(p.view, { tsMicros: p.ts, index: i, fileIndex: 0 });
  }
  gated.table.finish();
  every.table.finish();
  return { gated, every };
}

const view = (h: ReturnType<typeof harness>) => ({
  conns: h.conns.map((s) => ({ id: s.id, start: s.startMicros, first: s.firstPacket, client: s.client, ch: s.clientHello !== null, certs: s.serverCertificates.length, notes: s.notes })),
  stats: h.table.stats,
});

describe('FlowTable expiry gate', () => {
  it('reports what a table looking at every packet reports (random traffic, short idle timeouts)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), fc.constantFrom(100, 300, 900, 1500, 300_000), (steps, idleMs) => {
        const { gated, every } = feedBoth(steps, idleMs);
        expect(view(gated)).toEqual(view(every));
      }),
      { numRuns: 400 },
    );
  });

  it('the random traffic does reach the expiry paths (idle flows, closing grace periods)', () => {
    // (guards the property above against generating nothing that expires)
    const steps: { conn: number; ev: Ev; gapMs: number }[] = [
      { conn: 0, ev: 'syn', gapMs: 0 }, { conn: 0, ev: 'synack', gapMs: 1 }, { conn: 0, ev: 'ch', gapMs: 1 },
      { conn: 1, ev: 'ch', gapMs: 1 }, { conn: 1, ev: 'rstc', gapMs: 1 },
      { conn: 2, ev: 'ch', gapMs: 1200 }, { conn: 1, ev: 'sf', gapMs: 2600 },
    ];
    const { gated } = feedBoth(steps, 900);
    const notes = gated.conns.flatMap((s) => s.notes);
    expect(notes).toContain('idle timeout (capture time)');
    expect(gated.conns.length).toBe(3);
  });
});
