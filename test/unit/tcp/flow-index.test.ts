import { describe, expect, it } from 'vitest';
import { FlowIndex } from '../../../src/tcp/flow-index.js';
import { Flow } from '../../../src/tcp/flow.js';
import { newPacketView, type PacketView } from '../../../src/decode/packet-view.js';
import type { TlsSession } from '../../../src/tls/tls-session.js';

/** A client 10.0.x.y:port → 192.0.2.1:443 packet view. */
function view(i: number): PacketView {
  const v = newPacketView();
  v.src0 = 0x0a000000 + i; v.dst0 = 0xc0000201; v.srcPort = 1024 + (i % 50_000); v.dstPort = 443;
  return v;
}

function reversed(v: PacketView): PacketView {
  const r = { ...v };
  r.src0 = v.dst0; r.dst0 = v.src0; r.srcPort = v.dstPort; r.dstPort = v.srcPort;
  return r;
}

const session = {} as TlsSession;

describe('flow index', () => {
  it('finds thousands of live flows in both directions (colliding hashes, growth), forgets removed ones', () => {
    const idx = new FlowIndex();
    const flows: Flow[] = [];
    // 5000 flows over only 700 distinct hashes: chains, and four doublings of the bucket array
    for (let i = 0; i < 5000; i++) {
      const f = new Flow(i, (i % 700) * 0x9e3779b1 | 0, i, view(i), 0, i, 0, session, 1 << 20);
      idx.add(f);
      flows.push(f);
    }
    expect(idx.size).toBe(5000);
    for (let i = 0; i < 5000; i++) {
      expect(idx.find(flows[i].hash, view(i))).toBe(flows[i]);
      expect(idx.dir).toBe(0);
      expect(idx.find(flows[i].hash, reversed(view(i)))).toBe(flows[i]);
      expect(idx.dir).toBe(1);
    }
    for (let i = 0; i < 5000; i += 2) idx.remove(flows[i]);
    expect(idx.size).toBe(2500);
    for (let i = 0; i < 5000; i++) expect(idx.find(flows[i].hash, view(i))).toBe(i % 2 === 0 ? null : flows[i]);
    // removing a flow that is not there changes nothing
    idx.remove(flows[0]);
    expect(idx.size).toBe(2500);
    // a view of another flow with the same hash is not mistaken for it
    expect(idx.find(flows[1].hash, view(9_999))).toBe(null);
  });

  it('a removed flow keeps no link into a chain', () => {
    const idx = new FlowIndex();
    const a = new Flow(1, 7, 1, view(1), 0, 1, 0, session, 1 << 20);
    const b = new Flow(2, 7, 2, view(2), 0, 2, 0, session, 1 << 20);
    idx.add(a);
    idx.add(b);
    expect(b.nextInBucket).toBe(a);
    idx.remove(b);
    expect(b.nextInBucket).toBe(null);
    expect(idx.find(7, view(1))).toBe(a);
  });
});
