import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineSplitter } from '../../../src/logs/read-lines.js';

function split(chunks: Uint8Array[], max = 1024): { lines: string[]; truncated: number[] } {
  const s = new LineSplitter(max);
  const lines: string[] = [];
  const truncated: number[] = [];
  const on = (t: string, n: number, tr: boolean): void => {
    lines.push(t);
    if (tr) truncated.push(n);
  };
  for (const c of chunks) s.push(c, on);
  s.end(on);
  return { lines, truncated };
}
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('LineSplitter', () => {
  it('splits LF and CRLF lines, keeps a last line without LF', () => {
    expect(split([enc('a\r\nb\n\nc')]).lines).toEqual(['a', 'b', '', 'c']);
  });

  it('joins lines across chunks, including a UTF-8 character split between chunks', () => {
    const bytes = enc('héllo\nwörld\n');
    expect(split([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)]).lines).toEqual(['héllo', 'wörld']);
  });

  it('truncates an over-long line, flags it, and keeps going', () => {
    const long = 'x'.repeat(5000);
    const r = split([enc(`a\n${long}\nb\n`)], 100);
    expect(r.lines).toEqual(['a', 'x'.repeat(100), 'b']);
    expect(r.truncated).toEqual([2]);
    const r2 = split([enc('a\n'), enc('y'.repeat(60)), enc('y'.repeat(60)), enc('\nb')], 100);
    expect(r2.lines.map((l) => l.length)).toEqual([1, 100, 1]);
    expect(r2.truncated).toEqual([2]);
  });

  it('any chunking gives the same lines (property)', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 10 }), fc.array(fc.nat(40), { maxLength: 8 }), (ls, cuts) => {
      const bytes = enc(ls.join('\n'));
      const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
      const chunks: Uint8Array[] = [];
      let prev = 0;
      for (const p of [...points, bytes.length]) {
        chunks.push(bytes.subarray(prev, p));
        prev = p;
      }
      expect(split(chunks).lines).toEqual(split([bytes]).lines);
    }));
  });
});

describe('LineSplitter: a line of exactly maxLineBytes is whole, not truncated', () => {
  it('inside one chunk (fast path)', () => {
    const r = split([enc(`a\n${'x'.repeat(100)}\n${'y'.repeat(101)}\nb\n`)], 100);
    expect(r.lines).toEqual(['a', 'x'.repeat(100), 'y'.repeat(100), 'b']);
    expect(r.truncated).toEqual([3]);
  });

  it('across chunks, with the LF alone in the next chunk', () => {
    const r = split([enc('x'.repeat(60)), enc('x'.repeat(40)), enc('\n'), enc('b\n')], 100);
    expect(r.lines).toEqual(['x'.repeat(100), 'b']);
    expect(r.truncated).toEqual([]);
    // one byte more before the LF: truncated
    const t = split([enc('x'.repeat(60)), enc('x'.repeat(40)), enc('z\n'), enc('b\n')], 100);
    expect(t.lines).toEqual(['x'.repeat(100), 'b']);
    expect(t.truncated).toEqual([1]);
  });

  it('at the end of the input without an LF', () => {
    const r = split([enc('a\n'), enc('x'.repeat(100))], 100);
    expect(r.lines).toEqual(['a', 'x'.repeat(100)]);
    expect(r.truncated).toEqual([]);
  });
});
