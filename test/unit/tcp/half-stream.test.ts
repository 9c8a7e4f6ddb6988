import { describe, expect, it } from 'vitest';
import { HalfStream, SEGMENT_OVERHEAD, SegmentResult, type StreamConsumer } from '../../../src/tcp/half-stream.js';

/** Collects delivered bytes and gaps ('G<n>') as a string. */
class Collector implements StreamConsumer {
  out: string[] = [];
  done = false;
  push(_d: number, b: Uint8Array, s: number, e: number): void {
    this.out.push(String.fromCharCode(...b.subarray(s, e)));
  }
  gap(_d: number, n: number, why: string): void {
    this.out.push(`<${why}:${n}>`);
  }
  get text(): string { return this.out.join(''); }
}

const txt = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
type Step = [seq: number, data: string] | ['ack', number] | ['snap', number, string, number];

function run(isn: number | null, steps: Step[], opts: { cap?: number } = {}): { text: string; hs: HalfStream; results: SegmentResult[] } {
  const hs = new HalfStream(0, opts.cap ?? 1 << 20);
  if (isn !== null) hs.startAt(isn);
  const c = new Collector();
  const results: SegmentResult[] = [];
  for (const st of steps) {
    if (st[0] === 'ack') hs.peerAcked(st[1] >>> 0, c);
    else if (st[0] === 'snap') { const d = txt(st[2]); results.push(hs.segment(st[1] >>> 0, d, 0, d.length, st[3], c)); }
    else { const d = txt(st[1] as string); results.push(hs.segment((st[0] as number) >>> 0, d, 0, d.length, 0, c)); }
  }
  hs.flush(c);
  return { text: c.text, hs, results };
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
