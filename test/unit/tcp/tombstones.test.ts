/**
 * Tombstones on their own: what is remembered (ISN or none), which FINs end a connection, when an
 * ended or idle tombstone is forgotten (to the microsecond of capture time), and the bounds.
 */
import { describe, expect, it } from 'vitest';
import { Tombstones } from '../../../src/tcp/tombstones.js';
import { PacketClock } from '../../../src/tcp/packet-clock.js';

const A = 0x1111, B = 0x2222;

function make(max = 100, grace?: number) {
  const clock = new PacketClock();
  const t = grace === undefined ? new Tombstones(max, clock) : new Tombstones(max, clock, grace);
  const at = (now: number) => { clock.now = now; return t; };
  const has = (...keys: number[]) => keys.map((k) => t.find(k, k) >= 0);
  return { t, at, has };
}

describe('Tombstones: what is kept', () => {
  it('keeps an ISN of 0 as known (only a negative one is unknown)', () => {
    const { t } = make();
    t.add(1, 1, 0, A, false);
    t.add(2, 2, -1, A, false);
    t.add(3, 3, 0xffffffff, A, false);
    expect([t.isnAt(t.find(1, 1)), t.isnAt(t.find(2, 2)), t.isnAt(t.find(3, 3))]).toEqual([0, -1, 0xffffffff]);
  });

  it('replaces the entry of the same fingerprint, also in slot 0, and forgets nothing else', () => {
    const { t } = make();
    t.add(1024, 9, 5, A, false); // home slot 0
    t.add(1024, 9, 6, A, false);
    t.add(0, 3, 7, A, false);
    t.add(0, 3, -1, A, false);
    expect(t.size).toBe(2);
    expect(t.find(1024, 9)).toBe(0);
    expect(t.isnAt(t.find(1024, 9))).toBe(6);
    expect(t.isnAt(t.find(0, 3))).toBe(-1);
    t.deleteSlot(t.find(1024, 9));
    expect(t.size).toBe(1);
    expect(t.find(0, 3)).toBeGreaterThanOrEqual(0);
  });

  it('forgets the oldest beyond its maximum', () => {
    const { t, has } = make(3);
    for (let i = 1; i <= 4; i++) t.add(i, i, -1, A, false);
    expect(has(1, 2, 3, 4)).toEqual([false, true, true, true]);
  });
});

describe('Tombstones: ended connections', () => {
  it('says when the longest-ended one is forgotten (Infinity when none waits)', () => {
    const { t, at } = make(100, 2_000_000);
    expect(t.nextEndedTime()).toBe(Infinity);
    expect(t.endedPending).toBe(0);
    at(500).add(1, 1, -1, A, true);
    at(900).add(2, 2, -1, A, true);
    expect(t.nextEndedTime()).toBe(2_000_500);
    at(2_000_501).expire();
    expect(t.nextEndedTime()).toBe(2_000_900);
    at(2_000_901).expire();
    expect(t.nextEndedTime()).toBe(Infinity);
    expect(t.size).toBe(0);
  });

  it('the grace period defaults to 2 s', () => {
    const { t, at, has } = make(100);
    at(1_000).add(1, 1, -1, A, true);
    at(2_001_000).expire();
    expect(has(1)).toEqual([true]);
    at(2_001_001).expire();
    expect(has(1)).toEqual([false]);
  });

  it('a FIN from each side ends it; FINs from one side, or after it ended, change nothing', () => {
    const { t, at, has } = make(100, 1_000);
    at(0).add(1, 1, -1, A, false);
    at(0).add(2, 2, -1, A, false);
    at(0).add(3, 3, -1, A, false);
    t.close(t.find(1, 1), 1, 1, A, false);
    t.close(t.find(1, 1), 1, 1, A, false);
    t.close(t.find(2, 2), 2, 2, B, false);
    t.close(t.find(2, 2), 2, 2, B, false);
    expect(t.endedPending).toBe(0);
    at(10).close(t.find(1, 1), 1, 1, B, false); // ended at 10
    at(20).close(t.find(2, 2), 2, 2, A, false); // ended at 20
    at(30).close(t.find(3, 3), 3, 3, B, true); // RST: ended at 30
    expect(t.endedPending).toBe(3);
    at(500).close(t.find(1, 1), 1, 1, A, true); // after it ended: not queued again, its deadline unchanged
    at(600).close(t.find(2, 2), 2, 2, B, false);
    expect(t.endedPending).toBe(3);
    expect(t.nextEndedTime()).toBe(1_010);
    at(1_011).expire();
    expect(has(1, 2, 3)).toEqual([false, true, true]);
  });

  it('an ended entry keeps its ISN (a retransmitted SYN is still recognised)', () => {
    const { t, at } = make(100, 1_000);
    at(0).add(1, 1, 4242, A, true);
    at(0).add(2, 2, 77, A, false);
    at(10).close(t.find(2, 2), 2, 2, B, true);
    expect([t.isnAt(t.find(1, 1)), t.isnAt(t.find(2, 2))]).toEqual([4242, 77]);
  });

  it('an entry already ended when added is forgotten after the grace period; one not ended is not', () => {
    const { t, at, has } = make(100, 1_000);
    at(0).add(1, 1, -1, A, true);
    at(0).add(2, 2, -1, A, false);
    at(5_000).expire();
    expect(has(1, 2)).toEqual([false, true]);
  });

  it('a stale queue entry (the tombstone replaced since) does not forget the new one, also at slot 0', () => {
    const { t, at, has } = make(100, 1_000);
    at(0).add(1024, 1024, -1, A, true); // slot 0, ended
    at(10).add(1024, 1024, -1, A, false); // replaced, open
    at(5_000).expire();
    expect(has(1024)).toEqual([true]);
    expect(t.endedPending).toBe(0);
    // and an entry ended at slot 0 is forgotten through its own queue entry
    at(6_000).close(t.find(1024, 1024), 1024, 1024, A, true);
    at(7_001).expire();
    expect(has(1024)).toEqual([false]);
  });

  it('the queue of ended connections stays within the maximum: the longest-ended is forgotten early', () => {
    const { t, at, has } = make(3, 1_000_000);
    for (let i = 1; i <= 3; i++) at(i).add(i, i, -1, A, true);
    expect(t.endedPending).toBe(3);
    expect(has(1, 2, 3)).toEqual([true, true, true]);
    at(4).add(3, 3, -1, A, true); // 3 retired again (table not full): a fourth end, so 1, the longest-ended, is forgotten early
    expect(t.endedPending).toBe(3);
    expect(has(1, 2, 3)).toEqual([false, true, true]);
    expect(t.nextEndedTime()).toBe(1_000_002);
    at(5).add(4, 4, -1, A, false); // (room for it: nothing else goes)
    expect(has(2, 3, 4)).toEqual([true, true, true]);
    at(1_000_004).expire(); // 2 is forgotten; 3's first end is stale: the new 3 stays until its own deadline
    expect(has(2, 3, 4)).toEqual([false, true, true]);
    at(1_000_005).expire();
    expect(has(3, 4)).toEqual([false, true]);
    expect(t.endedPending).toBe(0);
  });
});

describe('Tombstones: idle ones', () => {
  it('one last seen exactly the idle time ago is kept, 1 µs more and it is forgotten', () => {
    const { t, at, has } = make();
    at(100).add(1, 1, -1, A, false);
    at(200).add(2, 2, -1, A, false);
    at(1_100).expireIdle(1_000, 10);
    expect(has(1, 2)).toEqual([true, true]);
    at(1_101).expireIdle(1_000, 10);
    expect(has(1, 2)).toEqual([false, true]);
  });

  it('the sweep also forgets an idle entry in slot 0, and goes on after it', () => {
    const { t, at, has } = make();
    at(100).add(1024, 1024, -1, A, false); // home slot 0
    at(100).add(7, 7, -1, A, false);
    expect(t.find(1024, 1024)).toBe(0);
    at(5_000).expireIdle(1_000, 10);
    expect(has(1024, 7)).toEqual([false, false]);
  });

  it('a touch renews it; the sweep looks at no more than its budget', () => {
    const { t, at, has } = make();
    for (let i = 1; i <= 6; i++) at(i).add(i, i, -1, A, false);
    at(500).touch(t.find(3, 3));
    at(1_100).expireIdle(1_000, 3); // 1, 2 forgotten; 3 in use goes to the back
    expect(has(1, 2, 3, 4, 5, 6)).toEqual([false, false, true, true, true, true]);
    at(1_100).expireIdle(1_000, 0);
    expect(t.size).toBe(4);
    at(1_100).expireIdle(1_000, 100);
    expect(has(3, 4, 5, 6)).toEqual([true, false, false, false]);
    at(1_100).expireIdle(1_000, 100); // nothing left to do, nothing in use is lost
    expect(has(3)).toEqual([true]);
  });
});
