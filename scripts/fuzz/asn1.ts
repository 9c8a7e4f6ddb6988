/**
 * DER building blocks (ITU-T X.690 §8.1: identifier, definite length, contents) for hostile
 * certificates: deep nesting, lying lengths, thousands of SANs. Structures follow RFC 5280 §4.1
 * closely enough that an X.509 parser gets past the outer layers before meeting the hostile part.
 */
import { ascii, concat } from './bytes.js';

/** Definite length octets (X.690 §8.1.3): short form < 128, else long form. */
export function derLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function tlv(tag: number, content: Uint8Array): Uint8Array {
  return concat([Uint8Array.of(tag), derLength(content.length), content]);
}

export const seq = (...xs: Uint8Array[]): Uint8Array => tlv(0x30, concat(xs));
export const set = (...xs: Uint8Array[]): Uint8Array => tlv(0x31, concat(xs));
export const int = (v: number): Uint8Array => tlv(0x02, Uint8Array.of(v & 0x7f));
export const bitString = (b: Uint8Array): Uint8Array => tlv(0x03, concat([Uint8Array.of(0), b]));
export const octetString = (b: Uint8Array): Uint8Array => tlv(0x04, b);
export const utf8 = (s: string): Uint8Array => tlv(0x0c, ascii(s));
export const utcTime = (s: string): Uint8Array => tlv(0x17, ascii(s));
export const ctx = (n: number, b: Uint8Array, constructed = true): Uint8Array => tlv((constructed ? 0xa0 : 0x80) | n, b);

/** OID from dotted text (X.690 §8.19). */
export function oid(dotted: string): Uint8Array {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * parts[0] + parts[1]];
  for (const p of parts.slice(2)) {
    const enc: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) enc.unshift(0x80 | (v & 0x7f));
    out.push(...enc);
  }
  return tlv(0x06, Uint8Array.from(out));
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const EC_P256 = seq(oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.7'));

function name(cn: string): Uint8Array {
  return seq(set(seq(oid('2.5.4.3'), utf8(cn))));
}

/** A syntactically plausible v3 certificate with the given extensions (signature is garbage). */
export function certificate(cn: string, extensions: Uint8Array[], issuer = cn): Uint8Array {
  const spki = seq(EC_P256, bitString(concat([Uint8Array.of(4), new Uint8Array(64).fill(7)])));
  const tbs = seq(
    ctx(0, int(2)), int(0x11), ECDSA_SHA256, name(issuer),
    seq(utcTime('200101000000Z'), utcTime('491231235959Z')), name(cn), spki,
    ctx(3, seq(...extensions)),
  );
  return seq(tbs, ECDSA_SHA256, bitString(new Uint8Array(70).fill(0x30)));
}

/** subjectAltName extension (RFC 5280 §4.2.1.6) with `n` dNSName entries and `ips` iPAddress entries. */
export function sanExtension(n: number, ips = 0, prefix = 'h'): Uint8Array {
  const names: Uint8Array[] = [];
  for (let i = 0; i < n; i++) names.push(tlv(0x82, ascii(`${prefix}${i}.x.test`)));
  for (let i = 0; i < ips; i++) names.push(tlv(0x87, Uint8Array.of(10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)));
  return seq(oid('2.5.29.17'), octetString(seq(...names)));
}

/** SEQUENCE nested `depth` times around `core` (lengths exact; linear time: sizes first, then bytes). */
export function nestedSequences(depth: number, core: Uint8Array = Uint8Array.of(0x05, 0x00)): Uint8Array {
  const sizes = [core.length];
  for (let i = 0; i < depth; i++) sizes.push(sizes[i] + 1 + derLength(sizes[i]).length);
  const out = new Uint8Array(sizes[depth]);
  let pos = 0;
  for (let level = depth - 1; level >= 0; level--) {
    out[pos++] = 0x30;
    const l = derLength(sizes[level]);
    out.set(l, pos);
    pos += l.length;
  }
  out.set(core, pos);
  return out;
}

/** A certificate whose extension value is `depth` nested SEQUENCEs. */
export function deepCertificate(depth: number): Uint8Array {
  return certificate('deep.x.test', [seq(oid('1.2.3.4'), octetString(nestedSequences(depth)))]);
}

/**
 * A header claiming `claimed` content bytes (e.g. 2^31) followed by only `actual` bytes:
 * X.690 long-form length with 4 octets.
 */
export function lyingTlv(tag: number, claimed: number, actual: Uint8Array): Uint8Array {
  const c = claimed >>> 0;
  return concat([Uint8Array.of(tag, 0x84, (c >>> 24) & 0xff, (c >>> 16) & 0xff, (c >>> 8) & 0xff, c & 0xff), actual]);
}

/** Find offsets of DER headers `30 82 hi lo` / `30 81 n` (plausible SEQUENCE lengths) in `b`. */
export function findDerLengths(b: Uint8Array, from = 0, to = b.length): { off: number; width: number }[] {
  const out: { off: number; width: number }[] = [];
  for (let i = from; i + 4 < to; i++) {
    const t = b[i];
    if (t !== 0x30 && t !== 0x31 && t !== 0x04 && t !== 0x03 && t !== 0xa3 && t !== 0x02 && t !== 0x06) continue;
    const l = b[i + 1];
    if (l === 0x82) out.push({ off: i + 1, width: 3 });
    else if (l === 0x81) out.push({ off: i + 1, width: 2 });
    else if (l < 0x80 && l > 2 && t === 0x30) out.push({ off: i + 1, width: 1 });
  }
  return out;
}
