/**
 * The certificate extensions tls-extract reports (RFC 5280 §4.2.1): subjectAltName (§4.2.1.6,
 * dNSName and iPAddress), basicConstraints (§4.2.1.9), keyUsage (§4.2.1.3), extKeyUsage
 * (§4.2.1.12), subjectKeyIdentifier (§4.2.1.2), authorityKeyIdentifier (§4.2.1.1).
 * `ExtFacts` is filled from @peculiar/x509 objects in analyze.ts; `decodeExtFacts` decodes the same
 * from the raw extension bytes and is the fallback when @peculiar refuses a certificate (e.g. more
 * than 10,000 ASN.1 nodes: a certificate with 10,000 SANs).
 */
import { formatIp } from '../decode/packet-view.js';
import { DecodeError } from '../diagnostics/decode-error.js';
import { TAG, children, content, decodeOid, integerHex, readTlv, latin1, toHex, whole } from './der.js';
import { formatName } from './dn.js';
import { EXT, KEY_USAGE_BITS } from './oids.js';
import type { RawExtension } from './tbs.js';

export interface ExtFacts {
  dns: string[];
  ip: string[];
  basicConstraints: { ca: boolean; pathLen: number | null } | null;
  keyUsage: string[] | null;
  ekuOids: string[] | null;
  ski: string | null;
  aki: { keyId: string | null; serialHex: string | null; issuerKey: string | null } | null;
  /** Netscape certificate type: the first octet of its BIT STRING (OpenSSL ex_nscert), null when absent */
  nsCertType: number | null;
}

export function emptyExtFacts(): ExtFacts {
  return { dns: [], ip: [], basicConstraints: null, keyUsage: null, ekuOids: null, ski: null, aki: null, nsCertType: null };
}

/** iPAddress octets → text (RFC 5952 for IPv6); other lengths (name-constraint ranges) as hex. */
export function formatIpBytes(b: Uint8Array): string {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length === 16) {
    const w = (i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
    return formatIp(6, w(0), w(4), w(8), w(12));
  }
  return '#' + toHex(b);
}

/** Parses an IPv4 or IPv6 literal (RFC 4291 §2.2 text forms, brackets allowed) to its octets; null otherwise. */
export function parseIpLiteral(text: string): Uint8Array | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const o = v4.slice(1).map(Number);
    return o.every((n) => n <= 255) ? Uint8Array.from(o) : null;
  }
  const embedded = /^(.*:)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(s);
  if (embedded) {
    const b = parseIpLiteral(embedded[2]);
    if (!b) return null;
    s = `${embedded[1]}${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  if (!s.includes(':')) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const part = (p: string) => (p === '' ? [] : p.split(':'));
  const head = part(halves[0]);
  const tail = halves.length === 2 ? part(halves[1]) : [];
  const groups = [...head, ...tail].map((g) => (/^[0-9A-Fa-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  if (groups.some(Number.isNaN)) return null;
  if (halves.length === 1 ? groups.length !== 8 : groups.length > 7) return null;
  const all = [...groups.slice(0, head.length), ...new Array<number>(8 - groups.length).fill(0), ...groups.slice(head.length)];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 255;
  });
  return out;
}

/** Normalises an IP text as printed by other libraries to our form (RFC 5952); unknown text unchanged. */
export function normalizeIpText(text: string): string {
  const b = parseIpLiteral(text);
  return b ? formatIpBytes(b) : text;
}


/** keyUsage BIT STRING contents → names (bit 0 is the most significant bit of the first octet). */
export function keyUsageNames(bits: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < KEY_USAGE_BITS.length; i++) {
    const byte = 1 + (i >> 3);
    if (byte < bits.length && bits[byte] & (0x80 >> (i & 7))) out.push(KEY_USAGE_BITS[i]);
  }
  return out;
}

function decodeSan(v: Uint8Array, f: ExtFacts): void {
  const seq = readTlv(v, 0, v.length, TAG.sequence);
  for (const gn of children(v, seq)) {
    if (gn.tag === 0x82) f.dns.push(latin1(content(v, gn)));
    else if (gn.tag === 0x87) f.ip.push(formatIpBytes(content(v, gn)));
  }
}

function decodeAki(v: Uint8Array): NonNullable<ExtFacts['aki']> {
  const seq = readTlv(v, 0, v.length, TAG.sequence);
  const aki: NonNullable<ExtFacts['aki']> = { keyId: null, serialHex: null, issuerKey: null };
  for (const c of children(v, seq)) {
    if (c.tag === 0x80) aki.keyId = toHex(content(v, c));
    else if (c.tag === 0x82) aki.serialHex = integerHex(content(v, c));
    else if (c.tag === 0xa1) {
      // GeneralNames; OpenSSL X509_check_akid uses the first directoryName [4]
      const dir = children(v, c).find((g) => g.tag === 0xa4);
      if (dir) aki.issuerKey = formatName(whole(v, readTlv(v, dir.valueStart, dir.end, TAG.sequence))).canonical;
    }
  }
  return aki;
}

/** Decodes one extension into `f`; throws DecodeError when its value is malformed. */
export function decodeExtension(ext: RawExtension, f: ExtFacts): void {
  const v = ext.value;
  switch (ext.oid) {
    case EXT.subjectAltName:
      decodeSan(v, f);
      break;
    case EXT.basicConstraints: {
      const seq = readTlv(v, 0, v.length, TAG.sequence);
      const kids = children(v, seq);
      let ca = false;
      let pathLen: number | null = null;
      // SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }: as OpenSSL's d2i, an
      // element of another type, out of order or repeated, or a BOOLEAN / INTEGER of no or odd length
      // does not decode (and the certificate is then invalid, see invalidExtensionOids)
      let next = 0;
      for (const k of kids) {
        if (k.tag === TAG.boolean && next === 0 && k.length === 1) {
          ca = v[k.valueStart] !== 0;
          next = 1;
        } else if (k.tag === TAG.integer && next <= 1 && k.length > 0) {
          pathLen = k.length <= 4 ? parseInt(integerHex(content(v, k)), 16) : Number.MAX_SAFE_INTEGER;
          next = 2;
        } else {
          throw new DecodeError('bad_basic_constraints', 'x509.ext', `element at ${k.start}: tag 0x${k.tag.toString(16)}, ${k.length} bytes`);
        }
      }
      f.basicConstraints = { ca, pathLen };
      break;
    }
    case EXT.keyUsage:
      f.keyUsage = keyUsageNames(content(v, readTlv(v, 0, v.length, TAG.bitString)));
      break;
    case EXT.extKeyUsage: {
      const seq = readTlv(v, 0, v.length, TAG.sequence);
      f.ekuOids = children(v, seq).map((o) => {
        if (o.tag !== TAG.oid) throw new DecodeError('bad_eku', 'x509.ext', `tag 0x${o.tag.toString(16)}`);
        return decodeOid(content(v, o));
      });
      break;
    }
    case EXT.subjectKeyIdentifier:
      f.ski = toHex(content(v, readTlv(v, 0, v.length, TAG.octetString)));
      break;
    case EXT.authorityKeyIdentifier:
      f.aki = decodeAki(v);
      break;
    case EXT.nsCertType: {
      // ASN1_BIT_STRING data[0], its unused bits cleared (c2i_ASN1_BIT_STRING); 0 for an empty one
      const bits = content(v, readTlv(v, 0, v.length, TAG.bitString));
      f.nsCertType = bits.length < 2 ? 0 : bits.length === 2 ? bits[1] & (0xff << (bits[0] & 7)) & 0xff : bits[1];
      break;
    }
    default:
      break;
  }
}

/** Decodes every reported extension; a malformed one is skipped (counted in `bad`). */
export function decodeExtFacts(exts: readonly RawExtension[]): { facts: ExtFacts; bad: string[] } {
  const facts = emptyExtFacts();
  const bad: string[] = [];
  const seen = new Set<string>();
  for (const e of exts) {
    if (seen.has(e.oid)) continue; // RFC 5280 §4.2: at most once; OpenSSL uses the first
    seen.add(e.oid);
    try {
      decodeExtension(e, facts);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      bad.push(e.oid);
    }
  }
  return { facts, bad };
}

/** Extensions OpenSSL 3.0 decodes when it first looks at a certificate (ossl_x509v3_cache_extensions). */
const CACHED_EXTENSIONS: ReadonlySet<string> = new Set([
  EXT.basicConstraints, EXT.keyUsage, EXT.extKeyUsage, EXT.subjectKeyIdentifier, EXT.authorityKeyIdentifier,
  EXT.subjectAltName, EXT.nameConstraints, EXT.nsCertType,
]);

/**
 * The extensions that make OpenSSL 3.0 flag a certificate invalid (EXFLAG_INVALID): one of those it
 * decodes up front present more than once (X509_get_ext_d2i's -2), or not decoding, or a negative
 * basicConstraints pathLenConstraint. Such a certificate is then matched with no issuer and as no
 * issuer (x509_likely_issued fails): `openssl verify` says "unable to get local issuer certificate".
 * Only what our decoders can tell apart is flagged (DER structure and tags), never more than OpenSSL.
 */
export function invalidExtensionOids(exts: readonly RawExtension[], nameConstraintsOk: (value: Uint8Array) => boolean): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const e of exts) {
    if (!CACHED_EXTENSIONS.has(e.oid)) continue;
    if (seen.has(e.oid)) {
      if (!out.includes(e.oid)) out.push(e.oid);
      continue;
    }
    seen.add(e.oid);
    let ok = true;
    try {
      if (e.oid === EXT.nameConstraints) ok = nameConstraintsOk(e.value);
      else {
        const f = emptyExtFacts();
        decodeExtension(e, f);
        if (e.oid === EXT.basicConstraints) ok = !negativePathLen(e.value);
      }
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      ok = false;
    }
    if (!ok && !out.includes(e.oid)) out.push(e.oid);
  }
  return out;
}

/** basicConstraints with a pathLenConstraint INTEGER whose sign bit is set */
function negativePathLen(v: Uint8Array): boolean {
  const seq = readTlv(v, 0, v.length, TAG.sequence);
  return children(v, seq).some((k) => k.tag === TAG.integer && k.length > 0 && (v[k.valueStart] & 0x80) !== 0);
}
