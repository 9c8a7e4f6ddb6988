/** ISO 8601 UTC with milliseconds from integer microseconds since the epoch; null for null/invalid. */
export function isoFromMicros(us: number | null | undefined): string | null {
  if (us === null || us === undefined || !Number.isFinite(us)) return null;
  const d = new Date(Math.floor(us / 1000));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function hex16(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}
