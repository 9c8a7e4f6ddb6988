/**
 * Raw Apache Traffic Server logs:
 * - diags.log / traffic.out: `[Nov 26 20:59:21.637] [ET_NET 1] WARNING: text` (src/tscore/Diags.cc:
 *   ctime-style local time with milliseconds, no year; thread name or `{0x…}`; level word; DEBUG
 *   lines add `<file:line (func)> (tag)`), expressway-reference.md §2.6.
 * - error.log (ATS 9.2 default text log): `20261126.20h59m21s CONNECT: attempt fail […] …`
 *   (local time, one-second resolution).
 * Local times are converted with the context's zone; the year of diags lines comes from YearTracker.
 */
import { civilToMicros, monthNumber } from '../time.js';
import { makeEvent, type LogEvent } from '../types.js';
import { MAX_EVENT_TEXT, type ParseContext, type RawEntry } from '../entry.js';
import { matchAtsMessage, splitDiag, type AtsFields } from './ats-messages.js';

// the s flag: the text runs to the end of the line whatever it holds. Without it a CR or U+2028/U+2029
// inside the line (the splitter keeps all but the CR before LF) made `(.*)$` fail: the entry was lost
// without a word, after `\s*` had backtracked through every blank before it (quadratic).
const BRACKET_RE = /^\[(\w{3})\s+(\d{1,2})\s+(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?\]\s*(.*)$/s;
const ERRORLOG_RE = /^(\d{4})(\d\d)(\d\d)\.(\d\d)h(\d\d)m(\d\d)s\s*(.*)$/s;
const DEBUG_LOCATION_RE = /^<[^>]{0,200}>\s*(?:\([^)]{0,80}\)\s*)?/;
const SEVERE = new Set(['WARNING', 'ERROR', 'FATAL', 'ALERT', 'EMERGENCY']);
const TLS_WORDS_RE = /\b(?:SSL|TLS|certificate|handshake)\b/i;

function classify(text: string, level: string | null): AtsFields | null {
  const ats = matchAtsMessage(text);
  if (ats) return ats;
  if (level !== null && SEVERE.has(level) && TLS_WORDS_RE.test(text)) return { kind: 'other' };
  return null;
}

function finish(e: RawEntry, ctx: ParseContext, fields: AtsFields, time: number | null, level: string | null): LogEvent {
  fields.level = level;
  fields.timeMicros = time;
  return makeEvent(ctx.file, e.lineNo, e.first.slice(0, MAX_EVENT_TEXT), fields);
}

/** `[Mon dd hh:mm:ss.mmm] thread LEVEL: text` */
export function parseDiagsEntry(e: RawEntry, ctx: ParseContext): LogEvent | null {
  const m = BRACKET_RE.exec(e.first);
  if (!m) return null;
  const mo = monthNumber(m[1]);
  const day = Number(m[2]);
  const frac = m[6] ? Math.round(Number(`0.${m[6]}`) * 1e6) : 0;
  const local = civilToMicros(ctx.years.yearFor(mo, day), mo, day, +m[3], +m[4], +m[5], frac);
  if (local === null) ctx.diag.add('log.bad_time', 'anomaly', { detail: `${ctx.file}:${e.lineNo} ${e.first.slice(0, 24)}` });
  const d = splitDiag(m[7]);
  const level = d?.level ?? null;
  let text = d ? d.text : m[7];
  if (level === 'DEBUG' || level === 'DIAG') text = text.replace(DEBUG_LOCATION_RE, '');
  const fields = classify(text, level);
  if (fields === null) return null;
  return finish(e, ctx, fields, local === null ? null : ctx.tz.toUtc(local), level);
}

/** `YYYYMMDD.HHhMMmSSs text` (ATS error.log) */
export function parseErrorLogEntry(e: RawEntry, ctx: ParseContext): LogEvent | null {
  const m = ERRORLOG_RE.exec(e.first);
  if (!m) return null;
  const local = civilToMicros(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], 0);
  if (local === null) ctx.diag.add('log.bad_time', 'anomaly', { detail: `${ctx.file}:${e.lineNo} ${e.first.slice(0, 20)}` });
  const fields = classify(m[7], 'ERROR');
  if (fields === null) return null;
  const ev = finish(e, ctx, fields, local === null ? null : ctx.tz.toUtc(local), null);
  ev.timePrecisionMs = 1000;
  return ev;
}
