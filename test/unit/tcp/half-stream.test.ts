import { describe, expect, it } from 'vitest';
import { HalfStream, SEGMENT_OVERHEAD, SegmentResult, type StreamConsumer } from '../../../src/tcp/half-stream.js';

/** Collects delivered bytes and gaps ('G<n>') as a string. */
class Collector implements StreamConsumer {
  out: string[] = [];
  done = false;
  push(_d: number, b: Uint8Array, s: number, e: number): void {
    if (s >= e) throw new Error(`empty push [${s}, ${e})`); // the stream never hands over an empty range
    this.out.push(String.fromCharCode(...b.subarray(s, e)));
  }
  gap(_d: number, n: number, why: string): void {
    this.out.push(`<${why}:${n}>`);
  }
  get text(): string { return this.out.join(''); }
}

const txt = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** `s` as the payload of a packet: `b[at .. at + s.length)` between header and trailer bytes ('#'), as a capture reader hands it over */
function inPacket(s: string, at = 40): { b: Uint8Array; s: number; e: number } {
  const b = new Uint8Array(at + s.length + 8).fill(0x23);
  b.set(txt(s), at);
  return { b, s: at, e: at + s.length };
}
type Step = [seq: number, data: string] | ['ack', number] | ['snap', number, string, number];

/** `live`: what was delivered before the flush (what the peer's ACKs and the cap released) */
function run(isn: number | null, steps: Step[], opts: { cap?: number } = {}): { text: string; live: string; held: number; hs: HalfStream; results: SegmentResult[] } {
  const hs = new HalfStream(0, opts.cap ?? 1 << 20);
  if (isn !== null) hs.startAt(isn);
  const c = new Collector();
  const results: SegmentResult[] = [];
  for (const st of steps) {
    if (st[0] === 'ack') hs.peerAcked(st[1] >>> 0, c);
    else {
      const [seq, data, missing] = st[0] === 'snap' ? [st[1], st[2], st[3]] : [st[0] as number, st[1] as string, 0];
      const p = inPacket(data);
      results.push(hs.segment(seq >>> 0, p.b, p.s, p.e, missing, c));
    }
  }
  const live = c.text, held = hs.oooBytes;
  hs.flush(c);
  return { text: c.text, live, held, hs, results };
}

describe('HalfStream reassembly (table-driven, gopacket TestReorder/TestOverlap style)', () => {
  it.each<[string, number | null, Step[], string]>([
    ['in order', 100, [[101, 'abc'], [104, 'def']], 'abcdef'],
    ['reordered', 100, [[104, 'def'], [107, 'g'], [101, 'abc']], 'abcdefg'],
    ['exact retransmission', 100, [[101, 'abc'], [101, 'abc'], [104, 'de']], 'abcde'],
    ['overlap with delivered bytes: trimmed', 100, [[101, 'abcd'], [103, 'XXef']], 'abcdef'],
    ['overlapping buffered segments: lower sequence first, rest trimmed', 100, [[105, 'efgh'], [103, 'cdEF'], [101, 'ab']], 'abcdEFgh'],
    ['duplicate buffered segment', 100, [[104, 'de'], [104, 'de'], [101, 'abc']], 'abcde'],
    ['wraparound of the sequence space', 0xfffffffd, [[0xfffffffe, 'ab'], [0, 'cd'], [2, 'e']], 'abcde'],
    ['reordered across the wrap', 0xfffffffd, [[0, 'cd'], [0xfffffffe, 'ab']], 'abcd'],
    ['mid-stream start (no SYN): first segment defines the start', null, [[5000, 'xyz'], [5003, '!']], 'xyz!'],
    ['hole confirmed by the peer ACK', 100, [[101, 'ab'], [106, 'fg'], ['ack', 108]], 'ab<capture:3>fg'],
    ['segment beyond a hole the peer already ACKed', 100, [[101, 'ab'], ['ack', 106], [106, 'fg']], 'ab<capture:3>fg'],
    ['hole not acknowledged: waits for the retransmission', 100, [[101, 'ab'], [106, 'fg'], ['ack', 103], [103, 'cde']], 'abcdefg'],
    ['hole still open at flush', 100, [[101, 'ab'], [110, 'z']], 'ab<capture:7>z'],
    ['snaplen: captured part then the missing bytes', 100, [['snap', 101, 'abc', 5], [109, 'xy']], 'abc<snaplen:5>xy'],
    ['retransmission covering the uncaptured part', 100, [['snap', 101, 'abc', 5], [101, 'abcdefgh'], [109, 'i']], 'abc<snaplen:5>i'],
  ])('%s', (_name, isn, steps, want) => {
    expect(run(isn, steps).text).toBe(want);
  });

  it('declares a gap when the out-of-order cap overflows', () => {
    // each buffered segment counts SEGMENT_OVERHEAD bytes more than its data
    const r = run(100, [[101, 'a'], [110, 'xxxx'], [116, 'yyy'], [125, 'zz']], { cap: 6 + 2 * SEGMENT_OVERHEAD });
    // 'yyy' overflows the cap (4 + 3 > 6, with two segments' overhead): the hole before 'xxxx' is given up
    // ('limit'); 'yyy' and 'zz' then fit and wait for their holes until the flush
    expect(r.text).toBe('a<limit:8>xxxx<capture:2>yyy<capture:6>zz');
    expect(r.results).toContain(SegmentResult.oooOverflow);
    expect(r.hs.oooBytes).toBe(0);
  });

  it('counts each buffered segment with its overhead: one-byte segments sent backwards hit the cap after a few, not after cap bytes', () => {
    // 2,000 one-byte segments in reverse order behind a hole, cap 64 KiB: ~127 are buffered, then the hole is
    // given up (one 'limit' gap) and the rest arrive as retransmissions of delivered bytes
    const segs: [number, string][] = [];
    for (let i = 2000; i >= 1; i--) segs.push([101 + i, String.fromCharCode(97 + (i % 26))]);
    const r = run(100, segs, { cap: 65536 });
    const buffered = Math.floor(65536 / (1 + SEGMENT_OVERHEAD));
    expect(r.results.filter((x) => x === SegmentResult.oooOverflow)).toHaveLength(1);
    expect(r.results.indexOf(SegmentResult.oooOverflow)).toBe(buffered);
    expect(r.results.filter((x) => x === SegmentResult.retransmission)).toHaveLength(2000 - buffered - 1);
    expect(r.text.startsWith(`<limit:${2000 - buffered}>`)).toBe(true);
    expect(r.text.length).toBe(`<limit:${2000 - buffered}>`.length + buffered + 1);
    expect(r.hs.oooBytes).toBe(0);
  });

  it('ignores segments far outside the window', () => {
    const r = run(100, [[101, 'ab'], [(101 + 0x50000000) >>> 0, 'zz']]);
    expect(r.text).toBe('ab');
    expect(r.results[1]).toBe(SegmentResult.outOfWindow);
  });

  it('copies only out-of-order data, and counts it', () => {
    const hs = new HalfStream(0, 1000);
    hs.startAt(0);
    const c = new Collector();
    const buf = txt('later');
    hs.segment(10, buf, 0, 5, 0, c);
    buf.fill(0); // caller reuses its buffer
    expect(hs.oooBytes).toBe(5 + SEGMENT_OVERHEAD);
    hs.segment(1, txt('123456789'), 0, 9, 0, c);
    expect(c.text).toBe('123456789later');
    expect(hs.oooBytes).toBe(0);
  });
});

describe('HalfStream: the peer ACK declares holes when it comes, not at the flush', () => {
  it.each<[string, Step[], string]>([
    ['an ACK beyond the hole releases the buffered segment', [[101, 'ab'], [106, 'fg'], ['ack', 108]], 'ab<capture:3>fg'],
    ['an ACK of exactly the first buffered byte is enough', [[101, 'ab'], [106, 'fg'], ['ack', 106]], 'ab<capture:3>fg'],
    ['an ACK short of the buffered segment: still waiting', [[101, 'ab'], [106, 'fg'], ['ack', 105]], 'ab'],
    ['a segment starting at the ACKed sequence number is delivered at once', [[101, 'ab'], ['ack', 106], [106, 'fg']], 'ab<capture:3>fg'],
    ['a segment beyond the ACK waits', [[101, 'ab'], ['ack', 106], [107, 'g']], 'ab'],
    ['a later, higher ACK moves the mark on', [[101, 'ab'], ['ack', 103], ['ack', 108], [106, 'fg']], 'ab<capture:3>fg'],
    ['an older, lower ACK (reordered) does not move it back', [[101, 'ab'], ['ack', 108], ['ack', 103], [106, 'fg']], 'ab<capture:3>fg'],
  ])('%s', (_name, steps, live) => {
    const r = run(100, steps);
    expect(r.live).toBe(live);
    expect(r.results.every((x) => x === SegmentResult.ok)).toBe(true);
  });

  it('counts the bytes reported missing (capture holes and snaplen)', () => {
    expect(run(100, [[101, 'ab'], [106, 'fg'], ['ack', 108]]).hs.missingBytes).toBe(3);
    expect(run(100, [['snap', 101, 'abc', 5], [109, 'xy']]).hs.missingBytes).toBe(5);
  });
});

describe('HalfStream: segment verdicts', () => {
  it('tells a whole retransmission from a partial one (which delivers its new bytes)', () => {
    const r = run(100, [[101, 'abc'], [101, 'abc'], [102, 'bcde'], [107, 'g'], [106, 'f']]);
    expect(r.live).toBe('abcdefg');
    expect(r.results).toEqual([SegmentResult.ok, SegmentResult.retransmission, SegmentResult.ok, SegmentResult.ok, SegmentResult.ok]);
  });

  it('a payload not at the start of its packet: overlap trimming and retransmission use the view, not buffer offsets', () => {
    const r = run(100, [[101, 'abcd'], [103, 'XXef'], [107, 'g'], [105, 'ef']]);
    expect(r.live).toBe('abcdefg');
    expect(r.results).toEqual([SegmentResult.ok, SegmentResult.ok, SegmentResult.ok, SegmentResult.retransmission]);
  });

  it('retransmissions that reach into the uncaptured (snaplen) part of delivered bytes', () => {
    // 'ab' + 6 uncaptured covers 101..108; 'abcd' was delivered: 4 of the 6 are still missing
    expect(run(100, [[101, 'abcd'], ['snap', 101, 'ab', 6], [109, 'z']]).live).toBe('abcd<snaplen:4>z');
    // all captured bytes already delivered: only the uncaptured tail is new
    expect(run(100, [[101, 'abc'], ['snap', 101, 'abc', 5], [109, 'z']]).live).toBe('abc<snaplen:5>z');
  });

  it('treats segments more than 2^30 away as out of window, on both sides, and up to 2^30 as in', () => {
    const W = 2 ** 30;
    expect(run(100, [[101 + W, 'x']]).results).toEqual([SegmentResult.ok]);
    expect(run(100, [[101 + W + 1, 'x']]).results).toEqual([SegmentResult.outOfWindow]);
    expect(run(100, [[101, 'ab'], [(103 - W) >>> 0, 'x']]).results).toEqual([SegmentResult.ok, SegmentResult.retransmission]);
    expect(run(100, [[101, 'ab'], [(103 - W - 1) >>> 0, 'x']]).results).toEqual([SegmentResult.ok, SegmentResult.outOfWindow]);
    const far = run(100, [[101, 'ab'], [(103 - 0x50000000) >>> 0, 'zzzz'], [103, 'c']]);
    expect(far.results).toEqual([SegmentResult.ok, SegmentResult.outOfWindow, SegmentResult.ok]);
    expect(far.text).toBe('abc');
  });
});

describe('HalfStream: the out-of-order cap', () => {
  it('buffers a segment that exactly fills the cap (data + SEGMENT_OVERHEAD)', () => {
    const r = run(100, [[101, 'a'], [105, 'xyz']], { cap: 3 + SEGMENT_OVERHEAD });
    expect(r.results).toEqual([SegmentResult.ok, SegmentResult.ok]);
    expect(r.live).toBe('a');
    expect(r.held).toBe(3 + SEGMENT_OVERHEAD);
    expect(r.text).toBe('a<capture:3>xyz');
  });

  it('a segment one byte over the cap with nothing buffered: gives the hole up at once and delivers it', () => {
    const r = run(100, [[101, 'a'], [105, 'xyz'], [108, 'w']], { cap: 2 + SEGMENT_OVERHEAD });
    expect(r.results).toEqual([SegmentResult.ok, SegmentResult.oooOverflow, SegmentResult.ok]);
    expect(r.live).toBe('a<limit:3>xyzw');
    expect(r.held).toBe(0);
  });

  it('at the cap, a conflicting copy of the first buffered segment loses to it (the first copy wins, as below the cap)', () => {
    // 'xyz' is buffered at 105; 'XYZW' at 105 overflows the cap: the hole is given up, 'xyz' delivered, then only 'W' is new
    const r = run(100, [[101, 'a'], [105, 'xyz'], [105, 'XYZW']], { cap: 3 + SEGMENT_OVERHEAD });
    expect(r.results).toEqual([SegmentResult.ok, SegmentResult.ok, SegmentResult.oooOverflow]);
    expect(r.live).toBe('a<limit:3>xyzW');
    expect(r.held).toBe(0);
    // below the cap the same pair keeps the first copy too
    expect(run(100, [[101, 'a'], [105, 'xyz'], [105, 'XYZW'], [102, 'bcd']]).live).toBe('abcdxyzW');
  });

  it('the same when the queue was used and has been drained', () => {
    const r = run(100, [[101, 'a'], [103, 'c'], [102, 'b'], [110, 'xyz']], { cap: 2 + SEGMENT_OVERHEAD });
    expect(r.results).toEqual([SegmentResult.ok, SegmentResult.ok, SegmentResult.ok, SegmentResult.oooOverflow]);
    expect(r.live).toBe('abc<limit:6>xyz');
  });
});

describe('HalfStream: the out-of-order queue', () => {
  it('keeps one copy of a duplicated buffered segment, and of a shorter copy', () => {
    expect(run(100, [[104, 'de'], [104, 'de']]).held).toBe(2 + SEGMENT_OVERHEAD);
    expect(run(100, [[104, 'def'], [104, 'd']]).held).toBe(3 + SEGMENT_OVERHEAD);
  });

  it('keeps a longer copy of a buffered segment (its extra bytes are new)', () => {
    const r = run(100, [[104, 'd'], [104, 'def'], [101, 'abc']]);
    expect(r.live).toBe('abcdef');
  });

  it('trims a buffered segment overlapping delivered bytes and goes on after it', () => {
    expect(run(100, [[105, 'efgh'], [103, 'cdEF'], [109, 'i'], [101, 'ab']]).live).toBe('abcdEFghi');
  });

  it('a buffered snaplen-cut segment whose captured part is overtaken still reports its uncaptured tail', () => {
    // 'fg' + 5 uncaptured covers 106..112; 'abcdefghi' delivers up to 109: 110..112 are missing
    const r = run(100, [['snap', 106, 'fg', 5], [101, 'abcdefghi'], [113, 'z']]);
    expect(r.live).toBe('abcdefghi<snaplen:3>z');
    expect(r.held).toBe(0);
  });

  it('release drops what is buffered', () => {
    const hs = new HalfStream(0, 1 << 20);
    hs.startAt(100);
    const c = new Collector();
    const p = inPacket('later');
    hs.segment(110, p.b, p.s, p.e, 0, c);
    hs.release();
    expect(hs.oooBytes).toBe(0);
    hs.flush(c);
    expect(c.text).toBe('');
  });
});

describe('HalfStream: start and consumer', () => {
  it('knows the stream start only from startAt (SYN), and a late startAt does not move a started stream', () => {
    expect(run(100, [[101, 'a']]).hs.startKnown).toBe(true);
    const r = run(null, [[5000, 'xyz'], [5004, 'b'], [5003, 'a']]);
    expect(r.hs.startKnown).toBe(false);
    expect(r.live).toBe('xyzab');

    const hs = new HalfStream(0, 1 << 20);
    const c = new Collector();
    const p = inPacket('xyz');
    hs.segment(5000, p.b, p.s, p.e, 0, c);
    hs.startAt(100);
    expect(hs.startKnown).toBe(false);
    expect(hs.nextSeq).toBe(5003);
    hs.startAt(4000);
    expect(hs.nextSeq).toBe(5003);
  });

  it('hands nothing more (bytes or gaps) to a consumer that is done', () => {
    class StopsAfterFirst extends Collector {
      override push(d: number, b: Uint8Array, s: number, e: number): void { super.push(d, b, s, e); this.done = true; }
    }
    const hs = new HalfStream(0, 1 << 20);
    hs.startAt(100);
    const c = new StopsAfterFirst();
    const zz = inPacket('zz'), abc = inPacket('abc'), q = inPacket('q');
    hs.segment(110, zz.b, zz.s, zz.e, 0, c); // buffered
    hs.segment(101, abc.b, abc.s, abc.e, 5, c); // 'abc' then 5 uncaptured bytes: done after 'abc'
    hs.peerAcked(112, c); // would declare the hole before 'zz' and deliver it
    hs.segment(112, q.b, q.s, q.e, 0, c);
    hs.flush(c);
    expect(c.text).toBe('abc');
  });
});
