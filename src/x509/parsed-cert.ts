/**
 * A certificate once analysed: the contract facts (report/model.ts CertificateOut) plus what chain
 * validation needs (node:crypto object for signatures, byte-exact names, extension details).
 */
import type { X509Certificate } from 'node:crypto';
import type { CertificateOut } from '../report/model.js';

export type { CertificateOut };

/** Facts chain validation needs, in OpenSSL's terms (crypto/x509/v3_purp.c ossl_x509v3_cache_extensions). */
export interface CertMeta {
  version: number;
  /** X509_NAME_cmp keys of subject and issuer ('' when absent) */
  subjectKey: string;
  issuerKey: string;
  /** every commonName in DER order */
  subjectCns: string[];
  notBeforeMs: number | null;
  notAfterMs: number | null;
  /** basicConstraints: null when the extension is absent */
  basicConstraints: { ca: boolean; pathLen: number | null } | null;
  /** keyUsage names: null when the extension is absent */
  keyUsage: string[] | null;
  /** Netscape certificate type octet (EXFLAG_NSCERT / ex_nscert): null when the extension is absent */
  nsCertType: number | null;
  /** extendedKeyUsage OIDs: null when the extension is absent */
  ekuOids: string[] | null;
  ski: string | null;
  aki: { keyId: string | null; serialHex: string | null; issuerKey: string | null } | null;
  /** outer signatureAlgorithm OID ('' when unknown) */
  signatureOid: string;
  /** RSASSA-PSS: the hash in the signature's parameters (tbs.ts CertSkeleton.pssHash); null otherwise */
  pssHash: string | null;
  /** public-key family as OpenSSL's check_sig_alg_match sees it */
  keyFamily: 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | 'unknown';
  /** EC key with explicit curve parameters */
  explicitCurve: boolean;
  /**
   * OIDs of the extensions that make OpenSSL 3.0 flag the certificate invalid (repeated, not decoding:
   * extensions.ts invalidExtensionOids); empty when none. Such a certificate issues nothing and has no issuer.
   */
  invalidExtensions: string[];
  /** a validity time OpenSSL refuses as malformed (X509_cmp_time), as written; null when well formed or unknown */
  notBeforeBad: string | null;
  notAfterBad: string | null;
  /** DSA key: bits of its subgroup order q (null when not DSA or unknown) */
  dsaQBits: number | null;
  /** value of the (first) nameConstraints extension, a view into the DER; null when absent */
  nameConstraints: Uint8Array | null;
  /** value of the (first) subjectAltName extension, a view into the DER; null when absent */
  subjectAltName: Uint8Array | null;
  /** every DNS SAN (not capped; facts.san is capped) */
  allDnsSans: string[];
  /** every IP SAN, normalised (not capped) */
  allIpSans: string[];
  /**
   * OIDs of the critical extensions OpenSSL's verification does not process (EXFLAG_CRITICAL:
   * X509_supported_extension): such a certificate fails with "unhandled critical extension" (34)
   */
  unhandledCritical: string[];
}

export interface ParsedCert {
  /** sha256 of the DER bytes (for an incomplete certificate: of the bytes captured, or as given) */
  sha256: string;
  der: Uint8Array;
  /** the contract shape, pem included */
  facts: CertificateOut;
  /** null when node:crypto cannot parse the DER */
  x509: X509Certificate | null;
  subjectDer: Uint8Array | null;
  issuerDer: Uint8Array | null;
  /** validation details; filled by analyzeCertificate (see metaOf for hand-built objects) */
  meta?: CertMeta;
}
