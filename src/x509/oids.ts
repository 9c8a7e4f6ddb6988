/**
 * OBJECT IDENTIFIER tables, named the way OpenSSL prints them (crypto/objects/objects.txt short
 * names; `openssl x509 -text` for signature algorithms; `-nameopt RFC2253` for DN attributes).
 */

/** Signature algorithms (RFC 4055, RFC 5758, RFC 8410, RFC 3279, FIPS 204 / draft-ietf-lamps-dilithium-certificates). */
export const SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '2.16.840.1.101.3.4.3.13': 'RSA-SHA3-224',
  '2.16.840.1.101.3.4.3.14': 'RSA-SHA3-256',
  '2.16.840.1.101.3.4.3.15': 'RSA-SHA3-384',
  '2.16.840.1.101.3.4.3.16': 'RSA-SHA3-512',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '2.16.840.1.101.3.4.3.1': 'dsa_with_SHA224',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
  '1.2.156.10197.1.501': 'SM2-with-SM3',
  '2.16.840.1.101.3.4.3.17': 'ML-DSA-44',
  '2.16.840.1.101.3.4.3.18': 'ML-DSA-65',
  '2.16.840.1.101.3.4.3.19': 'ML-DSA-87',
};

/** Which public-key family may verify a signature algorithm (OpenSSL check_sig_alg_match). */
export function signatureKeyFamily(sigOid: string): 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | null {
  if (sigOid.startsWith('1.2.840.113549.1.1.') || /^2\.16\.840\.1\.101\.3\.4\.3\.1[3-6]$/.test(sigOid)) return 'rsa';
  if (sigOid.startsWith('1.2.840.10045.4.')) return 'ec';
  if (sigOid === '1.3.101.112') return 'ed25519';
  if (sigOid === '1.3.101.113') return 'ed448';
  if (sigOid === '1.2.840.10040.4.3' || sigOid === '2.16.840.1.101.3.4.3.1' || sigOid === '2.16.840.1.101.3.4.3.2') return 'dsa';
  return null;
}

/** SubjectPublicKeyInfo algorithms → our key type names. */
export const KEY_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10045.2.1': 'ECDSA',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.1': 'DSA',
};

/**
 * Named curves by OID → the name we report and the key size OpenSSL 3.0 gives (EVP_PKEY_get_bits:
 * the bit length of the group order, crypto/ec/ec_ameth.c ec_bits): NIST curves by their FIPS 186
 * names, every other curve of `openssl ecparam -list_curves` by its OpenSSL short name (node:crypto's
 * namedCurve). Order bits from `openssl ecparam -name NAME -param_enc explicit`.
 */
export const CURVES: Readonly<Record<string, { name: string; bits: number }>> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bits: 256 },
  '1.3.132.0.34': { name: 'P-384', bits: 384 },
  '1.3.132.0.35': { name: 'P-521', bits: 521 },
  '1.3.132.0.33': { name: 'P-224', bits: 224 },
  '1.2.840.10045.3.1.1': { name: 'P-192', bits: 192 },
  '1.3.132.0.10': { name: 'secp256k1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.7': { name: 'brainpoolP256r1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.11': { name: 'brainpoolP384r1', bits: 384 },
  '1.3.36.3.3.2.8.1.1.13': { name: 'brainpoolP512r1', bits: 512 },
  '1.2.156.10197.1.301': { name: 'SM2', bits: 256 },
  '1.3.132.0.6': { name: 'secp112r1', bits: 112 },
  '1.3.132.0.7': { name: 'secp112r2', bits: 110 },
  '1.3.132.0.28': { name: 'secp128r1', bits: 128 },
  '1.3.132.0.29': { name: 'secp128r2', bits: 126 },
  '1.3.132.0.9': { name: 'secp160k1', bits: 161 },
  '1.3.132.0.8': { name: 'secp160r1', bits: 161 },
  '1.3.132.0.30': { name: 'secp160r2', bits: 161 },
  '1.3.132.0.31': { name: 'secp192k1', bits: 192 },
  '1.3.132.0.32': { name: 'secp224k1', bits: 225 },
  '1.2.840.10045.3.1.2': { name: 'prime192v2', bits: 192 },
  '1.2.840.10045.3.1.3': { name: 'prime192v3', bits: 192 },
  '1.2.840.10045.3.1.4': { name: 'prime239v1', bits: 239 },
  '1.2.840.10045.3.1.5': { name: 'prime239v2', bits: 239 },
  '1.2.840.10045.3.1.6': { name: 'prime239v3', bits: 239 },
  '1.3.132.0.4': { name: 'sect113r1', bits: 113 },
  '1.3.132.0.5': { name: 'sect113r2', bits: 113 },
  '1.3.132.0.22': { name: 'sect131r1', bits: 131 },
  '1.3.132.0.23': { name: 'sect131r2', bits: 131 },
  '1.3.132.0.1': { name: 'sect163k1', bits: 163 },
  '1.3.132.0.2': { name: 'sect163r1', bits: 162 },
  '1.3.132.0.15': { name: 'sect163r2', bits: 163 },
  '1.3.132.0.24': { name: 'sect193r1', bits: 193 },
  '1.3.132.0.25': { name: 'sect193r2', bits: 193 },
  '1.3.132.0.26': { name: 'sect233k1', bits: 232 },
  '1.3.132.0.27': { name: 'sect233r1', bits: 233 },
  '1.3.132.0.3': { name: 'sect239k1', bits: 238 },
  '1.3.132.0.16': { name: 'sect283k1', bits: 281 },
  '1.3.132.0.17': { name: 'sect283r1', bits: 282 },
  '1.3.132.0.36': { name: 'sect409k1', bits: 407 },
  '1.3.132.0.37': { name: 'sect409r1', bits: 409 },
  '1.3.132.0.38': { name: 'sect571k1', bits: 570 },
  '1.3.132.0.39': { name: 'sect571r1', bits: 570 },
  '1.2.840.10045.3.0.1': { name: 'c2pnb163v1', bits: 163 },
  '1.2.840.10045.3.0.2': { name: 'c2pnb163v2', bits: 162 },
  '1.2.840.10045.3.0.3': { name: 'c2pnb163v3', bits: 162 },
  '1.2.840.10045.3.0.4': { name: 'c2pnb176v1', bits: 161 },
  '1.2.840.10045.3.0.5': { name: 'c2tnb191v1', bits: 191 },
  '1.2.840.10045.3.0.6': { name: 'c2tnb191v2', bits: 190 },
  '1.2.840.10045.3.0.7': { name: 'c2tnb191v3', bits: 189 },
  '1.2.840.10045.3.0.10': { name: 'c2pnb208w1', bits: 193 },
  '1.2.840.10045.3.0.11': { name: 'c2tnb239v1', bits: 238 },
  '1.2.840.10045.3.0.12': { name: 'c2tnb239v2', bits: 237 },
  '1.2.840.10045.3.0.13': { name: 'c2tnb239v3', bits: 236 },
  '1.2.840.10045.3.0.16': { name: 'c2pnb272w1', bits: 257 },
  '1.2.840.10045.3.0.17': { name: 'c2pnb304w1', bits: 289 },
  '1.2.840.10045.3.0.18': { name: 'c2tnb359v1', bits: 353 },
  '1.2.840.10045.3.0.19': { name: 'c2pnb368w1', bits: 353 },
  '1.2.840.10045.3.0.20': { name: 'c2tnb431r1', bits: 418 },
  '2.23.43.1.4.1': { name: 'wap-wsg-idm-ecid-wtls1', bits: 112 },
  '2.23.43.1.4.3': { name: 'wap-wsg-idm-ecid-wtls3', bits: 163 },
  '2.23.43.1.4.4': { name: 'wap-wsg-idm-ecid-wtls4', bits: 113 },
  '2.23.43.1.4.5': { name: 'wap-wsg-idm-ecid-wtls5', bits: 163 },
  '2.23.43.1.4.6': { name: 'wap-wsg-idm-ecid-wtls6', bits: 112 },
  '2.23.43.1.4.7': { name: 'wap-wsg-idm-ecid-wtls7', bits: 161 },
  '2.23.43.1.4.8': { name: 'wap-wsg-idm-ecid-wtls8', bits: 113 },
  '2.23.43.1.4.9': { name: 'wap-wsg-idm-ecid-wtls9', bits: 161 },
  '2.23.43.1.4.10': { name: 'wap-wsg-idm-ecid-wtls10', bits: 232 },
  '2.23.43.1.4.11': { name: 'wap-wsg-idm-ecid-wtls11', bits: 233 },
  '2.23.43.1.4.12': { name: 'wap-wsg-idm-ecid-wtls12', bits: 224 },
  '1.3.36.3.3.2.8.1.1.1': { name: 'brainpoolP160r1', bits: 160 },
  '1.3.36.3.3.2.8.1.1.2': { name: 'brainpoolP160t1', bits: 160 },
  '1.3.36.3.3.2.8.1.1.3': { name: 'brainpoolP192r1', bits: 192 },
  '1.3.36.3.3.2.8.1.1.4': { name: 'brainpoolP192t1', bits: 192 },
  '1.3.36.3.3.2.8.1.1.5': { name: 'brainpoolP224r1', bits: 224 },
  '1.3.36.3.3.2.8.1.1.6': { name: 'brainpoolP224t1', bits: 224 },
  '1.3.36.3.3.2.8.1.1.8': { name: 'brainpoolP256t1', bits: 256 },
  '1.3.36.3.3.2.8.1.1.9': { name: 'brainpoolP320r1', bits: 320 },
  '1.3.36.3.3.2.8.1.1.10': { name: 'brainpoolP320t1', bits: 320 },
  '1.3.36.3.3.2.8.1.1.12': { name: 'brainpoolP384t1', bits: 384 },
  '1.3.36.3.3.2.8.1.1.14': { name: 'brainpoolP512t1', bits: 512 },
};

/** node:crypto (OpenSSL) curve names → the names we report. */
export const NODE_CURVE_NAMES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  secp224r1: 'P-224',
  prime192v1: 'P-192',
};

/** DN attribute types: OpenSSL short names (RFC 4514 §3 names where they exist). */
export const DN_ATTRIBUTES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.13': 'description',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.41': 'name',
  '2.5.4.42': 'GN',
  '2.5.4.43': 'initials',
  '2.5.4.44': 'generationQualifier',
  '2.5.4.46': 'dnQualifier',
  '2.5.4.65': 'pseudonym',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.2.840.113549.1.9.2': 'unstructuredName',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

export const OID_COMMON_NAME = '2.5.4.3';

/** Extended key usages (RFC 5280 §4.2.1.12) by OpenSSL short name. */
export const EKU_NAMES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.5': 'ipsecEndSystem',
  '1.3.6.1.5.5.7.3.6': 'ipsecTunnel',
  '1.3.6.1.5.5.7.3.7': 'ipsecUser',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '1.3.6.1.5.5.7.3.17': 'ipsecIKE',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
  '1.3.6.1.4.1.311.10.3.3': 'msSGC',
  '2.16.840.1.113730.4.1': 'nsSGC',
};

/** keyUsage bit names in bit order (RFC 5280 §4.2.1.3). */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  nameConstraints: '2.5.29.30',
  /** Netscape certificate type (OpenSSL still reads it: check_ca, ns_reject) */
  nsCertType: '2.16.840.1.113730.1.1',
} as const;

/**
 * Extensions OpenSSL's verification processes (crypto/x509/v3_purp.c X509_supported_extension, 1.1.1 and
 * 3.x): any other one marked critical fails the certificate with X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION.
 * Not in it, although RFC 5280 defines them: subjectKeyIdentifier, authorityKeyIdentifier, authorityInfoAccess.
 */
export const OPENSSL_SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set([
  '2.16.840.1.113730.1.1', // netscape-cert-type
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.32', // certificatePolicies
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.37', // extKeyUsage
  '1.3.6.1.5.5.7.1.7', // sbgp-ipAddrBlock (RFC 3779)
  '1.3.6.1.5.5.7.1.8', // sbgp-autonomousSysNum (RFC 3779)
  '1.3.6.1.5.5.7.48.1.5', // id-pkix-OCSP-noCheck
  '2.5.29.36', // policyConstraints
  '1.3.6.1.5.5.7.1.14', // proxyCertInfo
  '2.5.29.30', // nameConstraints
  '2.5.29.33', // policyMappings
  '2.5.29.54', // inhibitAnyPolicy
]);
