/**
 * OpenSSL 3.0's per-certificate predicates, re-expressed over CertMeta:
 *  - likelyIssued      ossl_x509_likely_issued (crypto/x509/v3_purp.c): issuer name match,
 *                      X509_check_akid (keyid / serial / issuer name) and check_sig_alg_match
 *  - selfSigned        EXFLAG_SS of ossl_x509v3_cache_extensions: self-issued + AKID + sig-alg match
 *                      (no signature check, no keyCertSign requirement; 1.1.1 required keyCertSign)
 *  - checkCa           X509_check_ca / check_ca: 0 not a CA, 1 basicConstraints CA, 3 v1 self-signed
 *                      root, 4 keyUsage keyCertSign without basicConstraints, 5 a Netscape CA type only
 *  - purposeSslServer  X509_check_purpose(x, X509_PURPOSE_SSL_SERVER, require_ca): what libssl sets
 *                      for a TLS client (X509_STORE_CTX_set_default "ssl_server"), with the Netscape
 *                      certificate type checks (check_ssl_ca, ns_reject)
 *  - pathLen           ex_pathlen, kept whatever the CA flag
 *  - certTimeIssues    ossl_x509_check_cert_time in whole seconds (notAfter equal to the time is expired),
 *                      a time written other than X509_cmp_time accepts refused at any time (13 / 14)
 */
import { metaOf } from '../x509/analyze.js';
import type { CertMeta, ParsedCert } from '../x509/parsed-cert.js';
import { signatureKeyFamily } from '../x509/oids.js';
import { X509_ERR } from './verify-errors.js';

export const meta = (pc: ParsedCert): CertMeta => metaOf(pc);

/** ku_reject: keyUsage present and lacking `usage`. */
export function kuReject(m: CertMeta, ...usages: string[]): boolean {
  return m.keyUsage !== null && !usages.some((u) => m.keyUsage!.includes(u));
}

/** X509_check_akid(issuer, subject's AKID). */
function akidMatches(issuer: CertMeta, serialHex: string, aki: CertMeta['aki']): boolean {
  if (!aki) return true;
  if (aki.keyId !== null && issuer.ski !== null && aki.keyId !== issuer.ski) return false;
  if (aki.serialHex !== null && aki.serialHex !== serialHex) return false;
  if (aki.issuerKey !== null && aki.issuerKey !== issuer.issuerKey) return false;
  return true;
}

/** check_sig_alg_match: the issuer's key type can make the subject's signature algorithm. */
function sigAlgMatches(issuer: CertMeta, subject: CertMeta): boolean {
  const fam = signatureKeyFamily(subject.signatureOid);
  return fam !== null && issuer.keyFamily === fam;
}

export function likelyIssued(issuer: ParsedCert, subject: ParsedCert): boolean {
  const mi = meta(issuer), ms = meta(subject);
  // x509_likely_issued: ossl_x509v3_cache_extensions fails on either (an invalid extension)
  if ((mi.invalidExtensions?.length ?? 0) > 0 || (ms.invalidExtensions?.length ?? 0) > 0) return false;
  return mi.subjectKey === ms.issuerKey && akidMatches(mi, issuer.facts.serial, ms.aki) && sigAlgMatches(mi, ms);
}

/** EXFLAG_SI */
export function selfIssued(pc: ParsedCert): boolean {
  const m = meta(pc);
  return m.subjectKey === m.issuerKey;
}

/** EXFLAG_SS (OpenSSL 3.0 definition). */
export function selfSigned(pc: ParsedCert): boolean {
  return selfIssued(pc) && likelyIssued(pc, pc);
}

/** Netscape certificate type bits (include/openssl/x509v3.h NS_*) */
const NS_SSL_SERVER = 0x40, NS_SSL_CA = 0x04, NS_ANY_CA = 0x07;

export function checkCa(pc: ParsedCert): 0 | 1 | 3 | 4 | 5 {
  const m = meta(pc);
  if (kuReject(m, 'keyCertSign')) return 0;
  if (m.basicConstraints) return m.basicConstraints.ca ? 1 : 0;
  if (m.version === 1 && selfSigned(pc)) return 3;
  if (m.keyUsage !== null) return 4;
  // older certificates: a Netscape CA certificate type
  if (m.nsCertType !== null && (m.nsCertType & NS_ANY_CA) !== 0) return 5;
  return 0;
}

/** check_ssl_ca: a CA by Netscape type alone must be an SSL CA. */
function checkSslCa(pc: ParsedCert): number {
  const ret = checkCa(pc);
  if (ret === 0) return 0;
  const ns = meta(pc).nsCertType;
  return ret !== 5 || (ns !== null && (ns & NS_SSL_CA) !== 0) ? ret : 0;
}

const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const EKU_SGC = ['1.3.6.1.4.1.311.10.3.3', '2.16.840.1.113730.4.1'];

/** X509_check_purpose(x, SSL_SERVER, requireCa): 1 ok, 0 rejected, other non-zero ok unless strict. */
export function purposeSslServer(pc: ParsedCert, requireCa: boolean): number {
  const m = meta(pc);
  if ((m.invalidExtensions?.length ?? 0) > 0) return -1; // ossl_x509v3_cache_extensions failed: -1, not a refusal (unless strict)
  if (m.ekuOids !== null && !m.ekuOids.some((o) => o === EKU_SERVER_AUTH || EKU_SGC.includes(o))) return 0;
  if (requireCa) return checkSslCa(pc);
  if (m.nsCertType !== null && (m.nsCertType & NS_SSL_SERVER) === 0) return 0; // ns_reject
  if (kuReject(m, 'digitalSignature', 'keyEncipherment', 'keyAgreement')) return 0;
  return 1;
}

/**
 * Effective pathLenConstraint (ex_pathlen): -1 when absent. OpenSSL 3.0 keeps it for a CA:FALSE
 * certificate too (1.1.1 made it 0 and flagged the certificate invalid): such an issuer gets
 * PATH_LENGTH_EXCEEDED after INVALID_CA when a CA certificate sits below it.
 */
export function pathLen(pc: ParsedCert): number {
  const bc = meta(pc).basicConstraints;
  return bc && bc.pathLen !== null ? bc.pathLen : -1;
}

/**
 * ossl_x509_check_cert_time at `atSec`: the errors a continuing callback sees, notBefore's then
 * notAfter's: a malformed time (X509_cmp_time's 0) is ERROR_IN_CERT_NOT_BEFORE_FIELD /
 * ERROR_IN_CERT_NOT_AFTER_FIELD, else CERT_NOT_YET_VALID / CERT_HAS_EXPIRED (both when notBefore is
 * after notAfter and the time between them).
 */
export function certTimeIssues(pc: ParsedCert, atSec: number): number[] {
  const m = meta(pc);
  const out: number[] = [];
  if (m.notBeforeBad) out.push(X509_ERR.ERROR_IN_CERT_NOT_BEFORE_FIELD);
  else if (m.notBeforeMs !== null && Math.floor(m.notBeforeMs / 1000) > atSec) out.push(X509_ERR.CERT_NOT_YET_VALID);
  if (m.notAfterBad) out.push(X509_ERR.ERROR_IN_CERT_NOT_AFTER_FIELD);
  else if (m.notAfterMs !== null && Math.floor(m.notAfterMs / 1000) <= atSec) out.push(X509_ERR.CERT_HAS_EXPIRED);
  return out;
}

/** 0 when valid at `atSec` (x509_check_cert_time with depth -1, issuer choice), else its first error. */
export function certTime(pc: ParsedCert, atSec: number): number {
  return certTimeIssues(pc, atSec)[0] ?? 0;
}
