/**
 * X.501 Name (RFC 5280 §4.1.2.4: SEQUENCE OF RelativeDistinguishedName, each a SET OF
 * AttributeTypeAndValue) → RFC 4514 string, most specific RDN first (as OpenSSL
 * `-nameopt RFC2253`), plus the comparison key OpenSSL uses (X509_NAME_cmp over the canonical
 * encoding: strings trimmed, inner whitespace collapsed, ASCII lower-cased).
 *
 * String types: UTF8String, PrintableString, IA5String, VisibleString, NumericString are read
 * as-is; TeletexString (T.61) as ISO-8859-1 (what OpenSSL's ASN1_STRING_to_UTF8 does);
 * BMPString as UTF-16BE; UniversalString as UTF-32BE. Anything else is `#<hex of the DER>`.
 * Escaping per RFC 4514 §2.4; control characters (NUL included) are shown as `\XX` so they stay
 * visible. Non-ASCII characters are written as UTF-8 (RFC 4514 allows it; OpenSSL would hex-escape).
 */
import { DecodeError } from '../diagnostics/decode-error.js';
import { TAG, children, content, decodeOid, readTlv, latin1, toHex, whole, type Tlv } from './der.js';
import { DN_ATTRIBUTES, OID_COMMON_NAME } from './oids.js';

export interface FormattedName {
  /** RFC 4514, most specific first, e.g. `CN=cucm.steven.lab,O=Cisco,C=US` */
  text: string;
  /** commonName values in DER order (the first is what Traffic Server checks) */
  cns: string[];
  /** OpenSSL-equivalent comparison key (equal keys ⇔ X509_NAME_cmp == 0, for string attributes) */
  canonical: string;
  /** number of attribute values */
  entries: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Decodes a directory string TLV; null when the type is not a character string. */
export function decodeDirectoryString(buf: Uint8Array, t: Tlv): string | null {
  const v = content(buf, t);
  switch (t.tag) {
    case TAG.utf8String:
      return utf8.decode(v);
    case TAG.printableString:
    case TAG.ia5String:
    case TAG.visibleString:
    case TAG.numericString:
    case TAG.teletexString:
      return latin1(v);
    case TAG.bmpString: {
      if (v.length % 2 !== 0) return null;
      // UCS-2 big-endian, code unit by code unit (lone surrogates kept): swapped, then decoded natively
      const le = Buffer.from(v);
      le.swap16();
      return le.toString('utf16le');
    }
    case TAG.universalString: {
      if (v.length % 4 !== 0) return null;
      const parts: string[] = [];
      const cps: number[] = [];
      for (let i = 0; i < v.length; i += 4) {
        const cp = ((v[i] << 24) | (v[i + 1] << 16) | (v[i + 2] << 8) | v[i + 3]) >>> 0;
        cps.push(cp <= 0x10ffff ? cp : 0xfffd);
        if (cps.length === 4096) { parts.push(String.fromCodePoint(...cps)); cps.length = 0; }
      }
      parts.push(String.fromCodePoint(...cps));
      return parts.join('');
    }
    default:
      return null;
  }
}

const hex2 = (n: number) => (n < 16 ? '0' : '') + n.toString(16).toUpperCase();

/** RFC 4514 §2.4 escaping, plus `\XX` for control characters (by one regular expression: a value can be 1 MB). */
export function escapeRfc4514(value: string): string {
  let out = value.replace(/[\x00-\x1f\x7f"+,;<>\\]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x20 || code === 0x7f ? '\\' + hex2(code) : '\\' + ch;
  });
  // a leading space or '#', and a trailing space (one character: escaped once, as the leading one)
  if (value[0] === ' ' || value[0] === '#') out = '\\' + out;
  if (value.length > 1 && value[value.length - 1] === ' ') out = out.slice(0, -1) + '\\ ';
  return out;
}

const CANON_TAGS = new Set<number>([
  TAG.utf8String, TAG.bmpString, TAG.universalString, TAG.printableString, TAG.teletexString, TAG.ia5String, TAG.visibleString,
]);

/** OpenSSL asn1_string_canon: trim, collapse inner whitespace, ASCII lower-case. */
export function canonValue(s: string): string {
  // collapse first, then drop the single blank left at either end: `/[ws]+$/` would try every position
  // of an inner blank run up to its end (quadratic on a hostile certificate's 500 KB of blanks)
  let t = s.replace(/[ \t\n\v\f\r]+/g, ' ');
  if (t.startsWith(' ')) t = t.slice(1);
  if (t.endsWith(' ')) t = t.slice(0, -1);
  return t.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** One attribute of a Name: its type, value TLV and the value as text (null: not a string type we read). */
export interface NameAttribute {
  oid: string;
  value: Tlv;
  text: string | null;
}

/**
 * Walks a Name given as its complete DER TLV, RDN by RDN in DER order (least specific first), calling
 * `visit` for each attribute (throws DecodeError on malformed input). Returns the canonical text of
 * each RDN (its attributes' canonical forms, sorted, joined by '+').
 */
export function walkName(der: Uint8Array, visit: (a: NameAttribute, rdnIndex: number) => void): string[] {
  const top = readTlv(der, 0, der.length, TAG.sequence);
  const canon: string[] = [];
  for (const rdn of children(der, top)) {
    if (rdn.tag !== TAG.set) throw new DecodeError('unexpected_tag', 'x509.name', `RDN at ${rdn.start} is not a SET`);
    const canonParts: string[] = [];
    for (const ava of children(der, rdn)) {
      const [typeTlv, valueTlv] = children(der, ava);
      if (!typeTlv || !valueTlv || typeTlv.tag !== TAG.oid) {
        throw new DecodeError('bad_attribute', 'x509.name', `AttributeTypeAndValue at ${ava.start}`);
      }
      const oid = decodeOid(content(der, typeTlv));
      const text = DN_ATTRIBUTES[oid] ? decodeDirectoryString(der, valueTlv) : null;
      canonParts.push(`${oid}=${text !== null && CANON_TAGS.has(valueTlv.tag) ? canonValue(text) : '#' + toHex(whole(der, valueTlv))}`);
      visit({ oid, value: valueTlv, text }, canon.length);
    }
    canon.push(canonParts.sort().join('+'));
  }
  return canon;
}

/** Formats a Name given as its complete DER TLV (throws DecodeError on malformed input). */
export function formatName(der: Uint8Array): FormattedName {
  const rdns: string[][] = [];
  const cns: string[] = [];
  let entries = 0;
  const canon = walkName(der, ({ oid, value, text }, i) => {
    const shown = text === null ? '#' + toHex(whole(der, value)) : escapeRfc4514(text);
    (rdns[i] ??= []).push(`${DN_ATTRIBUTES[oid] ?? oid}=${shown}`);
    if (oid === OID_COMMON_NAME && text !== null) cns.push(text);
    entries++;
  });
  const text = canon.map((_, i) => (rdns[i] ?? []).join('+')).reverse().join(',');
  return { text, cns, canonical: canon.join('/'), entries };
}

/** formatName that never throws: a malformed name becomes `#<hex>` with an empty CN list. */
export function formatNameSafe(der: Uint8Array): FormattedName {
  try {
    return formatName(der);
  } catch {
    const h = '#' + toHex(der);
    return { text: h, cns: [], canonical: h, entries: 0 };
  }
}
