/**
 * Terminal display width (a small wcwidth) and wrapping by display width.
 *
 * Widths follow Markus Kuhn's wcwidth and Unicode UAX #11 (East Asian Width): East Asian Wide and
 * Fullwidth characters take 2 columns, combining marks (Mn, Me), format characters (Cf) and Hangul
 * medial vowels / final consonants take 0, emoji with default emoji presentation (UTS #51
 * Emoji_Presentation, or any pictograph followed by VS16) take 2, everything else 1. Width is
 * measured per extended grapheme cluster (UAX #29, via Intl.Segmenter), so a base letter and its
 * combining marks, a flag pair or an emoji ZWJ sequence are never split by wrapping.
 *
 * Our own SGR colour sequences (ESC [ … m) are ignored when measuring; renderers sanitise every
 * untrusted string first (sanitize.ts), so any ESC that remains is one we wrote.
 */

import { trimEndOf } from '../util/strings.js';

const SGR = /\x1b\[[0-9;]*m/g;
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
/** created on first use: building it loads ICU's break data (~20 ms), which a `--json` run never needs */
let segmenter: Intl.Segmenter | null = null;

/** [first, last] code point ranges that are East Asian Wide (W) or Fullwidth (F). */
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], // Hangul Jamo initial consonants
  [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693],
  [0x26a1, 0x26a1], [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce],
  [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f3], [0x26f5, 0x26f5], [0x26fa, 0x26fa],
  [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728], [0x274c, 0x274c],
  [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797], [0x27b0, 0x27b0],
  [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55],
  [0x2e80, 0x303e], // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
  [0x3041, 0x33ff], // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK strokes…
  [0x3400, 0x4dbf], // CJK Unified Ideographs Extension A
  [0x4e00, 0x9fff], // CJK Unified Ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f], // Hangul Jamo Extended-A
  [0xac00, 0xd7a3], // Hangul Syllables
  [0xf900, 0xfaff], // CJK Compatibility Ideographs
  [0xfe10, 0xfe19], // Vertical forms
  [0xfe30, 0xfe6f], // CJK Compatibility Forms, Small Form Variants
  [0xff00, 0xff60], // Fullwidth forms
  [0xffe0, 0xffe6], // Fullwidth signs
  [0x16fe0, 0x16fe4], [0x17000, 0x18cff], [0x1b000, 0x1b2ff], // Tangut, Kana supplement/extended
  [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251], [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff], [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd], [0x30000, 0x3fffd], // CJK Extension B… and Plane 3
];

function isWide(cp: number): boolean {
  if (cp < 0x1100) return false;
  let lo = 0;
  let hi = WIDE_RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = WIDE_RANGES[mid];
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Columns taken by one code point (0, 1 or 2). Control characters count 0 (they are escaped before display). */
export function charWidth(cp: number): 0 | 1 | 2 {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (cp >= 0x1160 && cp <= 0x11ff) return 0; // Hangul medial vowels and final consonants
  if (isWide(cp)) return 2;
  if (ZERO_WIDTH.test(String.fromCodePoint(cp))) return 0;
  return 1;
}

/** Columns taken by one extended grapheme cluster. */
export function graphemeWidth(g: string): number {
  if (g.length === 1) return charWidth(g.charCodeAt(0));
  if (EMOJI_PRESENTATION.test(g)) return 2;
  if (g.includes('\ufe0f') && PICTOGRAPHIC.test(g)) return 2;
  let w = 0;
  for (const ch of g) w += charWidth(ch.codePointAt(0) ?? 0);
  return Math.min(w, 2);
}

export function stripSgr(s: string): string {
  return s.replace(SGR, '');
}

export function graphemes(s: string): string[] {
  if (isSingleUnitClusters(s)) return s.split(''); // the common case: one cluster per character
  const out: string[] = [];
  for (const { segment } of (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(s)) out.push(segment);
  return out;
}

function isAsciiPrintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/**
 * True when every UTF-16 unit of `s` is a grapheme cluster of its own (UAX #29), decided without the
 * segmenter (which costs microseconds per character: a table of 20,000 servers spent seconds in it): all
 * units are printable ASCII, Latin-1 / Latin Extended / IPA / spacing modifiers (U+00A0-U+02FF), general
 * punctuation without the zero-width and format characters (U+2010-U+2027, U+2030-U+205E), or arrows,
 * mathematical and technical symbols, box drawing, shapes, dingbats (U+2190-U+2BFF, the table's ✗ →
 * ─). None of these extends, prepends or joins a cluster; anything else (combining marks, ZWJ, variation
 * selectors, Hangul jamo, surrogate pairs, controls, CJK) goes through the segmenter.
 */
export function isSingleUnitClusters(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) continue;
    if ((c >= 0xa0 && c <= 0x2ff) || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205e) || (c >= 0x2190 && c <= 0x2bff)) continue;
    return false;
  }
  return true;
}

/** Display width of a single-line string (SGR colour sequences ignored). For several lines: the widest. */
export function displayWidth(s: string): number {
  const plain = stripSgr(s);
  if (plain.includes('\n')) {
    let w = 0; // a loop: a spread of many lines would overflow the call stack
    for (const line of plain.split('\n')) w = Math.max(w, displayWidth(line));
    return w;
  }
  if (isAsciiPrintable(plain)) return plain.length;
  let w = 0;
  if (isSingleUnitClusters(plain)) {
    for (let i = 0; i < plain.length; i++) w += charWidth(plain.charCodeAt(i));
    return w;
  }
  for (const g of graphemes(plain)) w += graphemeWidth(g);
  return w;
}

/** Pad with spaces on the right (or left) to `width` display columns; longer strings are returned unchanged. */
export function padDisplay(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const gap = width - displayWidth(s);
  if (gap <= 0) return s;
  return align === 'left' ? s + ' '.repeat(gap) : ' '.repeat(gap) + s;
}

/** Characters after which a line may break (besides spaces): DN, path, host name and list separators. */
const BREAK_AFTER = new Set([',', '/', '-', '_', '.', ':', ';', '=', '&', '?', '!', '|', ')', ']']);

/**
 * Wrap plain text (no SGR sequences) to lines of at most `width` display columns. Breaks at spaces
 * (dropped), else after separator characters, else between grapheme clusters, so nothing is lost:
 * joining the lines gives back the input minus the spaces consumed at breaks. Existing newlines are
 * kept. A cluster wider than `width` (width 1 and a CJK character) goes on a line of its own.
 */
export function wrapText(text: string, width: number): string[] {
  const w = Math.max(1, Math.floor(width));
  const out: string[] = [];
  for (const para of text.split('\n')) wrapLine(para, w, out);
  return out;
}

function wrapLine(line: string, width: number, out: string[]): void {
  if (displayWidth(line) <= width) {
    out.push(line);
    return;
  }
  let cur: string[] = [];
  let curW = 0;
  let lastSpace = -1; // index in `cur` of the last space
  let lastSep = -1; // index in `cur` of the last other break character
  let spaceCol = 0; // columns before that space
  let started = false; // a line was emitted already: drop leading spaces of continuation lines
  const push = (gs: string[]): void => {
    out.push(trimEndOf(gs.join(''), ' '));
    started = true;
  };
  const reset = (gs: string[]): void => {
    let i = 0;
    while (i < gs.length && gs[i] === ' ') i++;
    cur = [];
    curW = 0;
    lastSpace = -1;
    lastSep = -1;
    for (const g of gs.slice(i)) add(g);
  };
  const add = (g: string): void => {
    if (g === ' ') { lastSpace = cur.length; spaceCol = curW; } else if (BREAK_AFTER.has(g)) lastSep = cur.length;
    cur.push(g);
    curW += graphemeWidth(g);
  };
  /** Break at a space when it keeps at least half the line, else after a separator, else at any space. */
  const breakIndex = (): number => {
    const space = lastSpace >= 0 && cur.slice(0, lastSpace).join('').trim() !== '' ? lastSpace : -1;
    if (space >= 0 && (spaceCol * 2 >= width || lastSep < space)) return space;
    if (lastSep >= 0) return lastSep;
    return space;
  };
  for (const g of graphemes(line)) {
    const gw = graphemeWidth(g);
    if (curW + gw > width && cur.length > 0) {
      if (g === ' ') { push(cur); reset([]); continue; }
      const at = breakIndex();
      if (at >= 0) { const rest = cur.slice(at + 1); push(cur.slice(0, at + 1)); reset(rest); }
      else { push(cur); reset([]); }
      if (curW + gw > width && cur.length > 0) { push(cur); reset([]); }
    }
    if (cur.length === 0 && g === ' ' && started) continue;
    add(g);
  }
  if (cur.length > 0) push(cur);
}

/** Wrap with a first-line prefix and a continuation indent; every line stays within `width`. */
export function wrapIndented(text: string, width: number, first: string, rest: string): string[] {
  const fw = displayWidth(first);
  const rw = displayWidth(rest);
  const inner = Math.max(1, width - Math.max(fw, rw));
  const lines = wrapText(text, inner);
  if (lines.length === 0) return [first.trimEnd()];
  return lines.map((l, i) => (i === 0 ? first : rest) + l);
}
