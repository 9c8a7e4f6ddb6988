/** the ISO text of the last whole second formatted, without its ".mmmZ" (a capture's times cluster) */
let lastSecond = NaN;
let lastPrefix = '';
const MS3: string[] = Array.from({ length: 1000 }, (_, i) => `.${String(i).padStart(3, '0')}Z`);

/** ISO 8601 UTC with milliseconds from integer microseconds since the epoch; null for null/invalid. */
export function isoFromMicros(us: number | null | undefined): string | null {
  if (us === null || us === undefined || !Number.isFinite(us)) return null;
  const ms = Math.floor(us / 1000);
  const sec = Math.floor(ms / 1000);
  if (sec === lastSecond) return lastPrefix + MS3[ms - sec * 1000];
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  const iso = d.toISOString();
  // years 0000-9999 print as YYYY-MM-DDTHH:MM:SS.mmmZ (24 characters); others (±YYYYYY) are not cached
  if (iso.length === 24) {
    lastSecond = sec;
    lastPrefix = iso.slice(0, 19);
  }
  return iso;
}

/** `0x` + four hex digits; strings for 16-bit values are made once and shared (a report repeats the
 *  same cipher suites in every ClientHello of thousands of connections). */
const HEX16: (string | undefined)[] = [];
export function hex16(n: number): string {
  if (Number.isInteger(n) && n >= 0 && n <= 0xffff) return (HEX16[n] ??= `0x${n.toString(16).padStart(4, '0')}`);
  return `0x${n.toString(16).padStart(4, '0')}`;
}
