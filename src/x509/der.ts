/**
 * Minimal DER (ITU-T X.690 §8, §10) reader: tag-length-value headers, OBJECT IDENTIFIER and
 * INTEGER contents. Bounds-checked; throws only DecodeError. Used for the parts of a certificate
 * that must be seen byte-exact (names, SPKI parameters, algorithm identifiers) and for PKCS#7.
 *
 *   identifier octet: class(2) | constructed(1) | tag number(5)   (high tag numbers: 0x1f + base-128)
 *   length: short form 0..127, or 0x80|n followed by n big-endian octets (n ≤ 4 here)
 */
import { DecodeError } from '../diagnostics/decode-error.js';

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  numericString: 0x12,
  printableString: 0x13,
  teletexString: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  visibleString: 0x1a,
  universalString: 0x1c,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const;

export interface Tlv {
  /** first identifier octet (class, constructed bit, low tag number) */
  tag: number;
  /** offset of the identifier octet */
  start: number;
  /** offset of the first content octet */
  valueStart: number;
  /** declared content length */
  length: number;
  /** valueStart + length (may exceed the buffer for a truncated input; see `complete`) */
  end: number;
  /** the whole TLV lies inside the buffer */
  complete: boolean;
}

const fail = (code: string, detail: string): never => {
  throw new DecodeError(code, 'x509.der', detail);
};

/** Reads the TLV header at `off`; the content may run past `limit` (then `complete` is false). */
export function readHeader(buf: Uint8Array, off: number, limit: number = buf.length): Tlv {
  if (off + 2 > limit) fail('truncated', `header at ${off} needs 2 bytes, ${limit - off} left`);
  const tag = buf[off];
  let p = off + 1;
  if ((tag & 0x1f) === 0x1f) {
    // high tag number form: skip the base-128 octets
    let n = 0;
    while (p < limit && (buf[p] & 0x80) !== 0) { p++; if (++n > 4) fail('bad_tag', `tag at ${off} too long`); }
    p++;
    if (p >= limit) fail('truncated', `tag at ${off}`);
  }
  const first = buf[p++];
  let length = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0) fail('indefinite_length', `at ${off} (not DER)`);
    if (n > 4) fail('bad_length', `length of ${n} octets at ${off}`);
    if (p + n > limit) fail('truncated', `length octets at ${off}`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buf[p++];
  }
  const end = p + length;
  return { tag, start: off, valueStart: p, length, end, complete: end <= limit };
}

/** Reads a TLV that must lie completely inside [off, limit). */
export function readTlv(buf: Uint8Array, off: number, limit: number = buf.length, expectTag?: number): Tlv {
  const t = readHeader(buf, off, limit);
  if (!t.complete) fail('truncated', `tag 0x${t.tag.toString(16)} at ${off} needs ${t.end - off} bytes, ${limit - off} left`);
  if (expectTag !== undefined && t.tag !== expectTag) {
    fail('unexpected_tag', `0x${t.tag.toString(16)} at ${off}, expected 0x${expectTag.toString(16)}`);
  }
  return t;
}

/** The complete child TLVs of a constructed TLV. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.valueStart;
  while (p < parent.end) {
    const c = readTlv(buf, p, parent.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** Children of a TLV whose content may be cut: returns the leading complete children only. */
export function childrenPrefix(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  const limit = Math.min(parent.end, buf.length);
  let p = parent.valueStart;
  while (p < limit) {
    let c: Tlv;
    try { c = readHeader(buf, p, limit); } catch { break; }
    if (!c.complete) break;
    out.push(c);
    p = c.end;
  }
  return out;
}

export function content(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.valueStart, t.end);
}

export function whole(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

/** X.690 §8.19: dotted-decimal OBJECT IDENTIFIER. */
export function decodeOid(bytes: Uint8Array): string {
  if (bytes.length === 0) fail('bad_oid', 'empty');
  const arcs: string[] = [];
  let v = 0n;
  let first = true;
  for (let i = 0; i < bytes.length; i++) {
    v = (v << 7n) | BigInt(bytes[i] & 0x7f);
    if ((bytes[i] & 0x80) === 0) {
      if (first) {
        const a = v < 40n ? 0n : v < 80n ? 1n : 2n;
        arcs.push(a.toString(), (v - a * 40n).toString());
        first = false;
      } else arcs.push(v.toString());
      v = 0n;
    } else if (i === bytes.length - 1) fail('bad_oid', 'last octet has the continuation bit');
  }
  return arcs.join('.');
}

/** Lower-case hex (natively: a character-by-character string of a 1 MB value was seconds of garbage collection). */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}

/** Each octet as the character of that code (ISO 8859-1), natively. */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

/** INTEGER contents as lower-case hex of the magnitude: leading zero octets dropped (at least one octet kept). */
export function integerHex(bytes: Uint8Array): string {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return toHex(bytes.subarray(i));
}
