import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isoFromMicros } from '../../src/report/time.js';

const reference = (us: number): string | null => {
  const d = new Date(Math.floor(us / 1000));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

describe('isoFromMicros (cached second prefix)', () => {
  it('matches Date#toISOString for any time, in any order, including runs within one second', () => {
    const micros = fc.oneof(
      fc.integer({ min: -62_167_219_200_000_000, max: 253_402_300_799_999_999 }).map(Number),
      fc.double({ min: -9e18, max: 9e18, noNaN: true }),
      fc.constantFrom(0, -1, 999, 1000, -1000, -1001, 1_764_191_206_443_123, 8.64e18, 8.64e18 + 1000, -8.64e18),
    );
    // sequences that revisit a second with different milliseconds, and neighbouring seconds
    const seq = fc.array(fc.tuple(micros, fc.integer({ min: -2_000_000, max: 2_000_000 })), { minLength: 1, maxLength: 20 });
    fc.assert(fc.property(seq, (items) => {
      for (const [base, delta] of items) {
        for (const us of [base, base + delta, base, base - delta]) expect(isoFromMicros(us)).toBe(reference(us));
      }
    }), { numRuns: 2000 });
  });

  it('null for null, undefined and non-finite input', () => {
    expect(isoFromMicros(null)).toBeNull();
    expect(isoFromMicros(undefined)).toBeNull();
    expect(isoFromMicros(Number.NaN)).toBeNull();
    expect(isoFromMicros(Number.POSITIVE_INFINITY)).toBeNull();
    expect(isoFromMicros(1_764_191_206_443_123)).toBe('2025-11-26T21:06:46.443Z');
    expect(isoFromMicros(1_764_191_206_999_999)).toBe('2025-11-26T21:06:46.999Z');
    expect(isoFromMicros(-1)).toBe('1969-12-31T23:59:59.999Z');
  });
});
