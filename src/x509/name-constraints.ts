/**
 * Name constraints (RFC 5280 §4.2.1.10) as OpenSSL 3.0 checks them (crypto/x509/v3_ncons.c:
 * NAME_CONSTRAINTS_check, NAME_CONSTRAINTS_check_CN, nc_match and its per-type matchers), byte for
 * byte on the DER: a CA certificate's permitted and excluded subtrees against the names of each
 * certificate it constrains — its subject DN (directoryName), the subject's emailAddress attributes
 * (rfc822Name), every subjectAltName entry, and for the leaf without a DNS SAN its commonNames that
 * look like host names (cn2dnsid).
 *
 *  - a name is checked only against subtrees of its own type (otherName: of the same type-id; an
 *    SmtpUTF8Mailbox otherName counts as an rfc822Name); when permitted subtrees of its type exist one
 *    must match (else PERMITTED_VIOLATION), and no excluded one may (else EXCLUDED_VIOLATION);
 *  - a subtree of the name's type with a maximum, or a minimum other than 0, is SUBTREE_MINMAX;
 *  - dNSName: the base's labels on the right, whole labels (an empty base matches everything);
 *    rfc822Name: a mailbox, a host or a `.domain`; URI: the host of `scheme://host[:port][/...]`;
 *    iPAddress: address and mask of the same family; directoryName: the base's RDNs first in the DN;
 *  - names of unsupported syntax (an e-mail without '@', an IP of another length, a URI without a
 *    host, a CN with an embedded NUL) are UNSUPPORTED_NAME_SYNTAX, a constrained x400Address,
 *    ediPartyName, registeredID or other otherName is UNSUPPORTED_CONSTRAINT_TYPE;
 *  - more than 2^20 name × constraint comparisons for one certificate: UNSPECIFIED (OpenSSL's guard
 *    against expensive checks), and, ours alone, more than NC_WORK_MAX octets compared (long names
 *    sharing long prefixes within that many pairs).
 * A nameConstraints or subjectAltName extension that does not decode is treated as absent (a nameConstraints
 * whose parts or subtree fields are unknown, repeated or out of order does not decode, as in OpenSSL).
 */
import { domainToUnicode } from 'node:url';
import { TAG, children, content, decodeOid, readTlv, whole, type Tlv } from './der.js';
import { formatNameSafe, walkName } from './dn.js';
import { formatIpBytes } from './extensions.js';
import { OID_COMMON_NAME } from './oids.js';

/** X509_V_ERR_* results (include/openssl/x509_vfy.h); 0 is X509_V_OK */
export const NC = {
  ok: 0,
  unspecified: 1,
  permittedViolation: 47,
  excludedViolation: 48,
  subtreeMinMax: 49,
  unsupportedConstraintType: 51,
  unsupportedNameSyntax: 53,
} as const;

/** GeneralName CHOICE numbers (GEN_*) */
const GEN = { otherName: 0, email: 1, dns: 2, x400: 3, dirName: 4, edi: 5, uri: 6, ip: 7, rid: 8 } as const;
const OID_SMTP_UTF8_MAILBOX = '1.3.6.1.5.5.7.8.9';
const OID_EMAIL_ADDRESS = '1.2.840.113549.1.9.1';
/** NAME_CHECK_MAX (v3_ncons.c) */
const NAME_CHECK_MAX = 1 << 20;
/**
 * Octets compared for one certificate at most (ours, not OpenSSL's): within NAME_CHECK_MAX pairs, a
 * crafted certificate of a thousand 1 KB names against a thousand 1 KB constraints that share long
 * prefixes would cost a billion comparisons. Past this the check ends as UNSPECIFIED, as OpenSSL's
 * own guard does; real certificates need a few thousand.
 */
export const NC_WORK_MAX = 1 << 25;
/** octets compared so far by the current check (reset by checkNames / checkCommonNames) */
let work = 0;

export interface GeneralName {
  type: number;
  /** IA5 types: the string's octets; iPAddress: the octets; otherName: the value's content; dirName: unused */
  bytes: Uint8Array;
  /** otherName: type-id; else '' */
  oid: string;
  /** otherName: tag of the value inside its [0] (UTF8String for SmtpUTF8Mailbox) */
  valueTag: number;
  /** directoryName: canonical RDNs, least specific first */
  rdns: readonly string[] | null;
  /** directoryName: RFC 4514 text (for messages) */
  text?: string;
}

interface Subtree {
  base: GeneralName;
  /** no maximum, and no minimum or a minimum of 0 (nc_minmax_valid) */
  minMaxOk: boolean;
}

export interface NameConstraints {
  permitted: Subtree[];
  excluded: Subtree[];
}

function generalName(buf: Uint8Array, t: Tlv): GeneralName {
  const type = t.tag & 0x1f;
  const name: GeneralName = { type, bytes: content(buf, t), oid: '', valueTag: 0, rdns: null };
  if (type === GEN.dirName && t.tag === 0xa4) {
    const inner = readTlv(buf, t.valueStart, t.end, TAG.sequence);
    name.rdns = walkName(whole(buf, inner), () => undefined);
    name.text = formatNameSafe(whole(buf, inner)).text;
  } else if (type === GEN.otherName && t.tag === 0xa0) {
    const [id, value] = children(buf, t);
    if (id?.tag === TAG.oid) name.oid = decodeOid(content(buf, id));
    if (value?.tag === 0xa0) {
      const v = readTlv(buf, value.valueStart, value.end);
      name.valueTag = v.tag;
      name.bytes = content(buf, v);
    }
  }
  return name;
}

/** NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL, excludedSubtrees [1] ... }; null when malformed. */
export function decodeNameConstraints(v: Uint8Array): NameConstraints | null {
  try {
    const nc: NameConstraints = { permitted: [], excluded: [] };
    const top = readTlv(v, 0, v.length, TAG.sequence);
    // [0] permittedSubtrees then [1] excludedSubtrees, each at most once, nothing else (else d2i fails)
    let lastPart = -1;
    for (const part of children(v, top)) {
      const k = part.tag === 0xa0 ? 0 : part.tag === 0xa1 ? 1 : -1;
      if (k <= lastPart) return null;
      lastPart = k;
      const list = k === 0 ? nc.permitted : nc.excluded;
      for (const sub of children(v, part)) {
        if (sub.tag !== TAG.sequence) return null;
        const [base, ...rest] = children(v, sub);
        if (base === undefined) return null;
        // after the base: minimum [0] then maximum [1], each at most once, nothing else
        let minMaxOk = true;
        let lastField = -1;
        for (const r of rest) {
          const j = r.tag === 0x80 ? 0 : r.tag === 0x81 ? 1 : -1;
          if (j <= lastField) return null;
          lastField = j;
          if (j === 1 || content(v, r).some((b) => b !== 0)) minMaxOk = false; // a maximum, or a minimum other than 0
        }
        list.push({ base: generalName(v, base), minMaxOk });
      }
    }
    return nc;
  } catch {
    return null;
  }
}

/** The names OpenSSL checks for one certificate. */
export interface CertNames {
  /** subject RDNs (canonical), null when the subject is empty */
  subjectRdns: readonly string[] | null;
  /** emailAddress attributes of the subject: their value TLV tag and octets */
  subjectEmails: { tag: number; bytes: Uint8Array }[];
  /** commonName values of the subject as text */
  subjectCns: string[];
  /** number of attributes in the subject */
  subjectEntries: number;
  sans: GeneralName[];
}

/** Names of a certificate from its subject DER and subjectAltName extension value (either may be null). */
export function certNames(subjectDer: Uint8Array | null, sanValue: Uint8Array | null): CertNames {
  const names: CertNames = { subjectRdns: null, subjectEmails: [], subjectCns: [], subjectEntries: 0, sans: [] };
  if (subjectDer !== null) {
    try {
      const rdns = walkName(subjectDer, ({ oid, value, text }) => {
        names.subjectEntries++;
        if (oid === OID_EMAIL_ADDRESS) names.subjectEmails.push({ tag: value.tag, bytes: content(subjectDer, value) });
        else if (oid === OID_COMMON_NAME && text !== null) names.subjectCns.push(text);
      });
      if (names.subjectEntries > 0) names.subjectRdns = rdns;
    } catch {
      names.subjectEmails = [];
      names.subjectCns = [];
      names.subjectEntries = 0;
    }
  }
  if (sanValue !== null) {
    try {
      const top = readTlv(sanValue, 0, sanValue.length, TAG.sequence);
      names.sans = children(sanValue, top).map((t) => generalName(sanValue, t));
    } catch {
      names.sans = [];
    }
  }
  return names;
}

const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 32 : c);

/** ia5ncasecmp: equal ignoring ASCII case over n bytes */
function caseEqual(a: Uint8Array, ai: number, b: Uint8Array, bi: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (lower(a[ai + k]) !== lower(b[bi + k])) return false;
  return true;
}

function lastIndex(b: Uint8Array, c: number): number {
  for (let i = b.length - 1; i >= 0; i--) if (b[i] === c) return i;
  return -1;
}

function nextIndex(b: Uint8Array, c: number, from: number): number {
  for (let i = from; i < b.length; i++) if (b[i] === c) return i;
  return -1;
}

function ncDns(dns: Uint8Array, base: Uint8Array): number {
  if (base.length === 0) return NC.ok;
  if (dns.length < base.length) return NC.permittedViolation;
  const at = dns.length - base.length;
  if (at > 0 && base[0] !== 0x2e && dns[at - 1] !== 0x2e) return NC.permittedViolation;
  return caseEqual(base, 0, dns, at, base.length) ? NC.ok : NC.permittedViolation;
}

function ncEmail(eml: Uint8Array, base: Uint8Array): number {
  const baseAt = lastIndex(base, 0x40);
  const emlAt = lastIndex(eml, 0x40);
  if (emlAt < 0) return NC.unsupportedNameSyntax;
  // special case: an initial '.' is a match on the right
  if (baseAt < 0 && base.length > 0 && base[0] === 0x2e) {
    if (eml.length > base.length && caseEqual(base, 0, eml, eml.length - base.length, base.length)) return NC.ok;
    return NC.permittedViolation;
  }
  let hostStart = 0;
  if (baseAt >= 0) {
    if (baseAt !== 0) {
      // a local part: the same length, no NUL, compared case-sensitively
      if (baseAt !== emlAt) return NC.permittedViolation;
      if (base.subarray(0, baseAt).includes(0) || eml.subarray(0, emlAt).includes(0)) return NC.unsupportedNameSyntax;
      for (let k = 0; k < emlAt; k++) if (base[k] !== eml[k]) return NC.permittedViolation;
    }
    hostStart = baseAt + 1;
  }
  const hostLen = base.length - hostStart;
  if (hostLen !== eml.length - emlAt - 1) return NC.permittedViolation;
  return caseEqual(base, hostStart, eml, emlAt + 1, hostLen) ? NC.ok : NC.permittedViolation;
}

/** nc_email_eai: an SmtpUTF8Mailbox (UTF8String) against an rfc822Name base, whose labels are compared as U-labels. */
function ncEmailEai(eml: GeneralName, base: Uint8Array): number {
  if (base.includes(0)) return NC.unsupportedNameSyntax;
  if (eml.valueTag !== TAG.utf8String) return NC.unsupportedNameSyntax;
  const emlAt = lastIndex(eml.bytes, 0x40);
  if (emlAt < 0) return NC.unsupportedNameSyntax;
  const ascii = Buffer.from(base).toString('latin1');
  const u = domainToUnicode(ascii);
  if (u === '' && ascii !== '') return NC.unspecified; // ossl_a2ulabel failed
  // special case, an initial '.': OpenSSL 3.0 writes a '.' and then ossl_a2ulabel of the whole base, its
  // own '.' (an empty first label) included, so `.domain` is compared as '..domain' on the right
  const dot = ascii.startsWith('.');
  const label = Buffer.from(`${dot ? '.' : ''}${u}`, 'utf8');
  if (dot) {
    if (eml.bytes.length > label.length && caseEqual(label, 0, eml.bytes, eml.bytes.length - label.length, label.length)) return NC.ok;
    return NC.permittedViolation;
  }
  const hostLen = eml.bytes.length - emlAt - 1;
  return hostLen === label.length && caseEqual(label, 0, eml.bytes, emlAt + 1, hostLen) ? NC.ok : NC.permittedViolation;
}

function ncUri(uri: Uint8Array, base: Uint8Array): number {
  const colon = nextIndex(uri, 0x3a, 0);
  if (colon < 0 || uri.length - colon < 3 || uri[colon + 1] !== 0x2f || uri[colon + 2] !== 0x2f) return NC.unsupportedNameSyntax;
  const host = colon + 3;
  let end = nextIndex(uri, 0x3a, host);
  if (end < 0) end = nextIndex(uri, 0x2f, host);
  const hostLen = (end < 0 ? uri.length : end) - host;
  if (hostLen === 0) return NC.unsupportedNameSyntax;
  if (base.length > 0 && base[0] === 0x2e) {
    if (hostLen > base.length && caseEqual(uri, host + hostLen - base.length, base, 0, base.length)) return NC.ok;
    return NC.permittedViolation;
  }
  return base.length === hostLen && caseEqual(uri, host, base, 0, hostLen) ? NC.ok : NC.permittedViolation;
}

function ncIp(ip: Uint8Array, base: Uint8Array): number {
  if (ip.length !== 4 && ip.length !== 16) return NC.unsupportedNameSyntax;
  if (base.length !== 8 && base.length !== 32) return NC.unsupportedNameSyntax;
  if (ip.length * 2 !== base.length) return NC.permittedViolation;
  const mask = ip.length;
  for (let i = 0; i < ip.length; i++) if ((ip[i] & base[mask + i]) !== (base[i] & base[mask + i])) return NC.permittedViolation;
  return NC.ok;
}

function ncDn(rdns: readonly string[] | null, base: readonly string[] | null): number {
  const b = base ?? [];
  const n = rdns ?? [];
  if (b.length > n.length) return NC.permittedViolation;
  for (let i = 0; i < b.length; i++) if (b[i] !== n[i]) return NC.permittedViolation;
  return NC.ok;
}

function matchSingle(effective: number, name: GeneralName, base: GeneralName): number {
  work += Math.min(name.bytes.length, base.bytes.length) + (name.rdns?.length ?? 0) + 1;
  if (work > NC_WORK_MAX) return NC.unspecified;
  switch (name.type) {
    case GEN.otherName:
      return effective === GEN.email ? ncEmailEai(name, base.bytes) : NC.unsupportedConstraintType;
    case GEN.dirName:
      return ncDn(name.rdns, base.rdns);
    case GEN.dns:
      return ncDns(name.bytes, base.bytes);
    case GEN.email:
      return ncEmail(name.bytes, base.bytes);
    case GEN.uri:
      return ncUri(name.bytes, base.bytes);
    case GEN.ip:
      return ncIp(name.bytes, base.bytes);
    default:
      return NC.unsupportedConstraintType;
  }
}

function sameType(effective: number, name: GeneralName, base: GeneralName): boolean {
  return effective === base.type && (effective !== GEN.otherName || name.oid === base.oid);
}

/** nc_match: one name against the constraints. */
function ncMatch(name: GeneralName, nc: NameConstraints): number {
  const effective = name.type === GEN.otherName && name.oid === OID_SMTP_UTF8_MAILBOX ? GEN.email : name.type;
  let match = 0;
  for (const sub of nc.permitted) {
    if (!sameType(effective, name, sub.base)) continue;
    if (!sub.minMaxOk) return NC.subtreeMinMax;
    if (match === 2) continue;
    match = 1;
    const r = matchSingle(effective, name, sub.base);
    if (r === NC.ok) match = 2;
    else if (r !== NC.permittedViolation) return r;
  }
  if (match === 1) return NC.permittedViolation;
  for (const sub of nc.excluded) {
    if (!sameType(effective, name, sub.base)) continue;
    if (!sub.minMaxOk) return NC.subtreeMinMax;
    const r = matchSingle(effective, name, sub.base);
    if (r === NC.ok) return NC.excludedViolation;
    if (r !== NC.permittedViolation) return r;
  }
  return NC.ok;
}

const IA5 = (bytes: Uint8Array, type: number): GeneralName => ({ type, bytes, oid: '', valueTag: 0, rdns: null });

/** A check's outcome: an X509_V_ERR number (0: ok) and the name it concerns, as text ('' when ok). */
export interface NcResult {
  code: number;
  name: string;
}
const OK: NcResult = { code: NC.ok, name: '' };

const PREFIX: Readonly<Record<number, string>> = { 1: 'email:', 2: 'DNS:', 6: 'URI:' };

/** A GeneralName as OpenSSL's text form would show it (`DNS:…`, `IP:…/mask`, `email:…`, `URI:…`, `DirName:…`). */
export function generalNameText(g: GeneralName, dirName = ''): string {
  const latin = (b: Uint8Array) => {
    const t = Buffer.from(b.subarray(0, 120)).toString('latin1').replace(/[\x00-\x1f\x7f]/g, '?');
    return b.length > 120 ? `${t}… (${b.length} bytes)` : t;
  };
  switch (g.type) {
    case GEN.email:
    case GEN.dns:
    case GEN.uri:
      return PREFIX[g.type] + latin(g.bytes);
    case GEN.ip: {
      const half = g.bytes.length === 8 || g.bytes.length === 32 ? g.bytes.length / 2 : g.bytes.length;
      const addr = formatIpBytes(g.bytes.subarray(0, half));
      return `IP:${addr}${half < g.bytes.length ? `/${formatIpBytes(g.bytes.subarray(half))}` : ''}`;
    }
    case GEN.dirName:
      return `DirName:${dirName || g.text || ''}`;
    case GEN.otherName:
      return `othername:${g.oid}`;
    default:
      return `name of type ${g.type}`;
  }
}

/** NAME_CONSTRAINTS_check: the subject DN, its emailAddress attributes, then every SAN. `subjectText`: the DN for messages. */
export function checkNames(names: CertNames, nc: NameConstraints, subjectText = ''): NcResult {
  const nameCount = names.subjectEntries + names.sans.length;
  const constraintCount = nc.permitted.length + nc.excluded.length;
  if (nameCount > 0 && constraintCount > NAME_CHECK_MAX / nameCount) {
    return { code: NC.unspecified, name: `${nameCount} names against ${constraintCount} constraints` };
  }
  work = 0;
  if (names.subjectRdns !== null) {
    const dn: GeneralName = { type: GEN.dirName, bytes: new Uint8Array(0), oid: '', valueTag: 0, rdns: names.subjectRdns };
    const r = ncMatch(dn, nc);
    if (r !== NC.ok) return { code: r, name: generalNameText(dn, subjectText) };
    for (const e of names.subjectEmails) {
      const g = IA5(e.bytes, GEN.email);
      const r2 = e.tag !== TAG.ia5String ? NC.unsupportedNameSyntax : ncMatch(g, nc);
      if (r2 !== NC.ok) return { code: r2, name: generalNameText(g) };
    }
  }
  for (const gn of names.sans) {
    const r = ncMatch(gn, nc);
    if (r !== NC.ok) return { code: r, name: generalNameText(gn) };
  }
  return OK;
}

/**
 * cn2dnsid: a commonName as a DNS-ID when it looks like a host name of two labels or more (letters,
 * digits, '_', inner '-' and '.', no '.' next to '.' or '-'); null when it does not; trailing NULs
 * dropped, an embedded NUL is UNSUPPORTED_NAME_SYNTAX.
 */
export function cnAsDnsId(cn: string): Uint8Array | null | typeof NC.unsupportedNameSyntax {
  let b: Uint8Array = Buffer.from(cn, 'utf8');
  let n = b.length;
  while (n > 0 && b[n - 1] === 0) n--;
  b = b.subarray(0, n);
  if (b.includes(0)) return NC.unsupportedNameSyntax;
  let isDns = false;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f) continue;
    if (i > 0 && i < n - 1) {
      if (c === 0x2d) continue;
      if (c === 0x2e && b[i + 1] !== 0x2e && b[i - 1] !== 0x2d && b[i + 1] !== 0x2d) {
        isDns = true;
        continue;
      }
    }
    isDns = false;
    break;
  }
  return isDns ? b : null;
}

/** NAME_CONSTRAINTS_check_CN: the commonNames that look like host names, as dNSNames. */
export function checkCommonNames(names: CertNames, nc: NameConstraints): NcResult {
  work = 0;
  for (const cn of names.subjectCns) {
    const id = cnAsDnsId(cn);
    if (id === null) continue;
    const r = typeof id === 'number' ? id : ncMatch(IA5(id, GEN.dns), nc);
    if (r !== NC.ok) return { code: r, name: `CN=${cn.replace(/[\x00-\x1f\x7f]/g, '?')}` };
  }
  return OK;
}

/** has_san_id(x, GEN_DNS): a dNSName among the SANs */
export function hasDnsSan(names: CertNames): boolean {
  return names.sans.some((g) => g.type === GEN.dns);
}

/** The constraints in words, at most `max` subtrees of each kind. */
export function constraintsText(nc: NameConstraints, max = 4): string {
  const list = (subs: Subtree[]) =>
    subs.slice(0, max).map((s) => generalNameText(s.base)).join(', ') + (subs.length > max ? `, … (${subs.length} in all)` : '');
  const parts: string[] = [];
  if (nc.permitted.length > 0) parts.push(`permitted: ${list(nc.permitted)}`);
  if (nc.excluded.length > 0) parts.push(`excluded: ${list(nc.excluded)}`);
  return parts.join('; ');
}
