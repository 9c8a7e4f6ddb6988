import { describe, expect, it } from 'vitest';
import { fenceFor, htmlText, isClean, mdCodeBlock, mdInline, sanitizeBlock, sanitizeInline } from '../../../src/report/sanitize.js';

const HOSTILE_CN = 'evil\x1b[2J\x1b]0;pwned\x07\u202ecom.exe';

describe('sanitizeInline', () => {
  it('escapes the ANSI clear-screen and OSC title sequences and BEL', () => {
    expect(sanitizeInline(HOSTILE_CN)).toBe('evil\\x1b[2J\\x1b]0;pwned\\x07\\u{202e}com.exe');
  });
  it('escapes C1 controls (8-bit CSI) and DEL', () => {
    expect(sanitizeInline('a\u009b31mb\x7f')).toBe('a\\x9b31mb\\x7f');
  });
  it('escapes TAB, CR and LF with short forms', () => {
    expect(sanitizeInline('a\tb\r\nc')).toBe('a\\tb\\r\\nc');
  });
  it('escapes bidi embeddings, overrides and isolates', () => {
    for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]) {
      expect(sanitizeInline(`x${String.fromCodePoint(cp)}y`)).toBe(`x\\u{${cp.toString(16).padStart(4, '0')}}y`);
    }
  });
  it('escapes zero-width characters, BOM, soft hyphen, separators, tags and lone surrogates', () => {
    expect(sanitizeInline('cucm\u200b.lab')).toBe('cucm\\u{200b}.lab');
    expect(sanitizeInline('\ufeffa\u00adb\u2028c\u2029')).toBe('\\u{feff}a\\u{00ad}b\\u{2028}c\\u{2029}');
    expect(sanitizeInline('a\u{e0041}')).toBe('a\\u{e0041}');
    expect(sanitizeInline('a\ud800b')).toBe('a\\u{d800}b');
    expect(sanitizeInline('\u3164')).toBe('\\u{3164}');
  });
  it('leaves ordinary text, CJK, emoji and combining marks alone', () => {
    for (const s of ['cucm.steven.lab', 'CN=a\\,b', '证书验证失败', '🔒 ok', 'é', 'e\u0301']) {
      expect(sanitizeInline(s)).toBe(s);
      expect(isClean(s)).toBe(true);
    }
    expect(isClean(HOSTILE_CN)).toBe(false);
  });
  it('maps null to empty', () => {
    expect(sanitizeInline(null)).toBe('');
  });
});

describe('sanitizeBlock', () => {
  it('splits on LF and CRLF and escapes a lone CR', () => {
    expect(sanitizeBlock('a\r\nb\nc\rd')).toEqual(['a', 'b', 'c\\rd']);
    expect(sanitizeBlock('')).toEqual([]);
  });
});

describe('Markdown escaping', () => {
  it('escapes table pipes, backticks, emphasis, links and headings', () => {
    expect(mdInline('a|b')).toBe('a\\|b');
    expect(mdInline('`x`')).toBe('\\`x\\`');
    expect(mdInline('*bold* [link](http://x)')).toBe('\\*bold\\* \\[link\\](http://x)');
    expect(mdInline('# title')).toBe('\\# title');
    expect(mdInline('~~gone~~')).toBe('\\~\\~gone\\~\\~');
  });
  it('turns <, > and & into entities (no raw HTML)', () => {
    expect(mdInline('<script>alert(1)</script> & co')).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(mdInline('> quote')).toBe('&gt; quote');
  });
  it('escapes a leading list marker but not a dotted IP', () => {
    expect(mdInline('- item')).toBe('\\- item');
    expect(mdInline('1. item')).toBe('1\\. item');
    expect(mdInline('10.48.36.215')).toBe('10.48.36.215');
  });
  it('escapes underscores only at word edges', () => {
    expect(mdInline('TLS_ECDHE_RSA')).toBe('TLS_ECDHE_RSA');
    expect(mdInline('_init_ x_')).toBe('\\_init\\_ x\\_');
  });
  it('sanitises before escaping', () => {
    expect(mdInline(HOSTILE_CN)).toBe('evil\\\\x1b\\[2J\\\\x1b\\]0;pwned\\\\x07\\\\u{202e}com.exe');
  });
  it('htmlText escapes quotes too', () => {
    expect(htmlText('<b a="1">\'</b>')).toBe('&lt;b a=&quot;1&quot;&gt;&#39;&lt;/b&gt;');
  });
  it('fences are longer than any backtick run', () => {
    expect(fenceFor('no ticks')).toBe('```');
    expect(fenceFor('a ```` b ` c')).toBe('`````');
    const block = mdCodeBlock(['x', '`````', 'y\x1b[31m']);
    expect(block.startsWith('``````text\n')).toBe(true);
    expect(block.endsWith('\n``````')).toBe(true);
    expect(block).toContain('y\\x1b[31m');
  });
});
