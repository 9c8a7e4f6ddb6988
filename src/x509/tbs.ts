/**
 * Certificate skeleton straight from the DER (RFC 5280 §4.1), tolerant to truncation: every field
 * whose TLV is completely present is returned, the rest is null. Gives the byte-exact issuer and
 * subject Names, validity (UTCTime years 50–99 → 19xx, so pre-1970 dates work), the
 * SubjectPublicKeyInfo algorithm and parameters (named curve vs explicit parameters) and the raw
 * extensions. @peculiar/x509 and node:crypto supply the rest (see analyze.ts).
 *
 *   Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE { [0] version DEFAULT v1, serialNumber, signature, issuer, validity,
 *                                 subject, subjectPublicKeyInfo, [1] issuerUID, [2] subjectUID, [3] extensions }
 */
import { DecodeError } from '../diagnostics/decode-error.js';
import { TAG, children, childrenPrefix, content, decodeOid, integerHex, readHeader, readTlv, whole, type Tlv } from './der.js';

/** explicit: ECParameters (RFC 3279 §2.3.5) with the content of its `order` INTEGER (null when that field does not decode) */
export type CurveParams = { kind: 'named'; oid: string } | { kind: 'explicit'; order: Uint8Array | null } | { kind: 'none' };

export interface RawExtension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

export interface CertSkeleton {
  /** total DER length declared by the outer SEQUENCE header */
  declaredLength: number | null;
  version: number | null;
  serialHex: string | null;
  issuer: Uint8Array | null;
  subject: Uint8Array | null;
  notBeforeMs: number | null;
  notAfterMs: number | null;
  /**
   * The validity times as written when OpenSSL's X509_cmp_time refuses them (anything but
   * YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ of a real date: fractions, offsets, no seconds, day 31 of a
   * 30-day month, second 60, another tag), cut at 64 characters; null when well formed
   */
  notBeforeBad: string | null;
  notAfterBad: string | null;
  spkiAlgorithm: string | null;
  spkiParams: CurveParams | null;
  /** subjectPublicKey BIT STRING content without the unused-bits octet */
  spkiKey: Uint8Array | null;
  extensions: RawExtension[] | null;
  /** outer signatureAlgorithm OID */
  signatureAlgorithm: string | null;
  /**
   * RSASSA-PSS signatures (RFC 4055 §3.1): the hash algorithm OID of the outer signatureAlgorithm's
   * parameters (SHA-1 when the field is left out, its DEFAULT); null for other algorithms, or when the
   * parameters are absent or undecodable (OpenSSL then has no signature information either)
   */
  pssHash: string | null;
}

const RSASSA_PSS = '1.2.840.113549.1.1.10';
const SHA1 = '1.3.14.3.2.26';

/** RSASSA-PSS-params ::= SEQUENCE { hashAlgorithm [0] AlgorithmIdentifier DEFAULT sha1, ... }: the hash OID, or null. */
function pssHashOf(der: Uint8Array, alg: Tlv): string | null {
  const params = children(der, alg)[1];
  if (params === undefined || params.tag !== TAG.sequence) return null;
  const first = children(der, params)[0];
  if (first === undefined || first.tag !== 0xa0) return first === undefined || (first.tag >= 0xa1 && first.tag <= 0xa3) ? SHA1 : null;
  const hashAlg = children(der, first)[0];
  if (hashAlg === undefined || hashAlg.tag !== TAG.sequence) return null;
  const oid = children(der, hashAlg)[0];
  return oid !== undefined && oid.tag === TAG.oid ? decodeOid(content(der, oid)) : null;
}

/** RFC 5280 §4.1.2.5.1/§4.1.2.5.2 (lenient: optional seconds, fractions, ±hhmm offsets). */
export function parseAsn1Time(tag: number, text: string): number | null {
  const m =
    tag === TAG.utcTime
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?()(Z|[+-]\d{4})$/.exec(text)
      : tag === TAG.generalizedTime
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/.exec(text)
        : null;
  if (!m) return null;
  let year = Number(m[1]);
  if (tag === TAG.utcTime) year += year >= 50 ? 1900 : 2000;
  const month = Number(m[2]), day = Number(m[3]), hour = Number(m[4]), min = Number(m[5] ?? '0'), sec = Number(m[6] ?? '0');
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return null;
  const ms = m[7] ? Math.round(Number('0.' + m[7]) * 1000) : 0;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, ms);
  let t = d.getTime();
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  }
  return Number.isFinite(t) ? t : null;
}

/** longer than any time parseAsn1Time accepts (GeneralizedTime with a fraction and an offset is ~30 characters) */
const MAX_TIME_CHARS = 64;

/** A time's characters, at most MAX_TIME_CHARS of them, control characters as '?' (neither parser accepts one). */
function timeText(der: Uint8Array, t: Tlv): string {
  let s = '';
  for (let i = t.valueStart; i < Math.min(t.end, t.valueStart + MAX_TIME_CHARS); i++) {
    const c = der[i];
    s += c < 0x20 || c === 0x7f ? '?' : String.fromCharCode(c);
  }
  return s;
}

function timeOf(der: Uint8Array, t: Tlv | undefined): number | null {
  if (!t || t.end - t.valueStart > MAX_TIME_CHARS) return null;
  return parseAsn1Time(t.tag, timeText(der, t));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * X509_cmp_time's format check (OpenSSL 1.1.1 and 3.x): exactly YYMMDDHHMMSSZ (UTCTime) or
 * YYYYMMDDHHMMSSZ (GeneralizedTime), digits only, then asn1_time_to_tm's ranges (month 1-12, the
 * month's days with 29 February in leap years, hour ≤ 23, minute and second ≤ 59). Returns the
 * time as written (at most 64 characters, '?' for control characters) when refused, else null.
 */
function strictTimeProblem(der: Uint8Array, t: Tlv | undefined): string | null {
  if (!t) return '(missing)';
  const n = t.end - t.valueStart;
  const s = timeText(der, t);
  const m = t.tag === TAG.utcTime && n === 13 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
    : t.tag === TAG.generalizedTime && n === 15 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
    : null;
  if (!m) return s;
  let year = Number(m[1]);
  if (t.tag === TAG.utcTime) year += year >= 50 ? 1900 : 2000;
  const [month, day, hour, min, sec] = [m[2], m[3], m[4], m[5], m[6]].map(Number);
  if (month < 1 || month > 12 || hour > 23 || min > 59 || sec > 59 || day < 1) return s;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0) ? s : null;
}

function decodeExtensions(der: Uint8Array, wrapper: Tlv): RawExtension[] {
  const seq = readTlv(der, wrapper.valueStart, wrapper.end, TAG.sequence);
  const out: RawExtension[] = [];
  for (const ext of children(der, seq)) {
    const parts = children(der, ext);
    if (parts.length < 2 || parts[0].tag !== TAG.oid) throw new DecodeError('bad_extension', 'x509.tbs', `at ${ext.start}`);
    const critical = parts.length === 3 && parts[1].tag === TAG.boolean && der[parts[1].valueStart] !== 0;
    const value = parts[parts.length - 1];
    if (value.tag !== TAG.octetString) throw new DecodeError('bad_extension', 'x509.tbs', `extnValue at ${value.start}`);
    out.push({ oid: decodeOid(content(der, parts[0])), critical, value: content(der, value) });
  }
  return out;
}

function spkiOf(der: Uint8Array, spki: Tlv, out: CertSkeleton): void {
  const [alg, key] = children(der, spki);
  if (!alg || alg.tag !== TAG.sequence) return;
  const [oidTlv, params] = children(der, alg);
  if (!oidTlv || oidTlv.tag !== TAG.oid) return;
  out.spkiAlgorithm = decodeOid(content(der, oidTlv));
  if (!params || params.tag === TAG.null) out.spkiParams = { kind: 'none' };
  else if (params.tag === TAG.oid) out.spkiParams = { kind: 'named', oid: decodeOid(content(der, params)) };
  else if (params.tag === TAG.sequence) {
    // ECParameters ::= SEQUENCE { version, fieldID, curve, base, order INTEGER, cofactor OPTIONAL }
    const order = childrenPrefix(der, params)[4];
    out.spkiParams = { kind: 'explicit', order: order !== undefined && order.tag === TAG.integer ? content(der, order) : null };
  }
  if (key && key.tag === TAG.bitString && key.length > 0) out.spkiKey = der.subarray(key.valueStart + 1, key.end);
}

/** Decodes what is present of a certificate; throws DecodeError only when nothing usable is there. */
export function decodeCertSkeleton(der: Uint8Array): CertSkeleton {
  const out: CertSkeleton = {
    declaredLength: null, version: null, serialHex: null, issuer: null, subject: null, notBeforeMs: null, notAfterMs: null,
    notBeforeBad: null, notAfterBad: null, spkiAlgorithm: null, spkiParams: null, spkiKey: null, extensions: null, signatureAlgorithm: null, pssHash: null,
  };
  const cert = readHeader(der, 0);
  if (cert.tag !== TAG.sequence) throw new DecodeError('unexpected_tag', 'x509.tbs', `certificate starts with 0x${cert.tag.toString(16)}`);
  out.declaredLength = cert.end;
  const tbs = readHeader(der, cert.valueStart, Math.min(cert.end, der.length));
  if (tbs.tag !== TAG.sequence) throw new DecodeError('unexpected_tag', 'x509.tbs', 'tbsCertificate is not a SEQUENCE');
  const f = childrenPrefix(der, tbs);
  let i = 0;
  out.version = 1;
  if (f[0] && f[0].tag === 0xa0) {
    const v = children(der, f[0])[0];
    if (v && v.tag === TAG.integer && v.length === 1) out.version = der[v.valueStart] + 1;
    i = 1;
  }
  const at = (k: number, tag: number): Tlv | undefined => (f[i + k] && f[i + k].tag === tag ? f[i + k] : undefined);
  const serial = at(0, TAG.integer);
  if (serial) out.serialHex = integerHex(content(der, serial));
  const issuer = at(2, TAG.sequence);
  if (issuer) out.issuer = whole(der, issuer);
  const validity = at(3, TAG.sequence);
  if (validity) {
    const [nb, na] = children(der, validity);
    out.notBeforeMs = timeOf(der, nb);
    out.notAfterMs = timeOf(der, na);
    out.notBeforeBad = strictTimeProblem(der, nb);
    out.notAfterBad = strictTimeProblem(der, na);
  }
  const subject = at(4, TAG.sequence);
  if (subject) out.subject = whole(der, subject);
  const spki = at(5, TAG.sequence);
  if (spki) spkiOf(der, spki, out);
  for (let k = i + 6; k < f.length; k++) {
    if (f[k].tag !== 0xa3) continue;
    try {
      out.extensions = decodeExtensions(der, f[k]);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      out.extensions = null; // malformed extensions: the caller falls back to other parsers
    }
  }
  if (tbs.complete && tbs.end < der.length) {
    try {
      const alg = readTlv(der, tbs.end, der.length, TAG.sequence);
      const oid = children(der, alg)[0];
      if (oid && oid.tag === TAG.oid) out.signatureAlgorithm = decodeOid(content(der, oid));
      if (out.signatureAlgorithm === RSASSA_PSS) out.pssHash = pssHashOf(der, alg);
    } catch {
      /* truncated after the tbsCertificate, or PSS parameters that do not decode: leave null */
    }
  }
  return out;
}
