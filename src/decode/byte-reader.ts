/**
 * Unchecked big-endian getters over a Uint8Array (tcpdump extract.h EXTRACT_* without the GET_
 * check). Callers check the length once per header before using them (tcpdump ND_TCHECK_LEN
 * spirit: one comparison per header, then plain loads). Small enough for V8 to inline.
 */
export function be16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function be32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export function le32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}
