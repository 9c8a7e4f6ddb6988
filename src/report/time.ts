/** ISO 8601 UTC with milliseconds from integer microseconds since the epoch; null for null/invalid. */
export function isoFromMicros(us: number | null | undefined): string | null {
  if (us === null || us === undefined || !Number.isFinite(us)) return null;
  const d = new Date(Math.floor(us / 1000));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** `0x` + four hex digits; strings for 16-bit values are made once and shared (a report repeats the
 *  same cipher suites in every ClientHello of thousands of connections). */
const HEX16: (string | undefined)[] = [];
export function hex16(n: number): string {
  if (Number.isInteger(n) && n >= 0 && n <= 0xffff) return (HEX16[n] ??= `0x${n.toString(16).padStart(4, '0')}`);
  return `0x${n.toString(16).padStart(4, '0')}`;
}
