/**
 * One log entry: a line that starts with a recognised timestamp plus the continuation lines that
 * follow it (Expressway HTTPMSG/SIPMSG bodies, wrapped text), and the per-file parse context.
 */
import type { Diagnostics } from '../diagnostics/diagnostics.js';
import type { TimeZone, YearTracker } from './time.js';

export type HeadKind = 'iso' | 'bracket' | 'errorlog' | 'bsd';

export interface RawEntry {
  head: HeadKind;
  lineNo: number;
  first: string;
  /** continuation lines (bounded) */
  conts: string[];
}

export interface ParseContext {
  file: string;
  tz: TimeZone;
  years: YearTracker;
  yearHint: number | null;
  diag: Diagnostics;
}

/** Longest `text` kept on an event (the verbatim first line). */
export const MAX_EVENT_TEXT = 4096;
/** Continuation lines kept per entry (more are counted as lines but not scanned). */
export const MAX_CONT_LINES = 64;

const MON = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const ISO_HEAD = /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d/;
const BRACKET_HEAD = new RegExp(`^\\[${MON} [ \\d]?\\d \\d\\d:\\d\\d:\\d\\d`);
const ERRORLOG_HEAD = /^\d{8}\.\d\dh\d\dm\d\ds/;
const BSD_HEAD = new RegExp(`^${MON} [ \\d]?\\d \\d\\d:\\d\\d:\\d\\d `);

/** Which timestamp (if any) starts this line; null = continuation or junk. */
export function headKind(line: string): HeadKind | null {
  const c = line.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) {
    if (ISO_HEAD.test(line)) return 'iso';
    if (ERRORLOG_HEAD.test(line)) return 'errorlog';
    return null;
  }
  if (c === 0x5b /* [ */) return BRACKET_HEAD.test(line) ? 'bracket' : null;
  if (c >= 0x41 && c <= 0x5a && BSD_HEAD.test(line)) return 'bsd';
  return null;
}

/** Control characters other than TAB/ESC, or U+FFFD runs: a binary line. */
const BINARY_RE = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f]|\uFFFD{4}/;
export function isBinaryLine(line: string): boolean {
  return BINARY_RE.test(line);
}
