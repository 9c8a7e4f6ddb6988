import { describe, expect, it } from 'vitest';
import { seqAdd, seqDiff, seqGt, seqLe, seqLt } from '../../../src/tcp/sequence.js';

describe('TCP sequence arithmetic modulo 2^32', () => {
  it.each([
    [10, 5, 5], [5, 10, -5], [0, 0xffffffff, 1], [0xffffffff, 0, -1], [0x10, 0xfffffff0, 0x20], [0x7fffffff, 0, 0x7fffffff],
  ])('seqDiff(%s, %s) = %s', (a, b, d) => expect(seqDiff(a, b)).toBe(d));

  it('compares across the wrap', () => {
    expect(seqLt(0xfffffff0, 0x10)).toBe(true);
    expect(seqGt(0x10, 0xfffffff0)).toBe(true);
    expect(seqLe(7, 7)).toBe(true);
    expect(seqAdd(0xffffffff, 2)).toBe(1);
  });
});
