import { describe, expect, it } from 'vitest';
import { civilToMicros, makeTimeZone, MAX_CACHED_HOURS, monthNumber, parseIso, parseUtcTime, UTC_ZONE, YearTracker } from '../../../src/logs/time.js';

const iso = (t: number | null): string | null => (t === null ? null : new Date(t / 1000).toISOString());

describe('log timestamps', () => {
  it('ISO prefix with offset → UTC', () => {
    expect(iso(parseIso('2022-07-11T18:55:26.006+02:00', UTC_ZONE))).toBe('2022-07-11T16:55:26.006Z');
    expect(iso(parseIso('2014-09-25T13:46:20-04:00', UTC_ZONE))).toBe('2014-09-25T17:46:20.000Z');
    expect(iso(parseIso('2026-03-24T11:54:26.106+00:00', UTC_ZONE))).toBe('2026-03-24T11:54:26.106Z');
  });

  it('ISO without offset uses the zone', () => {
    expect(iso(parseIso('2022-07-11T18:55:26', makeTimeZone('+02:00')!))).toBe('2022-07-11T16:55:26.000Z');
  });

  it('UTCTime: comma milliseconds, not always zero-padded', () => {
    expect(iso(parseUtcTime('2022-07-11 16:55:26,006'))).toBe('2022-07-11T16:55:26.006Z');
    expect(iso(parseUtcTime('2014-09-25 17:46:20,92'))).toBe('2014-09-25T17:46:20.092Z');
    expect(iso(parseUtcTime('2014-09-25 17:46:20'))).toBe('2014-09-25T17:46:20.000Z');
    expect(parseUtcTime('2022-13-01 00:00:00,000')).toBeNull();
    expect(parseUtcTime('1969-07-11 16:55:26,006')).toBeNull();
  });

  it('rejects impossible civil dates', () => {
    expect(civilToMicros(2023, 2, 29, 0, 0, 0, 0)).toBeNull();
    expect(civilToMicros(2024, 2, 29, 0, 0, 0, 0)).not.toBeNull();
    expect(civilToMicros(2024, 1, 1, 24, 0, 0, 0)).toBeNull();
  });

  it('IANA zones follow daylight saving', () => {
    const bru = makeTimeZone('Europe/Brussels')!;
    const summer = civilToMicros(2022, 7, 11, 18, 55, 26, 0)!;
    const winter = civilToMicros(2026, 11, 26, 21, 59, 21, 0)!;
    expect(iso(bru.toUtc(summer))).toBe('2022-07-11T16:55:26.000Z');
    expect(iso(bru.toUtc(winter))).toBe('2026-11-26T20:59:21.000Z');
    expect(makeTimeZone('Mars/Olympus')).toBeNull();
  });

  it('year tracker: hint, Dec → Jan wrap, time hint', () => {
    const y = new YearTracker(2023);
    expect(y.yearFor(12, 31)).toBe(2023);
    expect(y.yearFor(1, 1)).toBe(2024);
    expect(y.yearFor(1, 2)).toBe(2024);
    // capture on 2024-01-01: a log line from Dec 31 belongs to 2023
    const h = new YearTracker(2024, Date.UTC(2024, 0, 1, 0, 5) * 1000);
    expect(h.yearFor(12, 31)).toBe(2023);
    expect(h.yearFor(1, 1)).toBe(2024);
  });
});

describe('log timestamp boundaries', () => {
  const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0) => iso(civilToMicros(y, mo, d, h, mi, s, us));

  it('civil fields: each limit is accepted, one past it is refused', () => {
    expect(at(1990, 1, 1)).toBe('1990-01-01T00:00:00.000Z');
    expect(at(1989, 12, 31)).toBeNull();
    expect(at(2200, 12, 31, 23, 59, 59)).toBe('2200-12-31T23:59:59.000Z');
    expect(at(2201, 1, 1)).toBeNull();
    expect(at(2024, 0, 1)).toBeNull();
    expect(at(2024, 12, 1)).toBe('2024-12-01T00:00:00.000Z');
    expect(at(2024, 13, 1)).toBeNull();
    expect(at(2024, 1, 0)).toBeNull();
    expect(at(2024, 1, 31)).toBe('2024-01-31T00:00:00.000Z');
    expect(at(2024, 1, 32)).toBeNull();
    expect(at(2024, 4, 31)).toBeNull();
    expect(at(2024, 1, 1, 23, 59)).toBe('2024-01-01T23:59:00.000Z');
    expect(at(2024, 1, 1, 0, 60)).toBeNull();
    expect(at(2024, 1, 1, 0, 0, 61)).toBeNull();
    expect(civilToMicros(2024, 1, 1, 0, 0, 0, 999_999)).toBe(Date.UTC(2024, 0, 1) * 1000 + 999_999);
    expect(civilToMicros(2024, 1, 1, 0, 0, 0, 1_000_000)).toBeNull();
    expect(civilToMicros(2024, 1, 1, 0, 0, 0, -1)).toBeNull();
  });

  it('a leap second (:60) is the second after :59', () => {
    expect(civilToMicros(2016, 12, 31, 23, 59, 60, 500)).toBe(Date.UTC(2017, 0, 1) * 1000 + 500);
    expect(iso(parseIso('2016-12-31T23:59:60Z', UTC_ZONE))).toBe('2017-01-01T00:00:00.000Z');
  });

  it('ISO: minute 60 and second 61 are refused; a space may replace T; any fraction length', () => {
    expect(parseIso('2022-07-11T18:60:00Z', UTC_ZONE)).toBeNull();
    expect(parseIso('2022-07-11T18:00:61Z', UTC_ZONE)).toBeNull();
    expect(iso(parseIso('2022-07-11 18:59:59.5Z', UTC_ZONE))).toBe('2022-07-11T18:59:59.500Z');
    expect(parseIso('2022-07-11T18:00:00.123456789Z', UTC_ZONE)).toBe(Date.UTC(2022, 6, 11, 18) * 1000 + 123_457);
    expect(iso(parseIso('2022-07-11T18:00:00,25Z', UTC_ZONE))).toBe('2022-07-11T18:00:00.250Z');
    expect(parseIso('2022-02-30T18:00:00Z', UTC_ZONE)).toBeNull();
    expect(parseIso('not a time', UTC_ZONE)).toBeNull();
  });

  it('ISO offsets: with or without a colon, lower-case z, at most ±18:00', () => {
    const base = Date.UTC(2022, 6, 11, 18) * 1000;
    expect(parseIso('2022-07-11T18:00:00z', UTC_ZONE)).toBe(base);
    expect(parseIso('2022-07-11T18:00:00+0530', UTC_ZONE)).toBe(base - 330 * 60_000_000);
    expect(parseIso('2022-07-11T18:00:00-04:00', UTC_ZONE)).toBe(base + 240 * 60_000_000);
    expect(parseIso('2022-07-11T18:00:00+18:00', UTC_ZONE)).toBe(base - 1080 * 60_000_000);
    expect(parseIso('2022-07-11T18:00:00+18:01', UTC_ZONE)).toBeNull();
    // consecutive lines: same hour, another minute; then back to a valid offset
    expect(parseIso('2022-07-11T18:05:00+18:01', UTC_ZONE)).toBeNull();
    expect(parseIso('2022-07-11T18:05:00+01:00', UTC_ZONE)).toBe(base + 5 * 60_000_000 - 60 * 60_000_000);
    // an offset in the text wins over the zone
    expect(parseIso('2022-07-11T18:00:00+00:00', makeTimeZone('+02:00')!)).toBe(base);
  });

  it('UTCTime: up to 3 digits are milliseconds, 4 to 6 a decimal fraction, 7 refused; spaces trimmed', () => {
    const base = Date.UTC(2022, 6, 11, 16, 55, 26) * 1000;
    expect(parseUtcTime(' 2022-07-11 16:55:26,5 ')).toBe(base + 5_000);
    expect(parseUtcTime('2022-07-11 16:55:26,123')).toBe(base + 123_000);
    expect(parseUtcTime('2022-07-11 16:55:26,1234')).toBe(base + 123_400);
    expect(parseUtcTime('2022-07-11 16:55:26,123456')).toBe(base + 123_456);
    expect(parseUtcTime('2022-07-11 16:55:26,1234567')).toBeNull();
    expect(parseUtcTime('2022-07-11T16:55:26,123')).toBeNull();
  });

  it('zones: UTC spellings, fixed offsets, unknown names', () => {
    for (const s of [undefined, '', 'UTC', 'utc']) expect(makeTimeZone(s)).toBe(UTC_ZONE);
    const minus = makeTimeZone('-0330')!;
    expect(minus.name).toBe('-0330');
    expect(minus.toUtc(Date.UTC(2022, 0, 1) * 1000)).toBe(Date.UTC(2022, 0, 1, 3, 30) * 1000);
    expect(makeTimeZone('Z')!.toUtc(123)).toBe(123);
    expect(makeTimeZone('+25:00')).toBeNull();
  });

  it('IANA zones: half-hour offsets, negative offsets, both sides of a DST change, sub-second times kept', () => {
    const local = (y: number, mo: number, d: number, h: number, mi = 0, s = 0, us = 0) => civilToMicros(y, mo, d, h, mi, s, us)!;
    const kolkata = makeTimeZone('Asia/Kolkata')!;
    expect(kolkata.name).toBe('Asia/Kolkata');
    expect(iso(kolkata.toUtc(local(2024, 1, 15, 10, 0, 0, 250_000)))).toBe('2024-01-15T04:30:00.250Z');
    const ny = makeTimeZone('America/New_York')!;
    expect(iso(ny.toUtc(local(2024, 1, 15, 23, 59, 59)))).toBe('2024-01-16T04:59:59.000Z');
    expect(iso(ny.toUtc(local(2024, 7, 15, 0, 0, 1)))).toBe('2024-07-15T04:00:01.000Z');
    const bru = makeTimeZone('Europe/Brussels')!;
    // 2024-03-31: 02:00 CET → 03:00 CEST
    expect(iso(bru.toUtc(local(2024, 3, 31, 1, 59, 59)))).toBe('2024-03-31T00:59:59.000Z');
    expect(iso(bru.toUtc(local(2024, 3, 31, 3, 0, 0)))).toBe('2024-03-31T01:00:00.000Z');
    // 2024-10-27: 03:00 CEST → 02:00 CET
    expect(iso(bru.toUtc(local(2024, 10, 27, 1, 30)))).toBe('2024-10-26T23:30:00.000Z');
    expect(iso(bru.toUtc(local(2024, 10, 27, 4, 0)))).toBe('2024-10-27T03:00:00.000Z');
    // the per-hour cache gives the same answers on a second pass, and after more than 4096 hours
    for (let h = 0; h < 5000; h++) bru.toUtc(local(2020, 1, 1, 0) + h * 3_600_000_000);
    expect(iso(bru.toUtc(local(2024, 3, 31, 1, 59, 59)))).toBe('2024-03-31T00:59:59.000Z');
    expect(iso(bru.toUtc(local(2024, 7, 1, 12)))).toBe('2024-07-01T10:00:00.000Z');
  });

  it('year tracker: a step back of 6 months or more is a new year, fewer is not', () => {
    const y = new YearTracker(2023);
    expect(y.yearFor(7, 1)).toBe(2023);
    expect(y.yearFor(1, 1)).toBe(2024);
    const z = new YearTracker(2023);
    expect(z.yearFor(6, 30)).toBe(2023);
    expect(z.yearFor(1, 1)).toBe(2023);
    expect(z.yearFor(3, 1)).toBe(2023);
    // with a time hint, the nearest of the three years around it
    const h = new YearTracker(2000, Date.UTC(2023, 11, 31, 23) * 1000);
    expect(h.yearFor(1, 1)).toBe(2024);
    expect(h.yearFor(12, 30)).toBe(2023);
    expect(h.yearFor(9, 1)).toBe(2023);
    const j = new YearTracker(2000, Date.UTC(2024, 6, 1) * 1000);
    expect(j.yearFor(1, 2)).toBe(2024);
    expect(j.yearFor(12, 30)).toBe(2024);
  });
});

describe('month names and zone spellings', () => {
  it('English three-letter month abbreviations (ATS diags, BSD syslog); anything else is 0', () => {
    expect(['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(monthNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(monthNumber('jan')).toBe(0);
    expect(monthNumber('Foo')).toBe(0);
  });

  it('a lower-case z is UTC too', () => {
    expect(makeTimeZone('z')?.toUtc(42)).toBe(42);
    expect(UTC_ZONE.name).toBe('UTC');
  });
});

describe('time edges found by mutation testing', () => {
  it('a zone is a whole offset or an IANA name: an offset with text around it is unknown', () => {
    expect(makeTimeZone('UTC+02:00')).toBeNull();
    expect(makeTimeZone('GMT+02:00')).toBeNull();
    expect(makeTimeZone('+02:00:30')).toBeNull();
    expect(makeTimeZone('+0200 CEST')).toBeNull();
    expect(makeTimeZone('Etc/GMT-2')?.toUtc(Date.UTC(2024, 0, 1, 12) * 1000)).toBe(Date.UTC(2024, 0, 1, 10) * 1000);
  });

  it('IANA zones cache one conversion per local hour, and the cache stays bounded on a log spanning many hours', () => {
    const bru = makeTimeZone('Europe/Brussels')!;
    const hour = (h: number) => Date.UTC(2020, 0, 1) * 1000 + h * 3_600_000_000;
    expect(bru.cachedHours).toBe(0);
    bru.toUtc(hour(0));
    bru.toUtc(hour(0) + 59 * 60_000_000);
    expect(bru.cachedHours).toBe(1);
    bru.toUtc(hour(1));
    expect(bru.cachedHours).toBe(2);
    for (let h = 2; h <= MAX_CACHED_HOURS; h++) bru.toUtc(hour(h));
    expect(bru.cachedHours).toBe(MAX_CACHED_HOURS + 1);
    // the next new hour empties it first
    bru.toUtc(hour(MAX_CACHED_HOURS + 1));
    expect(bru.cachedHours).toBe(1);
    for (let h = 0; h < 3 * MAX_CACHED_HOURS; h++) bru.toUtc(hour(10_000 + h));
    expect(bru.cachedHours).toBeLessThanOrEqual(MAX_CACHED_HOURS + 1);
    // answers are the same from the cache and after it was emptied
    expect(iso(bru.toUtc(civilToMicros(2024, 7, 1, 12, 0, 0, 0)!))).toBe('2024-07-01T10:00:00.000Z');
  });

  it('year from a time hint: a date exactly as far from the hint in two years takes the earlier year', () => {
    // 2023-12-31T00:00Z is 183 days after 2023-07-01 and 183 days before 2024-07-01
    const hint = (Date.UTC(2023, 6, 1) + Date.UTC(2024, 6, 1)) / 2;
    expect(new Date(hint).toISOString()).toBe('2023-12-31T00:00:00.000Z');
    expect(new YearTracker(2000, hint * 1000).yearFor(7, 1)).toBe(2023);
    expect(new YearTracker(2000, (hint + 1) * 1000).yearFor(7, 1)).toBe(2024);
  });
});
