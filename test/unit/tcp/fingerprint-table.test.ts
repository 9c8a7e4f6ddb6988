import { describe, expect, it } from 'vitest';
import { FingerprintTable } from '../../../src/tcp/fingerprint-table.js';
import { Tombstones } from '../../../src/tcp/tombstones.js';
import { Embryos } from '../../../src/tcp/embryos.js';
import { PacketClock } from '../../../src/tcp/packet-clock.js';

describe('FingerprintTable (typed-array open addressing)', () => {
  it('finds, deletes (keeping probe chains) and grows with its columns', () => {
    const t = new FingerprintTable(100_000, [Uint32Array]);
    const keys: Array<[number, number]> = [];
    for (let i = 0; i < 5000; i++) {
      const k: [number, number] = [(i * 64) | 0, i ^ 0x55aa]; // colliding low bits: long probe chains
      keys.push(k);
      const slot = t.insert(k[0], k[1]); // (may grow: read `cols` after inserting)
      t.cols[0][slot] = i;
    }
    for (let i = 0; i < 5000; i += 2) t.deleteSlot(t.find(keys[i][0], keys[i][1]));
    expect(t.size).toBe(2500);
    for (let i = 0; i < 5000; i++) {
      const s = t.find(keys[i][0], keys[i][1]);
      if (i % 2 === 0) expect(s).toBe(-1);
      else expect(t.cols[0][s]).toBe(i);
    }
  });

  it('forgets the oldest entry when full', () => {
    const t = new FingerprintTable(3, []);
    for (let i = 1; i <= 4; i++) t.insert(i, i);
    expect(t.size).toBe(3);
    expect(t.find(1, 1)).toBe(-1);
    expect(t.find(4, 4)).toBeGreaterThanOrEqual(0);
    expect(t.evictions).toBe(1);
  });

  it('does not evict a re-inserted key through its stale FIFO entry', () => {
    const t = new FingerprintTable(2, []);
    t.insert(1, 1);
    t.deleteSlot(t.find(1, 1));
    t.insert(2, 2);
    t.insert(1, 1); // newer than 2
    t.insert(3, 3); // evicts the oldest live entry: 2
    expect(t.find(2, 2)).toBe(-1);
    expect(t.find(1, 1)).toBeGreaterThanOrEqual(0);
  });
});

describe('Tombstones and Embryos', () => {
  it('tombstones keep the client ISN (or none)', () => {
    const t = new Tombstones(10);
    t.add(5, 6, 0xfffffff0);
    t.add(7, 8, -1);
    expect(t.isnAt(t.find(5, 6))).toBe(0xfffffff0);
    expect(t.isnAt(t.find(7, 8))).toBe(-1);
    t.add(5, 6, 42); // replaces
    expect(t.size).toBe(2);
    expect(t.isnAt(t.find(5, 6))).toBe(42);
  });

  it('embryos record handshakes, survive an RST, spot a new ISN, and hand over their row', () => {
    const clock = new PacketClock();
    const e = new Embryos(10, clock);
    Object.assign(clock, { ts: 1000, now: 1000, packet: 3, file: 0 });
    const s = e.create(1, 2, 17, 0xabc);
    expect(e.handshake(s, false, 0x80000000)).toBe(true);
    e.markClosed(s); // RST, then the SYN is retransmitted: still the same connection
    expect(e.handshake(s, false, 0x80000000)).toBe(true);
    expect(e.handshake(s, false, 0x12345)).toBe(false); // another ISN: a new attempt
    expect(e.handshake(s, true, 99)).toBe(true);
    expect(e.handshake(s, true, 77)).toBe(true); // another SYN/ACK: the last one counts
    expect(e.take(s)).toEqual({ id: 17, startMicros: 1000, firstPacket: 3, fileIndex: 0, client: 0xabc, isnClient: 0x80000000, isnServer: 77, bits: 3 });
    expect(e.size).toBe(0);
  });

  it('embryos expire by capture time', () => {
    const clock = new PacketClock();
    const e = new Embryos(10, clock);
    Object.assign(clock, { ts: 100, now: 100, packet: 1 });
    e.create(1, 1, 0, 0);
    Object.assign(clock, { ts: 500, now: 500, packet: 2 });
    e.create(2, 2, 1, 0);
    clock.ts = clock.now = 700;
    e.expire(500); // rows idle since before 200
    expect(e.find(1, 1)).toBe(-1);
    expect(e.find(2, 2)).toBeGreaterThanOrEqual(0);
    e.handshake(e.find(2, 2), true, 5); // a SYN/ACK at 700 keeps the row alive
    clock.ts = clock.now = 1100;
    e.expire(500);
    expect(e.find(2, 2)).toBeGreaterThanOrEqual(0);
    clock.ts = clock.now = 1300;
    e.expire(500);
    expect(e.find(2, 2)).toBe(-1);
  });
});
