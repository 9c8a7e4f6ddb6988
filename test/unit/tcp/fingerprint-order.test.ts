/**
 * FingerprintTable details the flow table relies on: probe chains across the end of the array,
 * generations (also when the counter wraps), the age order (oldest, requeue, eviction) and its ring
 * staying bounded, and columns carried through deletions and growth.
 */
import { describe, expect, it } from 'vitest';
import { FingerprintTable } from '../../../src/tcp/fingerprint-table.js';

type Internals = { cap: number; nextGen: number; ring: { capacity: number; length: number } };
const inner = (t: FingerprintTable) => t as unknown as Internals;

describe('FingerprintTable probing', () => {
  it('finds nothing in an empty table, also after everything was deleted', () => {
    const t = new FingerprintTable(10, []);
    expect(t.find(0, 0)).toBe(-1);
    expect(t.oldest()).toBe(-1);
    t.deleteSlot(t.insert(0, 0));
    expect(t.find(0, 0)).toBe(-1);
    expect(t.size).toBe(0);
    expect(t.oldest()).toBe(-1);
  });

  it('keeps chains that wrap around the end of the array when deleting', () => {
    const t = new FingerprintTable(100, [Float64Array]);
    // 1023, 2047 and 3071 share home slot 1023: they take slots 1023, 0, 1; 1024 (home 0) goes to 2
    const keys = [1023, 2047, 3071, 1024, 2048];
    for (const k of keys) t.cols[0][t.insert(k, k * 3)] = k + 0.5;
    expect(keys.map((k) => t.find(k, k * 3))).toEqual([1023, 0, 1, 2, 3]);
    t.deleteSlot(1023);
    // each moves back as far as its home allows: 2047 → 1023, 3071 → 0, 1024 → 1, 2048 → 2
    expect(keys.map((k) => t.find(k, k * 3))).toEqual([-1, 1023, 0, 1, 2]);
    expect(keys.slice(1).map((k) => t.cols[0][t.find(k, k * 3)])).toEqual([2047.5, 3071.5, 1024.5, 2048.5]);
    t.deleteSlot(t.find(3071, 3071 * 3));
    expect([2047, 1024, 2048].map((k) => t.find(k, k * 3))).toEqual([1023, 0, 1]);
    expect(t.size).toBe(3);
  });

  it('does not move an entry before its home slot', () => {
    const t = new FingerprintTable(100, []);
    t.insert(5, 1); // slot 5
    t.insert(6, 1); // slot 6 (its home)
    t.insert(5, 2); // slot 7 (home 5)
    t.deleteSlot(5);
    expect([t.find(6, 1), t.find(5, 2)]).toEqual([6, 5]);
  });

  it('leaves no copy behind when it moves an entry back (deleting it afterwards deletes it)', () => {
    const t = new FingerprintTable(100, []);
    t.insert(5, 1); // slot 5
    t.insert(5, 2); // slot 6
    t.insert(5, 3); // slot 7
    t.deleteSlot(5); // (5,2) → 5, (5,3) → 6
    t.deleteSlot(t.find(5, 2));
    t.deleteSlot(t.find(5, 3));
    expect([t.find(5, 1), t.find(5, 2), t.find(5, 3), t.size]).toEqual([-1, -1, -1, 0]);
    t.insert(5, 4);
    expect(t.find(5, 4)).toBe(5);
  });

  it('tells fingerprints apart by either half, and takes hashes as signed 32-bit numbers', () => {
    const t = new FingerprintTable(100, []);
    const s = t.insert(0xffffffff, 7);
    expect(t.find(-1, 7)).toBe(s);
    expect(t.find(0xffffffff, 7)).toBe(s);
    expect(t.find(0xffffffff, 8)).toBe(-1);
    expect(t.find(0x7fffffff, 7)).toBe(-1);
  });

  it('grows past 70 % full, keeping entries, columns and their order of age', () => {
    const t = new FingerprintTable(10_000, [Int32Array, Float64Array, Uint8Array]);
    for (let i = 0; i < 716; i++) {
      const s = t.insert(i * 1024, i); // all at home slot 0 before growing: one long chain
      t.cols[0][s] = -i - 1; t.cols[1][s] = i / 4; t.cols[2][s] = i & 0xff;
    }
    expect(inner(t).cap).toBe(1024);
    t.insert(716 * 1024, 716);
    expect(inner(t).cap).toBe(2048);
    for (let i = 0; i < 716; i++) {
      const s = t.find(i * 1024, i);
      expect([t.cols[0][s], t.cols[1][s], t.cols[2][s]]).toEqual([-i - 1, i / 4, i & 0xff]);
    }
    expect(t.oldest()).toBe(t.find(0, 0));
    expect(t.size).toBe(717);
  });
});

describe('FingerprintTable generations and age order', () => {
  it('gives a re-inserted key a new generation, never 0, also when the counter wraps', () => {
    const t = new FingerprintTable(10, []);
    inner(t).nextGen = 0xffffffff;
    const a = t.genAt(t.insert(1, 1));
    const b = t.genAt(t.insert(2, 2));
    const c = t.genAt(t.insert(3, 3));
    expect([a, b, c]).toEqual([0xffffffff, 1, 2]);
  });

  it('the oldest is the first inserted still present; requeue sends it to the back', () => {
    const t = new FingerprintTable(10, []);
    t.requeueOldest(); // (empty: nothing to do)
    for (let i = 1; i <= 4; i++) t.insert(i, i);
    expect(t.oldest()).toBe(t.find(1, 1));
    t.requeueOldest(); // 2 3 4 1
    expect(t.oldest()).toBe(t.find(2, 2));
    t.deleteSlot(t.find(2, 2));
    t.deleteSlot(t.find(3, 3));
    t.requeueOldest(); // (stale 2 and 3 dropped) 1 4
    expect(t.oldest()).toBe(t.find(1, 1));
    t.insert(5, 5); // 1 4 5
    t.requeueOldest(); // 4 5 1
    const order: number[] = [];
    while (t.size > 0) {
      const s = t.oldest();
      order.push([1, 4, 5].find((k) => t.find(k, k) === s)!);
      t.deleteSlot(s);
    }
    expect(order).toEqual([4, 5, 1]);
    t.requeueOldest();
    expect(t.oldest()).toBe(-1);
    t.insert(9, 9);
    expect(t.oldest()).toBe(t.find(9, 9));
  });

  it('when full, evicts in age order (a requeued entry last) and counts each eviction', () => {
    const t = new FingerprintTable(3, []);
    for (let i = 1; i <= 3; i++) t.insert(i, i);
    t.requeueOldest(); // 2 3 1
    t.insert(4, 4);
    t.insert(5, 5);
    expect([1, 2, 3, 4, 5].map((k) => t.find(k, k) >= 0)).toEqual([true, false, false, true, true]);
    expect(t.evictions).toBe(2);
    expect(t.size).toBe(3);
    // the oldest in slot 0: only it goes
    const u = new FingerprintTable(3, []);
    expect(u.insert(1024, 1)).toBe(0);
    u.insert(2, 2);
    u.insert(3, 3);
    u.insert(4, 4);
    expect([u.find(1024, 1), u.find(2, 2) >= 0, u.find(3, 3) >= 0, u.find(4, 4) >= 0, u.size]).toEqual([-1, true, true, true, 3]);
  });

  it('its age ring is compacted, not grown, while most of it is stale, and keeps its order', () => {
    const t = new FingerprintTable(1000, []);
    // 10 live entries; 1,000 more inserted and deleted one by one
    for (let i = 1; i <= 10; i++) t.insert(i, i);
    for (let i = 100; i < 1100; i++) t.deleteSlot(t.insert(i, i));
    expect(inner(t).ring.capacity).toBe(64);
    expect(inner(t).ring.length).toBeLessThanOrEqual(64);
    expect(t.oldest()).toBe(t.find(1, 1));
    // with half or more of it live, the ring grows instead
    const u = new FingerprintTable(1000, []);
    for (let i = 1; i <= 32; i++) u.insert(i, i);
    for (let i = 100; i < 132; i++) u.deleteSlot(u.insert(i, i)); // 64 in the ring, 32 live
    expect(inner(u).ring.capacity).toBe(64);
    u.insert(500, 500); // 33 live: compacting would free less than half: it doubles
    expect(inner(u).ring.capacity).toBe(128);
    expect(inner(u).ring.length).toBe(65);
    const v = new FingerprintTable(1000, []);
    for (let i = 1; i <= 31; i++) v.insert(i, i);
    for (let i = 100; i < 133; i++) v.deleteSlot(v.insert(i, i)); // 64 in the ring, 31 live
    v.insert(500, 500); // 32 live: the ring is compacted to them
    expect(inner(v).ring.capacity).toBe(64);
    expect(inner(v).ring.length).toBe(32);
    expect(v.oldest()).toBe(v.find(1, 1));
    // queued entries of a key deleted and inserted again since (another generation) are dropped too
    const w = new FingerprintTable(1000, []);
    for (let i = 1; i <= 31; i++) w.insert(i, i);
    for (let i = 0; i < 33; i++) w.deleteSlot(w.insert(100, 100)); // 64 in the ring
    w.insert(100, 100); // 32 live: compacted to the 31 others, then this one
    expect([inner(w).ring.capacity, inner(w).ring.length]).toEqual([64, 32]);
  });
});
