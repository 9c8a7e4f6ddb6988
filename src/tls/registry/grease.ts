/**
 * GREASE (RFC 8701 §2): reserved 16-bit values 0x0A0A, 0x1A1A, ..., 0xFAFA used by clients in
 * cipher suites, extensions, named groups, signature algorithms and supported_versions to keep
 * peers tolerant of unknown values. Also the small hex formatting shared by the registries.
 */

/** true for the 16 GREASE values (both bytes equal, each of the form 0x?A). */
export function isGrease(v: number): boolean {
  return v >= 0 && v <= 0xffff && (v & 0x0f0f) === 0x0a0a && v >> 8 === (v & 0xff);
}

/** `0x1a1a` (lower case, 4 digits) */
export function hex4(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(4, '0')}`;
}

/** Name from a table, GREASE label, else the number in hex (tcpdump tok2str idea: never throws). */
export function lookupName(table: ReadonlyMap<number, string>, v: number): string {
  const n = table.get(v);
  if (n !== undefined) return n;
  if (isGrease(v)) return `GREASE (${hex4(v)})`;
  return hex4(v);
}
