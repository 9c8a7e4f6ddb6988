/**
 * OpenSSL's security-level checks on a certificate chain (crypto/x509/x509_vfy.c, OpenSSL 3.0):
 *  - X509_verify_cert, before the chain is even built: the leaf's public key must give at least the
 *    level's bits of security, else EE_KEY_TOO_SMALL (66) at depth 0;
 *  - check_auth_level, after check_extensions: every issuer key (depth > 0, the trust anchor
 *    included) likewise, else CA_KEY_TOO_SMALL (67); every signature but the top certificate's
 *    (whose own signature is never relied on) must give the level's bits, else CA_MD_TOO_WEAK (68).
 * Bits required at levels 1-5: 80, 112, 128, 192, 256 (minbits_table); level 0 checks nothing.
 * libssl sets the verification's level to the SSL security level: 2 by default in OpenSSL 3 builds
 * such as Debian's (the Traffic Server the samples and the verdict matrix use refuses SHA-1 and
 * 1024-bit RSA certificates), 1 in OpenSSL 1.1.1's default build. Security bits, as OpenSSL counts them:
 *  - keys (EVP_PKEY_get_security_bits): RSA by SP 800-56B's estimate (1024 → 80, 2048 → 112,
 *    3072 → 128, 4096 → 152), EC by the order's size (≥ 512 → 256, ≥ 384 → 192, ≥ 256 → 128,
 *    ≥ 224 → 112, ≥ 160 → 80), DSA by its modulus p and subgroup order q (BN_security_bits(L, N): the
 *    modulus's bits, at most half of q's, none below 80), Ed25519 128, Ed448 224;
 *  - signatures (x509_sig_info_init): half the digest's bits, except SHA-1 63 and MD5 39 ("known
 *    broken", so refused from level 1 on; OpenSSL 1.1.1 still counted SHA-1 as 80); RSASSA-PSS by the
 *    hash in its parameters (rsa_sig_info_set: SHA-1 there 64).
 * A key or signature algorithm we cannot rate is not reported (OpenSSL would refuse it, but the
 * signature check says more about such a certificate).
 */
import type { ParsedCert } from '../x509/parsed-cert.js';
import { meta } from './openssl-checks.js';
import { X509_ERR, type VerifyIssue } from './verify-errors.js';

/** OpenSSL's default for TLS clients in OpenSSL 3 builds (Debian, RHEL 9, Ubuntu 22.04+). */
export const DEFAULT_SECURITY_LEVEL = 2;
export const MAX_SECURITY_LEVEL = 5;
const MIN_BITS = [80, 112, 128, 192, 256];

/** Bits a level requires; 0 at level 0 (nothing is checked). */
export function requiredBits(level: number): number {
  if (level <= 0) return 0;
  return MIN_BITS[Math.min(level, MAX_SECURITY_LEVEL) - 1];
}

/**
 * ossl_ifc_ffc_compute_security_bits (crypto/rsa/rsa_lib.c): SP 800-56B rev 2 Appendix D, in
 * OpenSSL's own fixed-point arithmetic (18 fraction bits, integer logarithm and cube root, 64-bit
 * unsigned): a floating-point evaluation of the formula rounds up one step (8 bits) early for some
 * sizes (1962-bit RSA: 112 instead of OpenSSL's 104, accepted at level 2 where OpenSSL refuses it).
 */
const FX_SCALE = 1n << 18n;
const FX_LOG_2 = 0x02c5c8n;
const FX_LOG_E = 0x05c551n;
const FX_C1_923 = 0x07b126n;
const FX_C4_690 = 0x12c28fn;
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const fxMul = (a: bigint, b: bigint): bigint => u64(u64(a * b) / FX_SCALE);

/** ilog_e: natural logarithm of a fixed-point value (≥ 1), fixed point. */
function fxLogE(v0: bigint): bigint {
  let v = v0;
  let r = 0n;
  while (v >= 2n * FX_SCALE) {
    v >>= 1n;
    r += FX_SCALE;
  }
  for (let i = FX_SCALE / 2n; i !== 0n; i /= 2n) {
    v = fxMul(v, v);
    if (v >= 2n * FX_SCALE) {
      v >>= 1n;
      r += i;
    }
  }
  return BigInt.asUintN(32, (r * FX_SCALE) / FX_LOG_E);
}

/** icbrt64: integer cube root, scaled by 2^12 (the cube root of the 2^36 of a squared fixed-point scale). */
function fxCbrt(x0: bigint): bigint {
  let x = x0;
  let r = 0n;
  for (let s = 63n; s >= 0n; s -= 3n) {
    r = u64(r << 1n);
    const b = u64(3n * r * (r + 1n) + 1n);
    if (x >> s >= b) {
      x = u64(x - u64(b << s));
      r++;
    }
  }
  return u64(r * (1n << 12n));
}

export function rsaSecurityBits(n: number): number {
  switch (n) {
    case 2048: return 112;
    case 3072: return 128;
    case 4096: return 152;
    case 6144: return 176;
    case 7680: return 192;
    case 8192: return 200;
    case 15360: return 256;
  }
  if (n >= 687737) return 1200;
  if (n < 8) return 0;
  const cap = n <= 7680 ? 192 : n <= 15360 ? 256 : 1200;
  const x = u64(BigInt(n) * FX_LOG_2);
  const lx = fxLogE(x);
  // uint16_t y = (mul2(c1_923, icbrt64(mul2(mul2(x, lx), lx))) - c4_690) / log_2
  let y = Number(BigInt.asUintN(16, u64(fxMul(FX_C1_923, fxCbrt(fxMul(fxMul(x, lx), lx))) - FX_C4_690) / FX_LOG_2));
  y = (y + 4) & 0xfff8;
  return Math.min(y, cap);
}

/**
 * BN_security_bits(L, N) (crypto/bn/bn_lib.c), as dsa_security_bits calls it with the sizes of p and q:
 * the finite-field table on L, capped by half of N, and 0 when that half is below 80 (N null: q's size
 * unknown, the table alone, as OpenSSL with N = -1).
 */
function ffcSecurityBits(l: number, n: number | null): number {
  let secbits: number;
  if (l >= 15360) secbits = 256;
  else if (l >= 7680) secbits = 192;
  else if (l >= 3072) secbits = 128;
  else if (l >= 2048) secbits = 112;
  else if (l >= 1024) secbits = 80;
  else return 0;
  if (n === null) return secbits;
  const half = Math.floor(n / 2);
  if (half < 80) return 0;
  return Math.min(half, secbits);
}

/** ec_security_bits (crypto/ec/ec_ameth.c) on the group order's size. */
function ecSecurityBits(orderBits: number): number {
  if (orderBits >= 512) return 256;
  if (orderBits >= 384) return 192;
  if (orderBits >= 256) return 128;
  if (orderBits >= 224) return 112;
  if (orderBits >= 160) return 80;
  return Math.floor(orderBits / 2);
}

/** Security bits of a certificate's public key; null when we cannot rate it. */
export function keySecurityBits(c: ParsedCert): number | null {
  const { type, bits } = c.facts.key;
  switch (type) {
    case 'Ed25519': return 128;
    case 'Ed448': return 224;
    case 'RSA':
    case 'RSA-PSS': return bits === null ? null : rsaSecurityBits(bits);
    case 'DSA': return bits === null ? null : ffcSecurityBits(bits, meta(c).dsaQBits ?? null);
    case 'ECDSA': return bits === null ? null : ecSecurityBits(bits);
    default: return null;
  }
}

/** Signature algorithm OID → security bits (x509_sig_info_init); RSASSA-PSS by its parameters' hash (below). */
const SIGNATURE_BITS: Readonly<Record<string, number>> = {
  '1.2.840.113549.1.1.2': 64, // md2WithRSAEncryption (16-byte digest)
  '1.2.840.113549.1.1.4': 39, // md5WithRSAEncryption
  '1.2.840.113549.1.1.5': 63, // sha1WithRSAEncryption
  '1.2.840.113549.1.1.14': 112, // sha224WithRSAEncryption
  '1.2.840.113549.1.1.11': 128, // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': 192, // sha384WithRSAEncryption
  '1.2.840.113549.1.1.13': 256, // sha512WithRSAEncryption
  '2.16.840.1.101.3.4.3.13': 112, // RSA-SHA3-224
  '2.16.840.1.101.3.4.3.14': 128,
  '2.16.840.1.101.3.4.3.15': 192,
  '2.16.840.1.101.3.4.3.16': 256,
  '1.2.840.10045.4.1': 63, // ecdsa-with-SHA1
  '1.2.840.10045.4.3.1': 112,
  '1.2.840.10045.4.3.2': 128,
  '1.2.840.10045.4.3.3': 192,
  '1.2.840.10045.4.3.4': 256,
  '1.2.840.10040.4.3': 63, // dsaWithSHA1
  '2.16.840.1.101.3.4.3.1': 112, // dsa_with_SHA224
  '2.16.840.1.101.3.4.3.2': 128, // dsa_with_SHA256
  '1.3.101.112': 128, // Ed25519
  '1.3.101.113': 224, // Ed448
  '1.2.156.10197.1.501': 128, // SM2-with-SM3
};

const RSASSA_PSS = '1.2.840.113549.1.1.10';

/**
 * RSASSA-PSS (rsa_sig_info_set, crypto/rsa/rsa_ameth.c): half the bits of the hash named in the
 * parameters, except SHA-1 64 and MD5 39 (again below level 1's 80).
 */
const PSS_HASH_BITS: Readonly<Record<string, { bits: number; name: string }>> = {
  '1.2.840.113549.2.5': { bits: 39, name: 'MD5' },
  '1.3.14.3.2.26': { bits: 64, name: 'SHA-1' },
  '2.16.840.1.101.3.4.2.4': { bits: 112, name: 'SHA-224' },
  '2.16.840.1.101.3.4.2.1': { bits: 128, name: 'SHA-256' },
  '2.16.840.1.101.3.4.2.2': { bits: 192, name: 'SHA-384' },
  '2.16.840.1.101.3.4.2.3': { bits: 256, name: 'SHA-512' },
  '2.16.840.1.101.3.4.2.5': { bits: 112, name: 'SHA-512/224' },
  '2.16.840.1.101.3.4.2.6': { bits: 128, name: 'SHA-512/256' },
  '2.16.840.1.101.3.4.2.7': { bits: 112, name: 'SHA3-224' },
  '2.16.840.1.101.3.4.2.8': { bits: 128, name: 'SHA3-256' },
  '2.16.840.1.101.3.4.2.9': { bits: 192, name: 'SHA3-384' },
  '2.16.840.1.101.3.4.2.10': { bits: 256, name: 'SHA3-512' },
};

export function signatureSecurityBits(c: ParsedCert): number | null {
  const m = meta(c);
  if (m.signatureOid === RSASSA_PSS) return m.pssHash === null ? null : (PSS_HASH_BITS[m.pssHash]?.bits ?? null);
  return SIGNATURE_BITS[m.signatureOid] ?? null;
}

/** A SHA-1 signature (OpenSSL 3.0 lowered its rating below level 1's 80 bits; 1.1.1 counted 80). */
function isSha1(c: ParsedCert): boolean {
  const m = meta(c);
  return m.signatureOid === RSASSA_PSS ? m.pssHash === '1.3.14.3.2.26' : SIGNATURE_BITS[m.signatureOid] === 63;
}

/** The signature algorithm as the detail names it (RSASSA-PSS with its hash). */
function signatureName(c: ParsedCert): string {
  const m = meta(c);
  const hash = m.signatureOid === RSASSA_PSS && m.pssHash !== null ? PSS_HASH_BITS[m.pssHash]?.name : undefined;
  return hash === undefined ? c.facts.signature_algorithm : `${c.facts.signature_algorithm} with ${hash}`;
}

/** The plain-words detail of an issue made here (explain.ts asks): which key or signature, its bits, the level's. */
export function weaknessDetail(err: number, c: ParsedCert, level: number): string {
  const name = c.facts.subject_cn ?? c.facts.subject;
  if (err === X509_ERR.CA_MD_TOO_WEAK) {
    const bits = signatureSecurityBits(c);
    return `${name} is signed with ${signatureName(c)} (${bits} bits of security); OpenSSL security level ${level} requires ` +
      `${requiredBits(level)}${isSha1(c) && level === 1 ? ' (OpenSSL 1.1.1 rated SHA-1 at 80 bits and accepted it at level 1)' : ''}`;
  }
  const k = c.facts.key;
  const q = k.type === 'DSA' ? meta(c).dsaQBits ?? null : null;
  const what = k.type === 'ECDSA' ? `${k.curve ?? 'EC'} key` : `${k.bits ?? '?'}-bit ${k.type} key${q !== null ? ` with a ${q}-bit q` : ''}`;
  return `${err === X509_ERR.EE_KEY_TOO_SMALL ? 'the server certificate' : 'the CA certificate'} ${name} has a ${what} ` +
    `(${keySecurityBits(c)} bits of security); OpenSSL security level ${level} requires ${requiredBits(level)}`;
}

/** EE_KEY_TOO_SMALL: checked on the leaf before the chain is built. */
export function checkLeafKeyLevel(leaf: ParsedCert, level: number): VerifyIssue[] {
  if (level <= 0) return [];
  const bits = keySecurityBits(leaf);
  if (bits === null || bits >= requiredBits(level)) return [];
  return [{ err: X509_ERR.EE_KEY_TOO_SMALL, depth: 0 }];
}

/** check_auth_level on the built chain (leaf first, top last). */
export function checkAuthLevel(chain: readonly ParsedCert[], level: number): VerifyIssue[] {
  if (level <= 0) return [];
  const need = requiredBits(level);
  const out: VerifyIssue[] = [];
  for (let i = 0; i < chain.length; i++) {
    const c = chain[i];
    if (i > 0) {
      const bits = keySecurityBits(c);
      if (bits !== null && bits < need) out.push({ err: X509_ERR.CA_KEY_TOO_SMALL, depth: i });
    }
    if (i < chain.length - 1) {
      const bits = signatureSecurityBits(c);
      if (bits !== null && bits < need) out.push({ err: X509_ERR.CA_MD_TOO_WEAK, depth: i });
    }
  }
  return out;
}
