/**
 * Chain validation of one connection, as OpenSSL (3.0 logic, 1.1.1 messages) inside Apache Traffic
 * Server on the Expressway-C does it, at the capture time of the handshake (`openssl verify -attime`).
 * Path building: build-chain.ts; extension, signature and date checks: verify-steps.ts; name check:
 * x509/hostname.ts. The reference is `openssl verify -attime T -purpose sslserver -CAfile store
 * -untrusted chain [-verify_hostname N]` (libssl sets the ssl_server purpose for a TLS client, so
 * Traffic Server gets it too); test/unit/trust/openssl-diff.test.ts compares us with it on the
 * fixtures of scripts/make-chain-fixtures.sh. Every place we deliberately differ from it:
 *
 *  1. Name check = Traffic Server validate_hostname(is_ip=false): DNS SANs, then the FIRST CN even
 *     when SANs exist, iPAddress SANs never, wildcards only for names longer than 5 characters and
 *     '_' allowed under a wildcard. OpenSSL ignores the CN when a DNS SAN exists, matches short names
 *     against wildcards, and -verify_ip accepts IP SANs. `rfc6125_name_match` carries the
 *     browser/OpenSSL answer when it differs (an IP literal is compared with IP SANs, as -verify_ip).
 *  2. name_mismatch comes last in `errors` (Traffic Server checks the name in its verify callback at
 *     depth 0, after OpenSSL's own checks); openssl verify reports "hostname mismatch" (62) before
 *     signature and date errors. Our message is Traffic Server's `SNI (NAME) not in certificate`.
 *  3. Explicit EC curve parameters: OpenSSL 3 fails any chain of 2+ certificates holding such a key
 *     with error 94 (X509_V_ERR_EC_KEY_EXPLICIT_PARAMS); OpenSSL 1.1.1, which the Expressway runs,
 *     has no such check, and neither do we.
 *  4. Logic is OpenSSL 3.0's (what the differential suite can check); messages are 1.1.1's with the
 *     3.x spelling in message_openssl3. Where 1.1.1's logic differs (a self-signed certificate, or
 *     an issuer, whose keyUsage lacks keyCertSign: 1.1.1 reports "unable to get local issuer
 *     certificate"), the error detail says so.
 *  5. Security-level checks (66-68) at `securityLevel` (security-level.ts; default 2, what OpenSSL 3
 *     builds such as Debian's Traffic Server use). Not emulated: revocation (CRL/OCSP),
 *     certificate policies, DANE, and the follow-up error 21 ("unable to
 *     verify the first certificate") OpenSSL adds after error 20 at depth 0 when a callback continues.
 *  6. Without a trust store, trust errors (self_signed, unknown_issuer, ...) are not reported and
 *     status is not_checked, but dates, signatures, CA flags and the name are still checked.
 *  7. An incomplete (truncated) or unparseable certificate is left out of path building; when it is
 *     the leaf nothing else is checked (status not_checked).
 * Issuers are chosen exactly as OpenSSL does (name + AKI + key type, first valid in store/sent
 * order), not by signature: a same-name impostor gives bad_signature, and of two same-subject
 * self-signed certificates in the store only the first listed works (CSCwa12894), as on the
 * Expressway. `valid_now`: the same chain (trust and dates, not the name) validated at `nowMs`.
 */
import type { ValidationError, ValidationOut } from '../report/model.js';
import { atsNameCheckLists, rfc6125NameCheckLists } from '../x509/hostname.js';
import type { ParsedCert } from '../x509/parsed-cert.js';
import { buildChain, indexStore } from './build-chain.js';
import { explain } from './explain.js';
import { meta } from './openssl-checks.js';
import type { TrustStore } from './trust-store.js';
import { DEFAULT_SECURITY_LEVEL, checkAuthLevel, checkLeafKeyLevel } from './security-level.js';
import { checkExtensions, checkNameConstraints, internalVerify } from './verify-steps.js';
import {
  INCOMPLETE_MESSAGE, NOT_VISIBLE_MESSAGE, X509_ERR, X509_ERROR_TEXT, nameMismatchMessage, type VerifyIssue,
} from './verify-errors.js';

export interface ValidateInput {
  /** leaf first, as sent */
  presented: ParsedCert[];
  store: TrustStore | null;
  /** capture time of the handshake (null: use nowMs) */
  atMs: number | null;
  nowMs: number;
  checkedName: string | null;
  checkedNameSource: 'option' | 'sni' | 'log' | 'ip' | null;
  tls13?: boolean;
  visible: boolean;
  /** OpenSSL security level of the verifying side (default DEFAULT_SECURITY_LEVEL) */
  securityLevel?: number;
}

const storeIndexCache = new WeakMap<TrustStore, Map<string, ParsedCert[]>>();
function storeIndex(store: TrustStore | null): Map<string, ParsedCert[]> {
  if (!store) return new Map();
  let idx = storeIndexCache.get(store);
  if (!idx) storeIndexCache.set(store, (idx = indexStore(store.certs)));
  return idx;
}

const TRUST_ERRORS = new Set<number>([
  X509_ERR.DEPTH_ZERO_SELF_SIGNED_CERT, X509_ERR.SELF_SIGNED_CERT_IN_CHAIN, X509_ERR.UNABLE_TO_GET_ISSUER_CERT,
  X509_ERR.UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_ERR.CERT_CHAIN_TOO_LONG,
]);

export function toValidationError(issue: VerifyIssue): ValidationError {
  const t = X509_ERROR_TEXT[issue.err];
  const e: ValidationError = { code: t.code, depth: issue.depth, message: t.openssl111 };
  if (t.openssl3) e.message_openssl3 = t.openssl3;
  if (issue.detail) e.detail = issue.detail;
  return e;
}

/** OpenSSL's verdict for a chain at `atMs`: every issue in callback order, plus the chain built. */
export function verifyIssues(leaf: ParsedCert, untrusted: ParsedCert[], store: TrustStore | null, atMs: number,
  securityLevel = DEFAULT_SECURITY_LEVEL) {
  const atSec = Math.floor(atMs / 1000);
  const built = buildChain(leaf, untrusted, storeIndex(store), atSec);
  // X509_verify_cert checks the leaf's key before building the chain; verify_chain runs check_auth_level
  // between check_extensions and internal_verify, and check_name_constraints after it
  const issues = [
    ...checkLeafKeyLevel(leaf, securityLevel),
    ...built.issues,
    ...checkExtensions(built.chain),
    ...checkAuthLevel(built.chain, securityLevel),
    ...internalVerify(built.chain, atSec),
    ...checkNameConstraints(built.chain),
  ];
  const ctx = { chain: built.chain, known: [...untrusted, ...(store?.certs ?? [])], mimics: built.mimics, atMs, securityLevel };
  for (const i of issues) i.detail = explain(i, ctx) || i.detail; // (name constraints bring their own)
  return { built, issues: store ? issues : issues.filter((i) => !TRUST_ERRORS.has(i.err)) };
}

function nameCheck(leaf: ParsedCert, name: string): { error: ValidationError | null; rfc: boolean | null } {
  const m = meta(leaf);
  const ats = atsNameCheckLists(m.allDnsSans, m.allIpSans, m.subjectCns[0] ?? null, name);
  const rfc = rfc6125NameCheckLists(m.allDnsSans, m.allIpSans, m.subjectCns, name);
  if (ats.ok) return { error: null, rfc: rfc === ats.ok ? null : rfc };
  const names = [...m.allDnsSans.slice(0, 10).map((d) => `DNS:${d}`), ...(m.subjectCns[0] !== undefined ? [`CN=${m.subjectCns[0]}`] : [])];
  const detail = ats.ipSanMatches
    ? `the certificate has an IP-address SAN for ${name}, but Traffic Server ignores IP SANs (browsers and OpenSSL would accept it)`
    : `${name} is not among the names Traffic Server checks (DNS SANs, then the first CN): ${names.join(', ') || 'none'}`;
  return { error: { code: 'name_mismatch', depth: 0, message: nameMismatchMessage(name), detail }, rfc: rfc === ats.ok ? null : rfc };
}

export function validateChain(input: ValidateInput): ValidationOut {
  const base = { checked_name: input.checkedName, checked_name_source: input.checkedNameSource };
  const leaf = input.presented[0];
  if (!input.visible || !leaf) {
    const detail = input.tls13
      ? 'TLS 1.3 encrypts the server Certificate message: rely on the Traffic Server log lines for the verdict'
      : 'no server Certificate message was captured for this connection';
    return {
      status: 'not_checked', ...base, chain: [], anchor: null, valid_now: null, rfc6125_name_match: null,
      errors: [{ code: 'not_visible', depth: null, message: NOT_VISIBLE_MESSAGE, detail }],
    };
  }
  const incomplete: ValidationError[] = [];
  input.presented.forEach((c, depth) => {
    if (!c.facts.complete || !c.x509) {
      const detail = c.facts.complete ? 'OpenSSL cannot parse this certificate' : `only ${c.der.length} bytes of it were captured`;
      incomplete.push({ code: 'incomplete', depth, message: INCOMPLETE_MESSAGE, detail });
    }
  });
  if (incomplete.length > 0 && incomplete[0].depth === 0) {
    return { status: 'not_checked', ...base, errors: incomplete, chain: [leaf.sha256], anchor: null, valid_now: null, rfc6125_name_match: null };
  }
  const untrusted = input.presented.slice(1).filter((c) => c.facts.complete && c.x509);
  const atMs = input.atMs ?? input.nowMs;
  const level = input.securityLevel ?? DEFAULT_SECURITY_LEVEL;
  const { built, issues } = verifyIssues(leaf, untrusted, input.store, atMs, level);
  const errors = [...incomplete, ...issues.map(toValidationError)];
  let rfc: boolean | null = null;
  if (input.checkedName !== null) {
    const nc = nameCheck(leaf, input.checkedName);
    if (nc.error) errors.push(nc.error);
    rfc = nc.rfc;
  }
  const hard = errors.filter((e) => e.code !== 'incomplete' && e.code !== 'not_visible');
  let status: ValidationOut['status'];
  if (!input.store) status = 'not_checked';
  else if (hard.length === 0) status = built.trusted ? 'trusted' : 'not_checked';
  else if (incomplete.length > 0 && hard.every((e) => e.code === 'unknown_issuer')) status = 'not_checked';
  else status = 'untrusted';
  let validNow: boolean | null = null;
  if (input.store) {
    if (input.atMs === null || input.atMs === input.nowMs) validNow = built.trusted && issues.length === 0;
    else {
      const now = verifyIssues(leaf, untrusted, input.store, input.nowMs, level);
      validNow = now.built.trusted && now.issues.length === 0;
    }
  }
  return {
    status, ...base, errors,
    chain: built.chain.map((c) => c.sha256),
    anchor: built.trusted ? built.chain[built.chain.length - 1].sha256 : null,
    valid_now: validNow,
    rfc6125_name_match: rfc,
  };
}
