/**
 * RFC 5246 §4.3 / RFC 8446 §3.4 variable-length vectors `T name<min..max>`: the length prefix is
 * as wide as needed to hold `max` (1, 2 or 3 bytes). `readVector` checks the prefix against both
 * bounds and the bytes available and returns a child reader over the vector body; `expectEnd`
 * asserts that parsing stopped exactly at the end (Wireshark ssl_add_vector / ssl_end_vector).
 */
import { ByteReader } from './byte-reader.js';

/** Width of the length prefix for a vector whose ceiling is `max` bytes. */
export function prefixWidth(max: number): 1 | 2 | 3 {
  if (max <= 0xff) return 1;
  if (max <= 0xffff) return 2;
  return 3;
}

export function readVector(r: ByteReader, min: number, max: number, what: string): ByteReader {
  const w = prefixWidth(max);
  const len = r.lengthPrefix(w, what);
  if (len < min || len > max) r.fail('vector_bounds', `${what}: length ${len} outside <${min}..${max}>`);
  if (len > r.remaining) r.fail('vector_overflow', `${what}: length ${len} exceeds the ${r.remaining} bytes left`);
  return r.sub(len, what);
}

/** Throws unless the reader consumed its whole window. */
export function expectEnd(r: ByteReader, what: string): void {
  if (r.remaining !== 0) r.fail('trailing_bytes', `${what}: ${r.remaining} unparsed bytes`);
}

/** A vector of u16 values (cipher suites, groups, signature schemes, versions). */
export function readU16List(r: ByteReader, min: number, max: number, what: string): number[] {
  const v = readVector(r, min, max, what);
  if (v.remaining % 2 !== 0) v.fail('odd_length', `${what}: ${v.remaining} bytes is not a list of u16`);
  const out = new Array<number>(v.remaining >> 1); // sized once: no regrowth while filling
  for (let i = 0; i < out.length; i++) out[i] = v.u16(what);
  return out;
}
