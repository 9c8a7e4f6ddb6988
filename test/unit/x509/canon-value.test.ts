import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { canonValue } from '../../../src/x509/dn.js';

// the regular-expression form it replaced (OpenSSL asn1_string_canon: trim, collapse, ASCII lower-case)
const reference = (s: string): string =>
  s.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '').replace(/[ \t\n\v\f\r]+/g, ' ').replace(/[A-Z]+/g, (m) => m.toLowerCase());

describe('canonValue', () => {
  it('equals the regular-expression definition on any string of blanks, letters and others', () => {
    const ch = fc.constantFrom(' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', 'A', 'b', 'Z', 'é', '-', '.');
    fc.assert(fc.property(fc.array(ch, { maxLength: 30 }).map((a) => a.join('')), (s) => {
      expect(canonValue(s)).toBe(reference(s));
    }), { numRuns: 5000 });
    expect(canonValue('  Steven  DC\tCA \n')).toBe('steven dc ca');
  });

  it('is linear on a hostile value with a long inner run of blanks', () => {
    const s = `a${' '.repeat(300_000)}b${'\t'.repeat(300_000)}`;
    expect(canonValue(s)).toBe('a b');
  });
});
