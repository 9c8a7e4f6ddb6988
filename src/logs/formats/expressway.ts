/**
 * Expressway loggingsnapshot entries (expressway-reference.md §1.4): syslog framing
 * `<ISO 8601 local time with offset> <host> <process>[<pid>]: <payload>` (RFC 5424-like timestamp;
 * also the BSD `Mon dd hh:mm:ss host process[pid]: payload` of RFC 3164), where the payload is
 * either Cisco `Key="Value"` pairs with an authoritative `UTCTime="YYYY-MM-DD HH:MM:SS,mmm"`, or a
 * Traffic Server diag `[ET_NET n] WARNING: …` forwarded to syslog.
 */
import { hasOpenQuote, parseKv } from '../kv.js';
import { monthNumber, civilToMicros, parseIso, parseUtcTime } from '../time.js';
import { makeEvent, type LogEvent } from '../types.js';
import { MAX_EVENT_TEXT, type ParseContext, type RawEntry } from '../entry.js';
import { matchAtsMessage, splitDiag, type AtsFields } from './ats-messages.js';
import { kvEvent } from './expressway-kv.js';

// the s flag: the payload runs to the end of the line whatever it holds (a CR or U+2028/U+2029 left inside
// the line stopped `.`, and `\s+(.*)$` then retried from every blank: quadratic, 2.3 s at 20,000 blanks)
const BSD_PREFIX_RE = /^(\w{3})\s+(\d{1,2})\s+(\d\d):(\d\d):(\d\d)\s+(\S+)\s+(.*)$/s;
const PROC_COLON_RE = /^([A-Za-z_][\w.-]*)(?:\[(\d{1,10})\])?:\s?/;
const PROC_BARE_RE = /^([A-Za-z_][\w.-]*)\s+(?=[A-Za-z][\w.-]*= ?")/;
/** a Key="Value" payload is parsed only when it may be one of the entries we use */
const KV_GATE_RE = /Txn-id=|Detail= ?"(?:TCP Connection Closed|Receive|Sending)|Event= ?"(?:Request Allowed|Sending HTTP error)|TLS|SSL|[Cc]ertificate/;
const WRAPPED_DIAG_RE = /^\s*[[{][^"]*$/;
const SEVERE = new Set(['WARNING', 'ERROR', 'FATAL', 'ALERT', 'EMERGENCY']);
const TLS_WORDS_RE = /\b(?:SSL|TLS|certificate|handshake)\b/i;
/** longest joined text scanned when a message is wrapped over continuation lines */
const MAX_JOINED = 8192;

interface Prefix { time: () => number | null; process: string | null; pid: number | null; payload: string }

/**
 * `<ts> <host> <rest>` split without a regex (hot path: every line of a loggingsnapshot). The
 * timestamp may have a space instead of the `T` (`2022-07-11 18:55:26…`, RFC 3339 §5.6, accepted by
 * headKind and parseIso): that space is inside it.
 */
function splitIso(line: string): { ts: string; rest: string } | null {
  const a = line.indexOf(' ', line.charCodeAt(10) === 0x20 ? 11 : 0);
  if (a < 0) return null;
  let b = a + 1;
  while (line.charCodeAt(b) === 0x20) b++;
  const c = line.indexOf(' ', b);
  if (c < 0) return null;
  let d = c + 1;
  while (line.charCodeAt(d) === 0x20) d++;
  return { ts: line.slice(0, a), rest: line.slice(d) };
}

function parsePrefix(e: RawEntry, ctx: ParseContext): Prefix | null {
  // the time is computed lazily: most entries carry nothing we use
  let time: () => number | null;
  let rest: string;
  if (e.head === 'iso') {
    const m = splitIso(e.first);
    if (!m) return null;
    const ts = m.ts;
    time = () => parseIso(ts, ctx.tz);
    rest = m.rest;
  } else {
    const m = BSD_PREFIX_RE.exec(e.first);
    if (!m) return null;
    const mo = monthNumber(m[1]);
    const day = Number(m[2]);
    // the year tracker must see every line in order, so the year is taken now
    const year = ctx.years.yearFor(mo, day);
    time = () => {
      const local = civilToMicros(year, mo, day, +m[3], +m[4], +m[5], 0);
      return local === null ? null : ctx.tz.toUtc(local);
    };
    rest = m[7];
  }
  let process: string | null = null;
  let pid: number | null = null;
  let payload = rest;
  const p = PROC_COLON_RE.exec(rest);
  if (p) {
    process = p[1];
    pid = p[2] !== undefined ? Number(p[2]) : null;
    payload = rest.slice(p[0].length);
  } else {
    const b = PROC_BARE_RE.exec(rest);
    if (b) {
      process = b[1];
      payload = rest.slice(b[0].length);
    }
  }
  return { time, process, pid, payload };
}

/** The entry's text with continuation lines joined by single spaces (wrapped messages). */
function joined(e: RawEntry, payload: string): string {
  let s = payload;
  for (const c of e.conts) {
    if (s.length > MAX_JOINED) break;
    s += ` ${c.trim()}`;
  }
  return s.replace(/\s+/g, ' ');
}

function diagFields(text: string): AtsFields | null {
  const d = splitDiag(text);
  const body = d ? d.text : text;
  const ats = matchAtsMessage(body);
  if (ats) {
    ats.level = d?.level ?? null;
    return ats;
  }
  if (d && SEVERE.has(d.level) && TLS_WORDS_RE.test(body)) return { kind: 'other', level: d.level };
  return null;
}

/** Parse one ISO- or BSD-headed syslog entry; null when it carries nothing we use. */
export function parseSyslogEntry(e: RawEntry, ctx: ParseContext): LogEvent | null {
  const pre = parsePrefix(e, ctx);
  if (pre === null) return null;
  let fields: AtsFields | null = null;
  let utc: number | null = null;
  if (pre.payload.includes('="') && KV_GATE_RE.test(pre.payload)) {
    let kvText = pre.payload;
    if (hasOpenQuote(kvText)) kvText = [kvText, ...e.conts.slice(0, 10)].join('\n');
    const kv = parseKv(kvText);
    const ut = kv.get('UTCTime');
    if (ut !== undefined) {
      utc = parseUtcTime(ut);
      if (utc === null) ctx.diag.add('log.bad_time', 'anomaly', { detail: `${ctx.file}:${e.lineNo} UTCTime="${ut.slice(0, 40)}"` });
    }
    fields = kvEvent(kv, kvText, e.conts);
    if (fields) fields.level = kv.get('Level')?.trim() || null;
  }
  if (fields === null) fields = diagFields(pre.payload);
  // a Traffic Server diag wrapped over several lines (`[ET_NET 0] ` then the message): join it, also
  // when the first line alone reads as a generic TLS warning (`WARNING: Core server certificate
  // verification failed for` with the rest on the next lines); Key="Value" entries (HTTPMSG/SIPMSG
  // bodies) are never joined
  if ((fields === null || fields.kind === 'other') && e.conts.length > 0 && WRAPPED_DIAG_RE.test(pre.payload)) {
    const whole = diagFields(joined(e, pre.payload));
    if (whole !== null && (fields === null || whole.kind !== 'other')) fields = whole;
  }
  if (fields === null) return null;
  const prefixTime = pre.time();
  if (prefixTime !== null && utc !== null && Math.abs(prefixTime - utc) > 2_000_000) {
    ctx.diag.add('log.time_disagree', 'anomaly', { detail: `${ctx.file}:${e.lineNo} prefix and UTCTime differ` });
  }
  fields.timeMicros = utc ?? prefixTime;
  fields.pid = pre.pid;
  return makeEvent(ctx.file, e.lineNo, e.first.slice(0, MAX_EVENT_TEXT), fields);
}
