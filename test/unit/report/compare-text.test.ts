import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareText } from '../../../src/report/findings.js';

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('compareText (findings order without ICU)', () => {
  it('orders host names, IP keys and codes as localeCompare does', () => {
    const text = fc.array(fc.constantFrom(...'aAbBzZ09.-xY5'.split('')), { maxLength: 8 }).map((cs) => cs.join(''));
    fc.assert(fc.property(text, text, (a, b) => {
      expect(sign(compareText(a, b))).toBe(sign(a.localeCompare(b)));
    }), { numRuns: 3000 });
  });

  it('examples: case-insensitive first, lowercase before uppercase, IP keys numerically', () => {
    const sorted = ['cucm-b.example.com', 'CUCM-A.example.com', 'cucm-a.example.com', 'cucm10.example.com', 'cucm2.example.com'].sort(compareText);
    expect(sorted).toEqual(['cucm-a.example.com', 'CUCM-A.example.com', 'cucm-b.example.com', 'cucm10.example.com', 'cucm2.example.com']);
    expect(compareText('4010.000.000.011', '4010.000.000.002')).toBeGreaterThan(0);
    expect(compareText('self_signed', 'self_signed')).toBe(0);
    // texts equal but for case, both ways round: lowercase first (a consistent order, whatever the sort calls)
    expect(compareText('a', 'A')).toBeLessThan(0);
    expect(compareText('A', 'a')).toBeGreaterThan(0);
    expect(compareText('cucm.EXAMPLE.com', 'cucm.example.com')).toBeGreaterThan(0);
  });
});
