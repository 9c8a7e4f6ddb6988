/**
 * OpenSSL verification errors we emulate: X509_V_ERR_* numbers as OpenSSL 3.0 defines them
 * (include/openssl/x509_vfy.h; INVALID_CA is 24 in 1.1.1 and 79 in 3.x), our contract code, and
 * X509_verify_cert_error_string() in OpenSSL 1.1.1 (`message`, what Expressway logs show) and
 * 3.x (`message_openssl3`, only where it differs). crypto/x509/x509_txt.c of both versions.
 */
import type { ValidationCode } from '../report/model.js';

export const X509_ERR = {
  UNSPECIFIED: 1,
  UNABLE_TO_GET_ISSUER_CERT: 2,
  CERT_SIGNATURE_FAILURE: 7,
  CERT_NOT_YET_VALID: 9,
  CERT_HAS_EXPIRED: 10,
  ERROR_IN_CERT_NOT_BEFORE_FIELD: 13,
  ERROR_IN_CERT_NOT_AFTER_FIELD: 14,
  DEPTH_ZERO_SELF_SIGNED_CERT: 18,
  SELF_SIGNED_CERT_IN_CHAIN: 19,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 20,
  CERT_CHAIN_TOO_LONG: 22,
  PATH_LENGTH_EXCEEDED: 25,
  INVALID_PURPOSE: 26,
  UNHANDLED_CRITICAL_EXTENSION: 34,
  KEYUSAGE_NO_CERTSIGN: 32,
  PERMITTED_VIOLATION: 47,
  EXCLUDED_VIOLATION: 48,
  SUBTREE_MINMAX: 49,
  UNSUPPORTED_CONSTRAINT_TYPE: 51,
  UNSUPPORTED_NAME_SYNTAX: 53,
  HOSTNAME_MISMATCH: 62,
  IP_ADDRESS_MISMATCH: 64,
  EE_KEY_TOO_SMALL: 66,
  CA_KEY_TOO_SMALL: 67,
  CA_MD_TOO_WEAK: 68,
  INVALID_CA: 79,
} as const;
export type X509Err = (typeof X509_ERR)[keyof typeof X509_ERR];

interface ErrorText {
  code: ValidationCode;
  openssl111: string;
  openssl3?: string;
}

export const X509_ERROR_TEXT: Readonly<Record<number, ErrorText>> = {
  // only from the name-constraints check (its guard against more than 2^20 comparisons)
  1: { code: 'name_constraints', openssl111: 'unspecified certificate verification error' },
  2: { code: 'unknown_issuer', openssl111: 'unable to get issuer certificate' },
  7: { code: 'bad_signature', openssl111: 'certificate signature failure' },
  9: { code: 'not_yet_valid', openssl111: 'certificate is not yet valid' },
  10: { code: 'expired', openssl111: 'certificate has expired' },
  13: { code: 'bad_time_format', openssl111: "format error in certificate's notBefore field" },
  14: { code: 'bad_time_format', openssl111: "format error in certificate's notAfter field" },
  18: { code: 'self_signed', openssl111: 'self signed certificate', openssl3: 'self-signed certificate' },
  19: {
    code: 'self_signed_in_chain',
    openssl111: 'self signed certificate in certificate chain',
    openssl3: 'self-signed certificate in certificate chain',
  },
  20: { code: 'unknown_issuer', openssl111: 'unable to get local issuer certificate' },
  22: { code: 'chain_too_long', openssl111: 'certificate chain too long' },
  25: { code: 'invalid_ca', openssl111: 'path length constraint exceeded' },
  26: { code: 'invalid_purpose', openssl111: 'unsupported certificate purpose', openssl3: 'unsuitable certificate purpose' },
  32: { code: 'invalid_ca', openssl111: 'key usage does not include certificate signing' },
  34: { code: 'unhandled_critical', openssl111: 'unhandled critical extension' },
  47: { code: 'name_constraints', openssl111: 'permitted subtree violation' },
  48: { code: 'name_constraints', openssl111: 'excluded subtree violation' },
  49: { code: 'name_constraints', openssl111: 'name constraints minimum and maximum not supported' },
  51: { code: 'name_constraints', openssl111: 'unsupported name constraint type' },
  53: { code: 'name_constraints', openssl111: 'unsupported or invalid name syntax' },
  62: { code: 'name_mismatch', openssl111: 'hostname mismatch' },
  64: { code: 'name_mismatch', openssl111: 'IP address mismatch' },
  66: { code: 'weak_key', openssl111: 'EE certificate key too weak' },
  67: { code: 'weak_key', openssl111: 'CA certificate key too weak' },
  68: { code: 'weak_digest', openssl111: 'CA signature digest algorithm too weak' },
  79: { code: 'invalid_ca', openssl111: 'invalid CA certificate' },
};

/** An error as OpenSSL's verify callback would see it. */
export interface VerifyIssue {
  err: number;
  depth: number;
  /** plain-words explanation */
  detail?: string;
}

export const NOT_VISIBLE_MESSAGE = 'certificate not visible (TLS 1.3 or not captured)';
export const INCOMPLETE_MESSAGE = 'certificate bytes incomplete in the capture';
export const nameMismatchMessage = (name: string): string => `SNI (${name}) not in certificate`;
