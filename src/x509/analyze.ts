/**
 * DER certificate → ParsedCert (facts of the JSON contract + what chain validation needs).
 * The only importer of @peculiar/x509 (which needs a Reflect polyfill, imported first).
 *
 * Sources, per field:
 *  - names, serial, validity, SPKI parameters, signature algorithm: the DER itself (tbs.ts, dn.ts),
 *    byte-exact and tolerant to truncation (RFC 5280 §4.1);
 *  - extensions (SAN, basicConstraints, keyUsage, EKU, SKI, AKI): @peculiar/x509; when its
 *    constructor refuses the certificate (malformed, or > 10,000 ASN.1 nodes) our own decoder
 *    (extensions.ts) reads the same extensions from the DER;
 *  - key type/size and every signature check: node:crypto X509Certificate.
 * Never throws: undecodable input gives minimal facts (subject '', key type 'unknown').
 */
import type * as PX from '@peculiar/x509';
import { X509Certificate, createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { DEFAULT_LIMITS } from '../options.js';
import type { CertificateOut } from '../report/model.js';
import { formatNameSafe, type FormattedName } from './dn.js';
import { decodeExtFacts, decodeExtension, emptyExtFacts, invalidExtensionOids, normalizeIpText, type ExtFacts } from './extensions.js';
import { decodeNameConstraints } from './name-constraints.js';
import { keyInfo } from './key-info.js';
import { EKU_NAMES, EXT, OPENSSL_SUPPORTED_EXTENSIONS, SIGNATURE_ALGORITHMS } from './oids.js';
import type { CertMeta, ParsedCert } from './parsed-cert.js';
import { verifiesSignature } from './signature.js';
import { decodeCertSkeleton, type CertSkeleton } from './tbs.js';

export type { ParsedCert, CertMeta } from './parsed-cert.js';

export interface AnalyzeOptions {
  /** SANs kept in facts.san (dns first, then ip); default DEFAULT_LIMITS.maxSansPerCertificate */
  maxSans?: number;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** RFC 7468 PEM with 64-character lines. */
export function toPem(der: Uint8Array): string {
  const b64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * @peculiar/x509 (with its Reflect polyfill, which must be loaded first) is loaded on first use only:
 * it serves as the fallback decoder, and loading it costs ~150 ms of start-up.
 */
let pxModule: typeof PX | null = null;
function px(): typeof PX {
  if (pxModule === null) {
    const require = createRequire(import.meta.url);
    require('reflect-metadata');
    pxModule = require('@peculiar/x509') as typeof PX;
  }
  return pxModule;
}

const kuFlagNames = (): [number, string][] => [
  [px().KeyUsageFlags.digitalSignature, 'digitalSignature'],
  [px().KeyUsageFlags.nonRepudiation, 'nonRepudiation'],
  [px().KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [px().KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [px().KeyUsageFlags.keyAgreement, 'keyAgreement'],
  [px().KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [px().KeyUsageFlags.cRLSign, 'cRLSign'],
  [px().KeyUsageFlags.encipherOnly, 'encipherOnly'],
  [px().KeyUsageFlags.decipherOnly, 'decipherOnly'],
];

/** One @peculiar/x509 extension object into `f` (AKI through our decoder: it needs byte-exact names). */
function peculiarExtension(e: PX.Extension, f: ExtFacts): void {
  const px_ = px();
  if (e instanceof px_.SubjectAlternativeNameExtension) {
    for (const n of e.names.items) {
      if (n.type === 'dns') f.dns.push(n.value);
      else if (n.type === 'ip') f.ip.push(normalizeIpText(n.value));
    }
  } else if (e instanceof px_.BasicConstraintsExtension) {
    f.basicConstraints = { ca: e.ca, pathLen: e.pathLength ?? null };
  } else if (e instanceof px_.KeyUsagesExtension) {
    f.keyUsage = kuFlagNames().filter(([bit]) => (e.usages & bit) !== 0).map(([, n]) => n);
  } else if (e instanceof px_.ExtendedKeyUsageExtension) {
    f.ekuOids = e.usages.map(String);
  } else if (e instanceof px_.SubjectKeyIdentifierExtension) {
    f.ski = e.keyId.toLowerCase();
  } else if (e.type === EXT.authorityKeyIdentifier || e.type === EXT.nsCertType) {
    decodeExtension({ oid: e.type, critical: e.critical, value: new Uint8Array(e.value) }, f);
  }
}

/**
 * Extensions: our DER decoder first (extensions.ts, ~0.5 ms a certificate), @peculiar/x509 when ours
 * reports an extension it cannot decode. Measured on this machine: @peculiar's constructor plus its
 * extension objects cost ~15 ms per certificate (asn1js schema matching), 25× ours, which would
 * dominate a multi-GB run with many distinct certificates. test/unit/x509/cross-check.test.ts keeps
 * the two decoders in agreement on every fixture.
 */
function extFacts(der: Uint8Array, complete: boolean, skel: CertSkeleton | null): ExtFacts {
  const own = decodeExtFacts(skel?.extensions ?? []);
  if (own.bad.length === 0 || !complete) return own.facts;
  const pxCert = tryNew(() => new (px().X509Certificate)(der));
  if (pxCert) {
    try {
      const f = emptyExtFacts();
      const seen = new Set<string>();
      for (const e of pxCert.extensions) {
        if (seen.has(e.type)) continue; // RFC 5280 §4.2: at most once; OpenSSL uses the first
        seen.add(e.type);
        peculiarExtension(e, f);
      }
      return f;
    } catch {
      /* an extension neither decoder can read: keep what ours found */
    }
  }
  return own.facts;
}

const iso = (ms: number | null): string | null => (ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString());

function tryNew<T>(make: () => T): T | null {
  try {
    return make();
  } catch {
    return null;
  }
}

/** Name from node's one-attribute-per-line form (fallback only; DER order → most specific first). */
function nodeName(text: string | undefined): FormattedName {
  const parts = (text ?? '').split('\n').filter(Boolean);
  const cns = parts.filter((p) => p.startsWith('CN=')).map((p) => p.slice(3));
  const joined = [...parts].reverse().join(',');
  return { text: joined, cns, canonical: joined.toLowerCase(), entries: parts.length };
}

/** Analyses one certificate. `complete` false: `der` holds only the bytes captured. */
export function analyzeCertificate(der: Uint8Array, complete: boolean, sha256?: string, options: AnalyzeOptions = {}): ParsedCert {
  const sha = sha256 ?? sha256Hex(der);
  const skel = tryNew(() => decodeCertSkeleton(der));
  const x509 = complete ? tryNew(() => new X509Certificate(der)) : null;
  const ext = extFacts(der, complete, skel);
  const subject = skel?.subject ? formatNameSafe(skel.subject) : nodeName(x509?.subject);
  const issuer = skel?.issuer ? formatNameSafe(skel.issuer) : nodeName(x509?.issuer);
  const key = keyInfo(x509, skel?.spkiAlgorithm ?? null, skel?.spkiParams ?? null, skel?.spkiKey ?? null);
  const sigOid = skel?.signatureAlgorithm ?? '';
  const notBefore = skel?.notBeforeMs ?? (x509 ? Date.parse(x509.validFrom) : null);
  const notAfter = skel?.notAfterMs ?? (x509 ? Date.parse(x509.validTo) : null);
  const max = options.maxSans ?? DEFAULT_LIMITS.maxSansPerCertificate;
  const dns = ext.dns.slice(0, max);
  const ip = ext.ip.slice(0, Math.max(0, max - dns.length));
  const facts: CertificateOut = {
    sha256: sha,
    subject: subject.text,
    issuer: issuer.text,
    subject_cn: subject.cns[0] ?? null,
    issuer_cn: issuer.cns[0] ?? null,
    serial: skel?.serialHex ?? x509?.serialNumber.toLowerCase() ?? '',
    not_before: iso(notBefore),
    not_after: iso(notAfter),
    san: { dns, ip },
    key: { type: key.type, bits: key.bits, curve: key.curve },
    signature_algorithm: sigOid ? (SIGNATURE_ALGORITHMS[sigOid] ?? sigOid) : 'unknown',
    self_signed: false,
    ca: ext.basicConstraints?.ca ?? false,
    ski: ext.ski,
    aki: ext.aki?.keyId ?? null,
    complete,
    pem: complete ? toPem(der) : null,
    eku: ext.ekuOids?.map((o) => EKU_NAMES[o] ?? o) ?? [],
    key_usage: ext.keyUsage ?? [],
  };
  if (!complete) {
    if (skel?.declaredLength) facts.der_length = skel.declaredLength;
    facts.captured_length = der.length;
  }
  const meta: CertMeta = {
    version: skel?.version ?? 1,
    subjectKey: skel?.subject || x509 ? subject.canonical : '',
    issuerKey: skel?.issuer || x509 ? issuer.canonical : '',
    subjectCns: subject.cns,
    notBeforeMs: notBefore,
    notAfterMs: notAfter,
    basicConstraints: ext.basicConstraints,
    keyUsage: ext.keyUsage,
    nsCertType: ext.nsCertType,
    ekuOids: ext.ekuOids,
    ski: ext.ski,
    aki: ext.aki,
    signatureOid: sigOid,
    pssHash: skel?.pssHash ?? null,
    keyFamily: key.family,
    explicitCurve: key.explicitCurve,
    dsaQBits: key.dsaQBits ?? null,
    invalidExtensions: invalidExtensionOids(skel?.extensions ?? [], (v) => decodeNameConstraints(v) !== null),
    notBeforeBad: skel?.notBeforeBad ?? null,
    notAfterBad: skel?.notAfterBad ?? null,
    nameConstraints: skel?.extensions?.find((e) => e.oid === EXT.nameConstraints)?.value ?? null,
    subjectAltName: skel?.extensions?.find((e) => e.oid === EXT.subjectAltName)?.value ?? null,
    allDnsSans: ext.dns,
    allIpSans: ext.ip,
    unhandledCritical: (skel?.extensions ?? []).filter((e) => e.critical && !OPENSSL_SUPPORTED_EXTENSIONS.has(e.oid)).map((e) => e.oid),
  };
  const pc: ParsedCert = { sha256: sha, der, facts, x509, subjectDer: skel?.subject ?? null, issuerDer: skel?.issuer ?? null, meta };
  facts.self_signed = meta.subjectKey !== '' && meta.subjectKey === meta.issuerKey && verifiesSignature(pc, pc);
  return pc;
}

const metaCache = new WeakMap<ParsedCert, CertMeta>();

/** The validation details of a ParsedCert, recomputed from its DER when it was built by hand. */
export function metaOf(pc: ParsedCert): CertMeta {
  if (pc.meta) return pc.meta;
  let m = metaCache.get(pc);
  if (!m) {
    m = analyzeCertificate(pc.der, pc.facts.complete, pc.sha256).meta as CertMeta;
    metaCache.set(pc, m);
  }
  return m;
}
