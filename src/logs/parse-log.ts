/**
 * parseLog: one log file (Expressway loggingsnapshot, ATS diags.log / error.log, syslog) →
 * ParsedLog. Tolerant: an unknown line is skipped and counted, a line longer than
 * limits.maxLogLineBytes is truncated and counted, binary lines are skipped and counted, a line
 * that makes a parser fail is counted; nothing in the input stops the run or throws.
 * Entries start with a recognised timestamp; following lines without one are its continuation.
 */
import type { Diagnostics } from '../diagnostics/diagnostics.js';
import { isDecodeError } from '../diagnostics/decode-error.js';
import type { Limits } from '../options.js';
import { headKind, isBinaryLine, MAX_CONT_LINES, type HeadKind, type ParseContext, type RawEntry } from './entry.js';
import { parseDiagsEntry, parseErrorLogEntry } from './formats/ats-diags.js';
import { parseSyslogEntry } from './formats/expressway.js';
import { decompress } from '../input/decompress.js';
import { peek } from '../input/streams.js';
import { chunksOf, LineSplitter } from './read-lines.js';
import { makeTimeZone, UTC_ZONE, YearTracker } from './time.js';
import type { LogEvent, LogFormat, ParsedLog } from './types.js';

export interface ParseLogOptions {
  /** name used in events and diagnostics (path, or bundle!member) */
  name: string;
  limits: Limits;
  diag: Diagnostics;
  /** year for timestamps without one (ATS diags, BSD syslog): the capture's year */
  yearHint?: number;
  /** zone of local timestamps without an offset: `+02:00`, `Z`, or an IANA name; default UTC */
  tz?: string;
  /** a time the log should be near (the capture's first packet, UTC µs): picks the year of
   *  year-less timestamps (±1 year around it), so a capture in January and a log from December work */
  timeHintMicros?: number;
}

/**
 * Events kept per log (about 0.5 KB each). Beyond it only verification / connect-failure lines are
 * still parsed and kept, up to MAX_PRIORITY_EVENTS more; everything else is counted
 * (`limit.log_events`) without being parsed.
 */
export const MAX_EVENTS_PER_LOG = 50_000;
export const MAX_PRIORITY_EVENTS = 20_000;
const PRIORITY_RE = /verification failed|not in certificate|CONNECT: attempt fail|could not connect|TS_EVENT_SSL_VERIFY_SERVER/;
const PRIORITY_KINDS = new Set(['verify_failed', 'sni_mismatch', 'origin_hostname_mismatch', 'plugin_verify_failed', 'connect_attempt_failed', 'hostname_verify_failed_legacy', 'server_verify_failed_legacy']);

const FORMAT_OF: Record<HeadKind, LogFormat> = { iso: 'expressway', bsd: 'expressway', bracket: 'ats_diags', errorlog: 'ats_error' };

export async function parseLog(src: AsyncIterable<Uint8Array> | string, opts: ParseLogOptions): Promise<ParsedLog> {
  const { diag, name } = opts;
  let tz = makeTimeZone(opts.tz);
  if (tz === null) {
    diag.add('log.bad_timezone', 'warning', { detail: `unknown time zone ${String(opts.tz).slice(0, 60)}; using UTC` });
    tz = UTC_ZONE;
  }
  const yearAssumed = opts.yearHint === undefined && opts.timeHintMicros === undefined;
  const yearHint = opts.yearHint ?? (opts.timeHintMicros !== undefined ? new Date(opts.timeHintMicros / 1000).getUTCFullYear() : new Date().getUTCFullYear());
  const ctx: ParseContext = { file: name, tz, years: new YearTracker(yearHint, opts.timeHintMicros), yearHint: opts.yearHint ?? null, diag };

  const events: LogEvent[] = [];
  const heads: Record<HeadKind, number> = { iso: 0, bsd: 0, bracket: 0, errorlog: 0 };
  let skipped = 0;
  let current: RawEntry | null = null;

  const limitHit = (): void => {
    diag.add('limit.log_events', 'limit', diag.wantsSample('limit.log_events') ? { detail: `${name}: more than ${MAX_EVENTS_PER_LOG} events` } : undefined);
  };
  const finalize = (e: RawEntry): void => {
    const full = events.length >= MAX_EVENTS_PER_LOG;
    if (full && (events.length >= MAX_EVENTS_PER_LOG + MAX_PRIORITY_EVENTS || !PRIORITY_RE.test(e.first))) {
      limitHit();
      return;
    }
    let ev: LogEvent | null = null;
    try {
      ev = e.head === 'bracket' ? parseDiagsEntry(e, ctx) : e.head === 'errorlog' ? parseErrorLogEntry(e, ctx) : parseSyslogEntry(e, ctx);
    } catch (err) {
      if (isDecodeError(err)) diag.add(`log.${err.code}`, 'anomaly', { detail: `${name}:${e.lineNo} ${err.detail}` });
      else diag.internal('logs.parse', err, { detail: `${name}:${e.lineNo}` });
      return;
    }
    if (ev === null) return;
    if (full && !PRIORITY_KINDS.has(ev.kind)) {
      limitHit();
      return;
    }
    events.push(ev);
  };

  const onLine = (line: string, lineNo: number, truncated: boolean): void => {
    if (truncated) diag.add('log.line_truncated', 'limit', diag.wantsSample('log.line_truncated') ? { detail: `${name}:${lineNo}` } : undefined);
    if (isBinaryLine(line)) {
      skipped++;
      diag.add('log.binary_line', 'anomaly', diag.wantsSample('log.binary_line') ? { detail: `${name}:${lineNo}` } : undefined);
      return;
    }
    const hk = headKind(line);
    if (hk !== null) {
      if (current !== null) finalize(current);
      heads[hk]++;
      current = { head: hk, lineNo, first: line, conts: [] };
      return;
    }
    if (current !== null) {
      if (current.conts.length < MAX_CONT_LINES) current.conts.push(line);
      return;
    }
    if (line.trim() === '') return;
    skipped++;
    diag.add('log.unparsed_line', 'anomaly', diag.wantsSample('log.unparsed_line') ? { detail: `${name}:${lineNo}` } : undefined);
  };

  const splitter = new LineSplitter(opts.limits.maxLogLineBytes);
  try {
    // a gzip-compressed log (loggingsnapshot….txt.gz, diags.log.1.gz) is read through gunzip
    const { head, stream } = await peek(chunksOf(src), 3);
    const gz = head.length === 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08;
    const input = gz ? decompress('gzip', stream, { maxRatio: opts.limits.maxDecompressionRatio, diag, name }) : stream;
    for await (const chunk of input) splitter.push(chunk, onLine);
  } catch (err) {
    diag.add('log.read_error', 'abandoned', { detail: `${name}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300) });
  }
  splitter.end(onLine);
  if (current !== null) finalize(current);

  if (yearAssumed && heads.bracket + heads.bsd > 0) {
    diag.add('log.year_assumed', 'warning', { detail: `${name}: timestamps without a year; assumed ${yearHint}` });
  }
  return { file: name, format: formatOf(heads), lines: splitter.lines, events, skipped, timeRange: checkTimes(events, ctx) };
}

function formatOf(heads: Record<HeadKind, number>): LogFormat {
  let best: LogFormat = 'unknown';
  let n = 0;
  for (const k of ['iso', 'bsd', 'bracket', 'errorlog'] as const) {
    if (heads[k] > n) { n = heads[k]; best = FORMAT_OF[k]; }
  }
  return best;
}

/** Time range of the events; counts events whose year is far from the hint (`log.year_mismatch`). */
function checkTimes(events: LogEvent[], ctx: ParseContext): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const ev of events) {
    const t = ev.timeMicros;
    if (t === null) continue;
    if (ctx.yearHint !== null) {
      const y = new Date(t / 1000).getUTCFullYear();
      if (Math.abs(y - ctx.yearHint) > 1) {
        ctx.diag.add('log.year_mismatch', 'warning', ctx.diag.wantsSample('log.year_mismatch') ? { detail: `${ev.file}:${ev.line} year ${y}, expected ~${ctx.yearHint}` } : undefined);
      }
    }
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  return lo === Infinity ? null : [lo, hi];
}
