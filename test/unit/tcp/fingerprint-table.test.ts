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

describe('FingerprintTable age ring', () => {
  it('does not grow with keys deleted since (100,000 inserted and deleted, at most 100 alive at a time)', () => {
    const t = new FingerprintTable(1_000_000, []);
    const ring = () => (t as unknown as { ring: { capacity: number } }).ring.capacity;
    for (let i = 1; i <= 100_000; i++) {
      t.insert(i, i * 7);
      if (i > 100) t.deleteSlot(t.find(i - 100, (i - 100) * 7));
    }
    expect(t.size).toBe(100);
    expect(ring()).toBeLessThanOrEqual(512);
    // the order of the live entries is kept: the oldest is still evicted first
    expect(t.oldest()).toBe(t.find(99_901, 99_901 * 7));
  });
});

/** Tombstones called with the capture time of each call, as the flow table's clock would read then. */
class TimedTombstones {
  private readonly clock = new PacketClock();
  private readonly t: Tombstones;
  constructor(max: number, grace?: number) { this.t = new Tombstones(max, this.clock, grace); }
  get size(): number { return this.t.size; }
  get endedPending(): number { return this.t.endedPending; }
  find(h1: number, h2: number): number { return this.t.find(h1, h2); }
  isnAt(slot: number): number { return this.t.isnAt(slot); }
  deleteSlot(slot: number): void { this.t.deleteSlot(slot); }
  add(h1: number, h2: number, isn: number, side: number, ended: boolean, now: number): void { this.clock.now = now; this.t.add(h1, h2, isn, side, ended); }
  touch(slot: number, now: number): void { this.clock.now = now; this.t.touch(slot); }
  close(slot: number, h1: number, h2: number, src: number, rst: boolean, now: number): void { this.clock.now = now; this.t.close(slot, h1, h2, src, rst); }
  expire(now: number): void { this.clock.now = now; this.t.expire(); }
  /** forget what saw no packet since `limit` */
  expireIdle(limit: number, budget: number): void { this.clock.now = limit + 300_000_000; this.t.expireIdle(300_000_000, budget); }
}

describe('Tombstones and Embryos', () => {
  it('tombstones keep the client ISN (or none)', () => {
    const t = new TimedTombstones(10);
    t.add(5, 6, 0xfffffff0, 1, false, 0);
    t.add(7, 8, -1, 1, false, 0);
    expect(t.isnAt(t.find(5, 6))).toBe(0xfffffff0);
    expect(t.isnAt(t.find(7, 8))).toBe(-1);
    t.add(5, 6, 42, 1, false, 0); // replaces
    expect(t.size).toBe(2);
    expect(t.isnAt(t.find(5, 6))).toBe(42);
  });

  it('a tombstone is forgotten a grace period after its connection ended: a FIN each way, or an RST', () => {
    const t = new TimedTombstones(100, 2_000_000);
    const A = 0x1111, B = 0x2222;
    t.add(1, 1, -1, A, false, 0); // handshake done, bulk data goes on
    t.add(2, 2, -1, A, false, 0);
    t.add(3, 3, -1, A, true, 500_000); // retired after both FINs
    t.add(4, 4, -1, A, false, 0);
    t.close(t.find(1, 1), 1, 1, A, false, 1_000_000); // FIN from A
    t.close(t.find(1, 1), 1, 1, A, false, 1_100_000); // its retransmission: still open
    t.close(t.find(2, 2), 2, 2, B, true, 1_000_000); // RST
    t.close(t.find(4, 4), 4, 4, B, false, 1_200_000); // FIN from B only
    expect(t.endedPending).toBe(2);
    t.close(t.find(1, 1), 1, 1, B, false, 1_300_000); // FIN from B: ended
    expect(t.endedPending).toBe(3);
    t.expire(2_500_000); // ended at 0.5 s: kept through 2.5 s exactly, as a closing flow is
    expect(t.size).toBe(4); // within the grace period: late packets still absorbed
    t.expire(2_500_001);
    expect(t.find(3, 3)).toBe(-1);
    expect(t.size).toBe(3);
    t.expire(3_300_001);
    expect([t.find(1, 1), t.find(2, 2), t.find(3, 3)]).toEqual([-1, -1, -1]);
    expect(t.find(4, 4)).toBeGreaterThanOrEqual(0); // half-closed: kept
    expect(t.endedPending).toBe(0);
  });

  it('a tombstone with no packet for the idle time is forgotten; one in use goes to the back of the queue', () => {
    const t = new TimedTombstones(100);
    for (let i = 1; i <= 5; i++) t.add(i, i, -1, 0x1, false, 0);
    t.touch(t.find(1, 1), 200_000_000);
    t.touch(t.find(4, 4), 250_000_000);
    t.expireIdle(100_000_000, 2); // looks at two entries: 1 (in use: to the back), then 2 (idle: gone)
    expect([1, 2, 3, 4, 5].map((i) => t.find(i, i) >= 0)).toEqual([true, false, true, true, true]);
    t.expireIdle(100_000_000, 100);
    expect([1, 2, 3, 4, 5].map((i) => t.find(i, i) >= 0)).toEqual([true, false, false, true, false]);
    t.expireIdle(220_000_000, 100); // 1 was last seen at 200 s, 4 at 250 s
    expect([1, 4].map((i) => t.find(i, i) >= 0)).toEqual([false, true]);
    expect(t.size).toBe(1);
  });

  it('a tombstone replaced after its connection ended is not forgotten through the stale entry', () => {
    const t = new TimedTombstones(100, 2_000_000);
    t.add(1, 1, 7, 0x1, true, 0); // ended
    t.deleteSlot(t.find(1, 1)); // a new connection on the 4-tuple (SYN with another ISN) ...
    t.add(1, 1, 9, 0x1, false, 100); // ... later retired open
    t.expire(10_000_000);
    expect(t.isnAt(t.find(1, 1))).toBe(9);
  });

  it('an ended tombstone is forgotten after its grace period even when making room moved it to another slot', () => {
    const t = new TimedTombstones(4, 2_000_000);
    // B, C and D share a home slot (low bits 5): probing puts them in three consecutive slots
    t.add(5, 2, -1, 0x1, true, 0); // B, ended
    for (const k of [500, 600, 700]) { t.add(k, k, -1, 0x1, true, 0); t.deleteSlot(t.find(k, k)); } // 3 stale queue entries
    t.add(1029, 3, -1, 0x1, false, 0); // C
    t.add(2053, 4, -1, 0x1, false, 0); // D
    expect(t.endedPending).toBe(4); // the queue is full: ending C first forgets B, and C and D move back a slot
    t.close(t.find(1029, 3), 1029, 3, 0x2, true, 1_000_000); // RST: C ends
    expect(t.find(5, 2)).toBe(-1);
    t.expire(3_000_001);
    expect(t.find(1029, 3)).toBe(-1);
    expect(t.find(2053, 4)).toBeGreaterThanOrEqual(0);
  });

  it('ended tombstones stay bounded when capture time stands still', () => {
    const t = new TimedTombstones(50, 2_000_000);
    for (let i = 1; i <= 500; i++) t.add(i, i, -1, 0x1, true, 0);
    expect(t.size).toBeLessThanOrEqual(50);
    expect(t.endedPending).toBeLessThanOrEqual(50);
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
