/**
 * Neutralise untrusted text (certificate DNs and SANs, SNI, ALPN, log lines, archive member names)
 * before it reaches a terminal or a Markdown document. JSON output never goes through here: it keeps
 * the exact values and JSON escapes them.
 *
 * Escape forms (chosen so the evidence stays visible and copy-pasteable, never interpreted):
 * - C0 controls, DEL and C1 controls become `\xNN` (lower-case hex), except TAB, CR and LF which
 *   become `\t`, `\r`, `\n`. ESC is a C0 control, so ANSI/VT sequences (`ESC [ 2 J`, OSC `ESC ] 0 ;
 *   title BEL`) and the 8-bit CSI (U+009B) are printed as inert text such as `\x1b[2J`.
 * - Unicode format characters (general category Cf: bidi embeddings/overrides U+202A–202E, isolates
 *   U+2066–2069, LRM/RLM/ALM, zero-width space/joiners U+200B–200D, word joiner U+2060, BOM U+FEFF,
 *   soft hyphen, tag characters…), line/paragraph separators U+2028/2029, invisible Hangul fillers,
 *   noncharacters and lone surrogates become `\u{xxxx}` (lower-case hex, at least 4 digits).
 * A backslash in the input is left as is: the escapes are a display convention, not a reversible encoding.
 */

const UNSAFE = /[\x00-\x1f\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}\u115f\u1160\u3164\uffa0\ufdd0-\ufdef\ufffe\uffff]|\p{Cs}/gu;

function escapeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp === 0x09) return '\\t';
  if (cp === 0x0a) return '\\n';
  if (cp === 0x0d) return '\\r';
  if (cp < 0xa0) return `\\x${cp.toString(16).padStart(2, '0')}`;
  return `\\u{${cp.toString(16).padStart(4, '0')}}`;
}

/** One line of safe display text: every control, format and separator character escaped. */
export function sanitizeInline(s: string | null | undefined): string {
  if (s === null || s === undefined) return '';
  return s.replace(UNSAFE, escapeChar);
}

/** Multi-line text (log entries): split on LF / CRLF, each line sanitised; a lone CR is escaped. */
export function sanitizeBlock(s: string | null | undefined): string[] {
  if (s === null || s === undefined || s === '') return [];
  return s.split(/\r?\n/).map(sanitizeInline);
}

/** True when sanitising changes nothing (used by tests and to flag suspicious values). */
export function isClean(s: string): boolean {
  UNSAFE.lastIndex = 0;
  const r = !UNSAFE.test(s);
  UNSAFE.lastIndex = 0;
  return r;
}

const MD_BACKSLASH = /[\\`*[\]|#~]/g;
/** `_` opens or closes emphasis only next to a non-alphanumeric character (CommonMark §6.2 flanking rules). */
const MD_UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;

/**
 * Inline Markdown text (paragraphs, list items, table cells): sanitised, then every character that
 * could change structure is escaped: backslash, backtick, `*`, `_` at a word edge, link brackets, table
 * pipes, `#`, `~`; `&`, `<`, `>` become entities (no raw HTML or autolinks); a leading list
 * marker (`- `, `+ `, `1. `, `1) `) is escaped too.
 */
export function mdInline(s: string | null | undefined): string {
  let t = sanitizeInline(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MD_BACKSLASH, (c) => `\\${c}`)
    .replace(MD_UNDERSCORE, '\\_');
  if (/^[-+=](?:\s|$)/.test(t)) t = `\\${t}`;
  t = t.replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
  return t;
}

/** Text inside raw HTML (the <summary> of a <details> block). */
export function htmlText(s: string | null | undefined): string {
  return sanitizeInline(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A backtick fence longer than any backtick run in `body` (at least three), per CommonMark §4.5. */
export function fenceFor(body: string): string {
  let longest = 0;
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** A fenced code block whose content cannot close the fence; lines are sanitised. */
export function mdCodeBlock(lines: string[], info = 'text'): string {
  const body = lines.map(sanitizeInline).join('\n');
  const fence = fenceFor(body);
  return `${fence}${info}\n${body}\n${fence}`;
}
