import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { charWidth, displayWidth, graphemeWidth, graphemes, isSingleUnitClusters, padDisplay, wrapIndented, wrapText } from '../../../src/report/text-width.js';

describe('charWidth / displayWidth (wcwidth, UAX #11)', () => {
  it('ASCII is 1, controls 0', () => {
    expect(charWidth(0x41)).toBe(1);
    expect(charWidth(0x1b)).toBe(0);
    expect(charWidth(0x9b)).toBe(0);
  });
  it('CJK ideographs, kana, Hangul and fullwidth forms are 2', () => {
    for (const ch of ['证', '書', 'カ', '한', 'Ａ', '。']) expect(charWidth(ch.codePointAt(0) ?? 0), ch).toBe(2);
    expect(displayWidth('证书验证失败')).toBe(12);
  });
  it('combining marks and zero-width format characters are 0', () => {
    expect(charWidth(0x0301)).toBe(0);
    expect(charWidth(0x200b)).toBe(0);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('\u05e9\u05c1')).toBe(1); // Hebrew letter + point (outside U+0300–036F)
  });
  it('emoji with emoji presentation are 2, also as ZWJ sequences and flags', () => {
    expect(displayWidth('🔒')).toBe(2);
    expect(displayWidth('👨‍👩‍👧')).toBe(2);
    expect(displayWidth('🇧🇪')).toBe(2);
    expect(displayWidth('❤️')).toBe(2);
    expect(displayWidth('❤')).toBe(1);
  });
  it('ignores SGR colour sequences', () => {
    expect(displayWidth('\x1b[31mUNTRUSTED\x1b[39m')).toBe(9);
    expect(padDisplay('\x1b[1m证\x1b[22m', 4)).toBe('\x1b[1m证\x1b[22m  ');
  });
  it('measures the widest line of a multi-line string', () => {
    expect(displayWidth('ab\n证书证')).toBe(6);
  });
});

describe('wrapText', () => {
  it('breaks at spaces and drops them', () => {
    expect(wrapText('self signed certificate in chain', 12)).toEqual(['self signed', 'certificate', 'in chain']);
  });
  it('prefers a space that keeps half the line over a later separator', () => {
    expect(wrapText('GET /CSFemusk.cnf.xml HTTP/1.1', 24)).toEqual(['GET /CSFemusk.cnf.xml', 'HTTP/1.1']);
  });
  it('breaks long names after separators, else hard', () => {
    expect(wrapText('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 14)).toEqual(['TLS_ECDHE_RSA_', 'WITH_AES_256_', 'GCM_SHA384']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
  it('wraps CJK by display width without losing characters', () => {
    const s = '错误，证书验证失败，表示Expressway-C无法验证TLS握手';
    const lines = wrapText(s, 10);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(10);
    expect(lines.join('')).toBe(s);
  });
  it('never splits a grapheme cluster', () => {
    const s = '👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧e\u0301e\u0301';
    const lines = wrapText(s, 3);
    expect(lines.join('')).toBe(s);
    for (const l of lines) for (const g of graphemes(l)) expect(s.includes(g)).toBe(true);
    expect(lines[0]).toBe('👨‍👩‍👧');
  });
  it('keeps leading indentation of the first line and existing newlines', () => {
    expect(wrapText('  Host: a.b\nx', 40)).toEqual(['  Host: a.b', 'x']);
    expect(wrapText('   aaaa bbbb', 8)).toEqual(['   aaaa', 'bbbb']);
  });
  it('wrapIndented keeps every line within width', () => {
    const lines = wrapIndented('one two three four five six seven', 12, 'Key: ', '     ');
    expect(lines[0].startsWith('Key: ')).toBe(true);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(12);
  });

  const pieces = fc.constantFrom('a', 'Z', '9', ' ', '.', '-', '_', '/', '证', '書', '한', 'Ａ', '🔒', '👨‍👩‍👧', 'e\u0301', '🇧🇪');
  it('property: every line fits and nothing but break spaces is lost', () => {
    fc.assert(fc.property(fc.array(pieces, { maxLength: 80 }), fc.integer({ min: 2, max: 30 }), (parts, width) => {
      const s = parts.join('');
      const lines = wrapText(s, width);
      for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(width);
      expect(lines.join('').replace(/ /g, '')).toBe(s.replace(/ /g, ''));
    }), { numRuns: 300 });
  });
});

describe('graphemes without the segmenter (isSingleUnitClusters)', () => {
  const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const bySegmenter = (s: string): string[] => [...seg.segment(s)].map((x) => x.segment);
  const RANGES: [number, number][] = [[0x20, 0x7e], [0xa0, 0x2ff], [0x2010, 0x2027], [0x2030, 0x205e], [0x2190, 0x2bff]];

  it('every accepted code unit is a cluster of its own, next to ASCII and to itself', () => {
    for (const [a, b] of RANGES) {
      for (let c = a; c <= b; c++) {
        const ch = String.fromCharCode(c);
        const s = `a${ch}b${ch}${ch}`;
        expect(isSingleUnitClusters(s)).toBe(true);
        expect(bySegmenter(s), `U+${c.toString(16)}`).toEqual(s.split(''));
      }
    }
  });

  it('property: graphemes() and displayWidth agree with the segmenter on any text', () => {
    const accepted = fc.oneof(...RANGES.map(([a, b]) => fc.integer({ min: a, max: b }))).map((c) => String.fromCharCode(c));
    const other = fc.oneof(fc.constantFrom('\u0301', '\u200d', '\ufe0f', '\u1100\u1161', '\ud83d\ude00', '\r\n', '\u0915\u093f', '\u302a', '\u20dd'), fc.string({ unit: 'grapheme', maxLength: 2 }));
    fc.assert(fc.property(fc.array(fc.oneof({ weight: 8, arbitrary: accepted }, { weight: 1, arbitrary: other }), { maxLength: 30 }), (parts) => {
      const s = parts.join('');
      expect(graphemes(s)).toEqual(bySegmenter(s));
      if (isSingleUnitClusters(s)) expect(s.split('')).toEqual(bySegmenter(s));
      if (!/[\n\x1b]/.test(s)) expect(displayWidth(s)).toBe(bySegmenter(s).reduce((w, g) => w + graphemeWidth(g), 0));
    }), { numRuns: 2000 });
  });
});
