import { describe, expect, it } from 'vitest';
import { civilToMicros, makeTimeZone, parseIso, parseUtcTime, UTC_ZONE, YearTracker } from '../../../src/logs/time.js';

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
