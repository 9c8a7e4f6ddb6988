/**
 * Plain-words explanations for validation errors (ValidationError.detail).
 */
import { checkCa, meta } from './openssl-checks.js';
import { weaknessDetail } from './security-level.js';
import type { ParsedCert } from '../x509/parsed-cert.js';
import { verifiesSignature } from '../x509/signature.js';
import { X509_ERR, type VerifyIssue } from './verify-errors.js';

export interface ExplainContext {
  chain: readonly ParsedCert[];
  /** every certificate the server sent and the store holds (for "another one would verify") */
  known: readonly ParsedCert[];
  mimics: readonly ParsedCert[];
  atMs: number;
  /** OpenSSL security level the chain was checked at */
  securityLevel: number;
}

export const certLabel = (c: ParsedCert): string => (c.facts.subject_cn !== null ? `CN=${c.facts.subject_cn}` : c.facts.subject || `sha256 ${c.sha256.slice(0, 16)}`);
/**
 * Names of the extensions explanations name (others as OIDs): those OpenSSL does not process (error 34)
 * and those it decodes up front (an invalid one leaves a certificate without issuer).
 */
const EXTENSION_NAMES: Readonly<Record<string, string>> = {
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.15': 'keyUsage',
  '2.5.29.37': 'extendedKeyUsage',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.30': 'nameConstraints',
  '2.16.840.1.113730.1.1': 'nsCertType',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
  '1.3.6.1.5.5.7.1.11': 'subjectInfoAccess',
  '1.3.6.1.5.5.7.1.24': 'TLS Feature (OCSP must-staple)',
  '1.3.6.1.4.1.11129.2.4.2': 'CT precertificate SCTs',
  '2.5.29.46': 'freshestCRL',
  '2.5.29.9': 'subjectDirectoryAttributes',
};
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : 'unknown');

/** What the explanation of a missing issuer says when an invalid extension is the cause (advice.ts looks for it). */
export const INVALID_EXTENSION_WORDS = 'a malformed or repeated';
/** "a malformed or repeated subjectAltName extension" (one or more) */
function invalidText(oids: readonly string[]): string {
  const names = oids.map((o) => EXTENSION_NAMES[o] ?? o);
  return `${INVALID_EXTENSION_WORDS} ${names.join(', ')} extension${names.length > 1 ? 's' : ''}`;
}

function issuerLabel(c: ParsedCert): string {
  const aki = c.facts.aki;
  return `"${c.facts.issuer}"${aki ? ` (key id ${aki})` : ''}`;
}

function caProblem(c: ParsedCert): string {
  const m = meta(c);
  if (m.keyUsage !== null && !m.keyUsage.includes('keyCertSign')) return 'its keyUsage does not include keyCertSign';
  if (m.basicConstraints && !m.basicConstraints.ca) return 'its basicConstraints say CA:FALSE';
  if (!m.basicConstraints) return checkCa(c) === 0 ? 'it has no basicConstraints extension' : 'it has no basicConstraints CA:TRUE (required below the root)';
  return 'it is not a valid CA';
}

export function explain(issue: VerifyIssue, ctx: ExplainContext): string {
  const c = ctx.chain[issue.depth] ?? ctx.chain[ctx.chain.length - 1];
  const label = certLabel(c);
  switch (issue.err) {
    case X509_ERR.DEPTH_ZERO_SELF_SIGNED_CERT: {
      let s = `the server certificate ${label} is self-signed and is not in the trust store`;
      if (ctx.mimics.length > 0) {
        s +=
          `; the trust store holds a different certificate with the same subject (sha256 ${ctx.mimics[0].sha256.slice(0, 16)}…): ` +
          'the lookup is by name, so two certificates with the same subject cannot both be trusted (CSCwa12894 / CSCwa12905)';
      }
      const ku = meta(c).keyUsage;
      if (ku !== null && !ku.includes('keyCertSign')) {
        s += "; OpenSSL 1.1.1 reports this certificate as 'unable to get local issuer certificate' because its keyUsage lacks keyCertSign";
      }
      return s;
    }
    case X509_ERR.SELF_SIGNED_CERT_IN_CHAIN:
      return `the chain ends at the self-signed root ${label}, which the server sent but which is not in the trust store`;
    case X509_ERR.UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {
      const bad = meta(c).invalidExtensions ?? [];
      if (bad.length > 0) {
        return `${label} has ${invalidText(bad)}: OpenSSL 3 then takes it for a certificate of no issuer (and no issuer of others), whatever the server sent or the trust store holds`;
      }
      const named = ctx.known.find((k) => meta(k).subjectKey === meta(c).issuerKey && (meta(k).invalidExtensions ?? []).length > 0);
      if (named) {
        return `the issuer of ${label}, ${issuerLabel(c)}, is there (sha256 ${named.sha256.slice(0, 16)}…) but has ${invalidText(meta(named).invalidExtensions)}: OpenSSL 3 does not take such a certificate as anyone's issuer`;
      }
      return `the issuer of ${label}, ${issuerLabel(c)}, was not sent by the server and is not in the trust store`;
    }
    case X509_ERR.UNABLE_TO_GET_ISSUER_CERT:
      return (
        `the trust store holds ${label} but not its issuer ${issuerLabel(c)}; ` +
        'a certificate that is not self-signed is not a trust anchor on its own (OpenSSL partial chains are off), and the server\'s own copies are no longer searched'
      );
    case X509_ERR.CERT_SIGNATURE_FAILURE: {
      const issuer = ctx.chain[issue.depth + 1];
      let s = `the signature of ${label} does not verify with the key of ${issuer ? certLabel(issuer) : 'its issuer'}`;
      const other = ctx.known.find((k) => k !== issuer && meta(k).subjectKey === meta(c).issuerKey && verifiesSignature(c, k));
      if (other) {
        s += `; another certificate with the same subject (sha256 ${other.sha256.slice(0, 16)}…) does verify it: issuers are picked by name and key identifier, not by signature`;
      }
      return s;
    }
    case X509_ERR.CERT_HAS_EXPIRED:
      return `${label} expired on ${day(c.facts.not_after)} (checked at ${new Date(ctx.atMs).toISOString()})`;
    case X509_ERR.CERT_NOT_YET_VALID:
      return `${label} is not valid before ${day(c.facts.not_before)} (checked at ${new Date(ctx.atMs).toISOString()})`;
    case X509_ERR.ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_ERR.ERROR_IN_CERT_NOT_AFTER_FIELD: {
      const field = issue.err === X509_ERR.ERROR_IN_CERT_NOT_BEFORE_FIELD ? 'notBefore' : 'notAfter';
      const text = issue.err === X509_ERR.ERROR_IN_CERT_NOT_BEFORE_FIELD ? meta(c).notBeforeBad : meta(c).notAfterBad;
      return `${label}'s ${field} is written "${text ?? '?'}": OpenSSL accepts only YYMMDDHHMMSSZ (UTCTime) or YYYYMMDDHHMMSSZ (GeneralizedTime) of a real date, and refuses the certificate at any time`;
    }
    case X509_ERR.INVALID_CA: {
      const noCertSign = meta(c).keyUsage?.includes('keyCertSign') === false;
      return (
        `${label} issues certificates in this chain but ${caProblem(c)}` +
        (noCertSign ? `; OpenSSL 1.1.1 does not even accept it as the issuer and reports 'unable to get local issuer certificate' at depth ${issue.depth - 1}` : '')
      );
    }
    case X509_ERR.KEYUSAGE_NO_CERTSIGN:
      return `${label} signed the certificate below it but its keyUsage does not include keyCertSign`;
    case X509_ERR.PATH_LENGTH_EXCEEDED:
      return `${label} allows ${meta(c).basicConstraints?.pathLen ?? 0} intermediate CA certificate(s) below it; the chain has more`;
    case X509_ERR.INVALID_PURPOSE: {
      const eku = c.facts.eku ?? [];
      if (meta(c).ekuOids !== null && !eku.includes('serverAuth')) {
        return `${label}'s extended key usage (${eku.join(', ') || 'empty'}) does not include serverAuth (TLS Web Server Authentication)`;
      }
      return issue.depth === 0
        ? `${label}'s keyUsage (${(c.facts.key_usage ?? []).join(', ')}) allows neither digitalSignature, keyEncipherment nor keyAgreement`
        : `${label} is not a CA certificate`;
    }
    case X509_ERR.UNHANDLED_CRITICAL_EXTENSION: {
      const oids = meta(c).unhandledCritical;
      return `${label} marks ${oids.length === 1 ? 'the extension' : 'the extensions'} ${oids.map((o) => EXTENSION_NAMES[o] ?? o).join(', ')} critical, which OpenSSL's verification does not process`;
    }
    case X509_ERR.EE_KEY_TOO_SMALL:
    case X509_ERR.CA_KEY_TOO_SMALL:
    case X509_ERR.CA_MD_TOO_WEAK:
      return weaknessDetail(issue.err, c, ctx.securityLevel);
    case X509_ERR.CERT_CHAIN_TOO_LONG:
      return `the chain is longer than OpenSSL's default depth limit (100)`;
    default:
      return '';
  }
}
