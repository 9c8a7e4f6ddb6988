/**
 * The checks OpenSSL 3.0 runs on a built chain, in its order (crypto/x509/x509_vfy.c verify_chain):
 *  1. check_extensions: per certificate from the leaf up — a critical extension OpenSSL does not
 *     process (UNHANDLED_CRITICAL_EXTENSION), basicConstraints / keyUsage CA-ness of
 *     every issuer (INVALID_CA), the ssl_server purpose (EKU serverAuth, leaf keyUsage), path length;
 *  2. internal_verify: from the top down — keyCertSign of the issuer (KEYUSAGE_NO_CERTSIGN), the
 *     signature (node:crypto), then the validity dates of the certificate at the verification time.
 *     A self-issued top certificate is not signature-checked; a top that is not self-issued (issuer
 *     missing) is neither signature- nor date-checked.
 *  3. check_name_constraints: from the top down, every certificate but a self-issued intermediate
 *     against the name constraints of each certificate above it (x509/name-constraints.ts); for the
 *     leaf without a DNS SAN, its host-name-like commonNames too.
 * Every error is collected, as a verify callback that continues would see them (Traffic Server in
 * permissive mode logs them all; in enforcing mode only the first one reaches the log).
 */
import { NC, certNames, checkCommonNames, checkNames, constraintsText, decodeNameConstraints, hasDnsSan, type CertNames, type NameConstraints } from '../x509/name-constraints.js';
import type { ParsedCert } from '../x509/parsed-cert.js';
import { verifiesSignature } from '../x509/signature.js';
import { certTimeIssues, checkCa, kuReject, likelyIssued, meta, pathLen, purposeSslServer, selfIssued } from './openssl-checks.js';
import { certLabel } from './explain.js';
import { X509_ERR, type VerifyIssue } from './verify-errors.js';

/** check_extensions (no proxy certificates, not strict). */
export function checkExtensions(chain: readonly ParsedCert[]): VerifyIssue[] {
  const out: VerifyIssue[] = [];
  let plen = 0;
  for (let i = 0; i < chain.length; i++) {
    const x = chain[i];
    if (meta(x).unhandledCritical.length > 0) out.push({ err: X509_ERR.UNHANDLED_CRITICAL_EXTENSION, depth: i });
    const mustBeCa = i > 0;
    if (mustBeCa) {
      const ret = checkCa(x);
      // X509_V_FLAG_X509_STRICT is implicit for intermediate CAs: only 1 will do below the top
      if (ret === 0 || (i + 1 < chain.length && ret !== 1)) out.push({ err: X509_ERR.INVALID_CA, depth: i });
    }
    if (purposeSslServer(x, mustBeCa) === 0) out.push({ err: X509_ERR.INVALID_PURPOSE, depth: i });
    const pl = pathLen(x);
    if (i > 1 && pl !== -1 && plen > pl) out.push({ err: X509_ERR.PATH_LENGTH_EXCEEDED, depth: i });
    if (i > 0 && !selfIssued(x)) plen++;
  }
  return out;
}

/** internal_verify at `atSec` (seconds since the epoch). */
export function internalVerify(chain: readonly ParsedCert[], atSec: number): VerifyIssue[] {
  const out: VerifyIssue[] = [];
  let n = chain.length - 1;
  let xi = chain[n];
  let xs = xi;
  if (!likelyIssued(xi, xi) && n > 0) {
    // the last certificate is not self-issued: start with the one below it
    n--;
    xs = chain[n];
  }
  while (n >= 0) {
    if (xs !== xi) {
      const issuerDepth = n + 1;
      if (kuReject(meta(xi), 'keyCertSign')) out.push({ err: X509_ERR.KEYUSAGE_NO_CERTSIGN, depth: issuerDepth });
      if (!verifiesSignature(xs, xi)) out.push({ err: X509_ERR.CERT_SIGNATURE_FAILURE, depth: n });
    }
    for (const err of certTimeIssues(xs, atSec)) out.push({ err, depth: n });
    if (--n >= 0) {
      xi = xs;
      xs = chain[n];
    }
  }
  return out;
}

const ncCache = new WeakMap<ParsedCert, NameConstraints | null>();
function nameConstraintsOf(pc: ParsedCert): NameConstraints | null {
  let nc = ncCache.get(pc);
  if (nc === undefined) {
    const v = meta(pc).nameConstraints ?? null; // (absent from hand-built test certificates)
    nc = v === null ? null : decodeNameConstraints(v);
    ncCache.set(pc, nc);
  }
  return nc;
}

const namesCache = new WeakMap<ParsedCert, CertNames>();
function namesOf(pc: ParsedCert): CertNames {
  let n = namesCache.get(pc);
  if (n === undefined) namesCache.set(pc, (n = certNames(pc.subjectDer ?? null, meta(pc).subjectAltName ?? null)));
  return n;
}

/** Why a name-constraints check failed, in words. */
function ncDetail(code: number, x: ParsedCert, name: string, ca: ParsedCert, nc: NameConstraints): string {
  const what =
    code === NC.permittedViolation ? `its name ${name} is outside the names` :
    code === NC.excludedViolation ? `its name ${name} is among the names excluded from those` :
    code === NC.subtreeMinMax ? `its name ${name} meets a constraint with a minimum or maximum (OpenSSL supports neither) among those` :
    code === NC.unsupportedConstraintType ? `its name ${name} is of a type OpenSSL cannot check against the constraints on those` :
    code === NC.unsupportedNameSyntax ? `its name ${name} is not well formed for the constraints on those` :
    `its names are too many or too long to be checked (${name}) against those`;
  return `${certLabel(x)}: ${what} that ${certLabel(ca)} may certify (its name constraints: ${constraintsText(nc)})`;
}

/** check_name_constraints (OpenSSL 3.0, no proxy certificates): one error per violated certificate and constraining CA. */
export function checkNameConstraints(chain: readonly ParsedCert[]): VerifyIssue[] {
  const out: VerifyIssue[] = [];
  const ncs = chain.map((c, j) => (j > 0 ? nameConstraintsOf(c) : null));
  if (ncs.every((nc) => nc === null)) return out;
  for (let i = chain.length - 1; i >= 0; i--) {
    const x = chain[i];
    if (i !== 0 && selfIssued(x)) continue;
    for (let j = chain.length - 1; j > i; j--) {
      const nc = ncs[j];
      if (nc === null) continue;
      const names = namesOf(x);
      let r = checkNames(names, nc, x.facts.subject);
      if (r.code === NC.ok && i === 0 && !hasDnsSan(names)) r = checkCommonNames(names, nc);
      if (r.code !== NC.ok) out.push({ err: r.code, depth: i, detail: ncDetail(r.code, x, r.name, chain[j], nc) });
    }
  }
  return out;
}
