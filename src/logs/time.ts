/**
 * Log timestamps → UTC microseconds.
 * - ISO 8601 syslog prefix with offset (`2022-07-11T18:55:26.006+02:00`, RFC 3339 §5.6)
 * - Cisco `UTCTime="2022-07-11 16:55:26,006"` (UTC; the digits after the comma are milliseconds,
 *   not always zero-padded: `17:46:20,92` = 92 ms)
 * - ATS diags `[Nov 26 20:59:21.637]` (local time, no year; src/tscore/Diags.cc)
 * - ATS error.log `20261126.20h59m21s` (local time, 1 s resolution; 9.2 logging default format)
 * - BSD syslog `Nov 26 20:59:21` (RFC 3164 §4.1.2; local time, no year)
 * Local times use a zone given as a fixed offset (`+02:00`, `Z`) or an IANA name (via Intl).
 */
const MONTHS: Record<string, number> = {
  Jan: 1, Feb: 2, Mar: 3, Apr: 4, May: 5, Jun: 6, Jul: 7, Aug: 8, Sep: 9, Oct: 10, Nov: 11, Dec: 12,
};

export function monthNumber(abbrev: string): number {
  return MONTHS[abbrev] ?? 0;
}

/** Years outside this range are not a plausible log time (counted as bad time). */
export const MIN_YEAR = 1990;
export const MAX_YEAR = 2200;

/** UTC µs of a civil date-time, or null when a field is out of range (month 13, Feb 30, 25:00). */
export function civilToMicros(y: number, mo: number, d: number, h: number, mi: number, s: number, us: number): number | null {
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  if (h > 23 || mi > 59 || s > 60 || us < 0 || us > 999_999) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59));
  const back = new Date(ms);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return null;
  return ms * 1000 + (s === 60 ? 1_000_000 : 0) + us;
}

/** Fraction digits (any count) → microseconds. */
function fracMicros(frac: string | undefined): number {
  if (!frac) return 0;
  return Math.round(Number(`0.${frac}`) * 1e6);
}

/** `+02:00`, `+0200`, `Z` → offset in minutes; null if not an offset. */
export function parseOffset(s: string): number | null {
  if (s === 'Z' || s === 'z') return 0;
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(s);
  if (!m) return null;
  const v = Number(m[2]) * 60 + Number(m[3]);
  if (v > 18 * 60) return null;
  return m[1] === '-' ? -v : v;
}

const ISO_RE = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)?/;

/** one-entry caches: consecutive log lines share the date, hour and offset */
let lastHourKey = '';
let lastHourBase: number | null = null;
let lastOffsetText = '';
let lastOffset: number | null = null;

/** ISO 8601 / RFC 3339 timestamp at the start of `s`. Without an offset, `tz` applies. */
export function parseIso(s: string, tz: TimeZone): number | null {
  const m = ISO_RE.exec(s);
  if (!m) return null;
  const mi = +m[5];
  const sec = +m[6];
  if (mi > 59 || sec > 60) return null;
  const hourKey = s.slice(0, 13);
  if (hourKey !== lastHourKey) {
    lastHourKey = hourKey;
    lastHourBase = civilToMicros(+m[1], +m[2], +m[3], +m[4], 0, 0, 0);
  }
  if (lastHourBase === null) return null;
  const local = lastHourBase + mi * 60_000_000 + sec * 1_000_000 + fracMicros(m[7]);
  if (m[8] !== undefined) {
    if (m[8] !== lastOffsetText) {
      lastOffsetText = m[8];
      lastOffset = parseOffset(m[8]);
    }
    return lastOffset === null ? null : local - lastOffset * 60_000_000;
  }
  return tz.toUtc(local);
}

const UTCTIME_RE = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:,(\d{1,6}))?$/;

/** Cisco `UTCTime` value (`2022-07-11 16:55:26,006`). */
export function parseUtcTime(v: string): number | null {
  const m = UTCTIME_RE.exec(v.trim());
  if (!m) return null;
  // ≤3 digits: integer milliseconds (Cisco writes `,92` for 92 ms); more: a decimal fraction
  const us = m[7] === undefined ? 0 : m[7].length <= 3 ? Number(m[7]) * 1000 : fracMicros(m[7]);
  return civilToMicros(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], us);
}

/** A time zone for local timestamps: fixed offset or IANA name. */
export interface TimeZone {
  /** local civil time expressed as if UTC (µs) → real UTC µs */
  toUtc(localAsUtcMicros: number): number;
  readonly name: string;
  /** IANA zones: local hours whose conversion is cached (bounded: at most MAX_CACHED_HOURS + 1) */
  readonly cachedHours?: number;
}

/** Cached local hours per IANA zone before the cache is emptied (a log can span any number of hours). */
export const MAX_CACHED_HOURS = 4096;

export const UTC_ZONE: TimeZone = { name: 'UTC', toUtc: (t) => t };

/** Build a zone from `+02:00` / `Z` / `UTC` / an IANA name; null if unknown. */
export function makeTimeZone(spec: string | undefined): TimeZone | null {
  if (spec === undefined || spec === '' || spec === 'UTC' || spec === 'utc') return UTC_ZONE;
  const off = parseOffset(spec);
  if (off !== null) return { name: spec, toUtc: (t) => t - off * 60_000_000 };
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: spec, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    return null;
  }
  /** zone offset (ms) at a UTC instant */
  const offsetAt = (utcMs: number): number => {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
    return asUtc - Math.floor(utcMs / 1000) * 1000;
  };
  // the conversion per local hour is cached (Intl formatting is slow); DST changes on hour bounds
  const cache = new Map<number, number>();
  return {
    name: spec,
    get cachedHours() {
      return cache.size;
    },
    toUtc: (t) => {
      const localMs = Math.floor(t / 1000);
      const hour = Math.floor(localMs / 3_600_000);
      let shift = cache.get(hour);
      if (shift === undefined) {
        const probe = hour * 3_600_000 + 1_800_000;
        let guess = probe - offsetAt(probe);
        guess = probe - offsetAt(guess);
        shift = guess - probe;
        if (cache.size > MAX_CACHED_HOURS) cache.clear();
        cache.set(hour, shift);
      }
      return t + shift * 1000;
    },
  };
}

/**
 * Year for timestamps that carry none (ATS diags, BSD syslog). With `timeHintMicros` (e.g. the
 * capture's first packet) the year closest to it wins; else `yearHint` for the first line, plus one
 * each time the month steps back from late to early in the year (Dec → Jan wrap inside the file).
 */
export class YearTracker {
  private lastMonth = 0;
  private bump = 0;
  constructor(private readonly yearHint: number, private readonly timeHintMicros?: number) {}

  yearFor(month: number, day: number): number {
    if (this.timeHintMicros !== undefined) {
      const hy = new Date(this.timeHintMicros / 1000).getUTCFullYear();
      let best = hy;
      let bestD = Infinity;
      for (const y of [hy - 1, hy, hy + 1]) {
        const d = Math.abs(Date.UTC(y, month - 1, day) - this.timeHintMicros / 1000);
        if (d < bestD) { bestD = d; best = y; }
      }
      return best;
    }
    if (this.lastMonth !== 0 && this.lastMonth - month >= 6) this.bump++;
    this.lastMonth = month;
    return this.yearHint + this.bump;
  }
}
