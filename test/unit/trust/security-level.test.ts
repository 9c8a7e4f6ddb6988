/**
 * OpenSSL security levels (src/trust/security-level.ts): unit checks of the bit estimates, then a live
 * differential run against `openssl verify -auth_level N` (levels 0-4) on chains made at test time
 * with weak keys and digests, where OpenSSL is on PATH (CI installs it). Verified against a real
 * Traffic Server too: samples/ats-matrix (SHA-1 and 1024-bit RSA refused at Debian's level 2).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkAuthLevel, checkLeafKeyLevel, keySecurityBits, requiredBits, rsaSecurityBits, signatureSecurityBits, weaknessDetail } from '../../../src/trust/security-level.js';
import type { ParsedCert } from '../../../src/x509/parsed-cert.js';
import { validateChain } from '../../../src/trust/validate-chain.js';
import { LivePki, hasOpenssl3 } from './live-openssl.js';

describe('security bits', () => {
  it('RSA follows SP 800-56B as OpenSSL computes it', () => {
    expect(rsaSecurityBits(1024)).toBe(80);
    expect(rsaSecurityBits(2048)).toBe(112);
    expect(rsaSecurityBits(3072)).toBe(128);
    expect(rsaSecurityBits(4096)).toBe(152);
    expect(rsaSecurityBits(512)).toBe(56);
    expect(rsaSecurityBits(1536)).toBe(96);
    expect(rsaSecurityBits(2047)).toBeLessThanOrEqual(112);
    expect(rsaSecurityBits(2047)).toBeGreaterThan(96);
    // non-decreasing in the key size
    let last = 0;
    for (let n = 512; n <= 16384; n += 8) {
      const b = rsaSecurityBits(n);
      expect(b, String(n)).toBeGreaterThanOrEqual(last);
      last = b;
    }
  });

  it('levels require 0, 80, 112, 128, 192, 256 bits (above 5 as 5)', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map(requiredBits)).toEqual([0, 80, 112, 128, 192, 256, 256]);
  });
});

/**
 * ossl_ifc_ffc_compute_security_bits (crypto/rsa/rsa_lib.c) as OpenSSL computes it: fixed point
 * with 18 fraction bits (scale 2^18, log_2 0x02c5c8, log_e 0x05c551, 1.923 0x07b126, 4.690
 * 0x12c28f), integer cube root and natural logarithm, 64-bit unsigned arithmetic.
 */
function opensslRsaBits(n: number): number {
  const table: Record<number, number> = { 2048: 112, 3072: 128, 4096: 152, 6144: 176, 7680: 192, 8192: 200, 15360: 256 };
  if (table[n] !== undefined) return table[n];
  if (n >= 687737) return 1200;
  if (n < 8) return 0;
  const cap = n <= 7680 ? 192n : n <= 15360 ? 256n : 1200n;
  const scale = 1n << 18n, log2 = 0x02c5c8n, loge = 0x05c551n, c1923 = 0x07b126n, c4690 = 0x12c28fn;
  const u64 = (v: bigint) => BigInt.asUintN(64, v);
  const mul2 = (a: bigint, b: bigint) => u64(u64(a * b) / scale);
  const ilogE = (v0: bigint): bigint => {
    let v = v0, r = 0n;
    while (v >= 2n * scale) { v >>= 1n; r += scale; }
    for (let i = scale / 2n; i !== 0n; i /= 2n) {
      v = mul2(v, v);
      if (v >= 2n * scale) { v >>= 1n; r += i; }
    }
    return BigInt.asUintN(32, (r * scale) / loge);
  };
  const icbrt64 = (x0: bigint): bigint => {
    let x = x0, r = 0n;
    for (let s = 63n; s >= 0n; s -= 3n) {
      r = u64(r << 1n);
      const b = u64(3n * r * (r + 1n) + 1n);
      if (x >> s >= b) { x = u64(x - u64(b << s)); r++; }
    }
    return u64(r * (1n << 12n));
  };
  const x = u64(BigInt(n) * log2);
  const lx = ilogE(x);
  let y = BigInt.asUintN(16, u64(u64(mul2(c1923, icbrt64(mul2(mul2(x, lx), lx))) - c4690) / log2));
  y = BigInt.asUintN(16, (y + 4n) & ~7n);
  return Number(y > cap ? cap : y);
}

/** A certificate stand-in with just what the security-level checks read. */
function fake(type: string, bits: number | null, signatureOid = '1.2.840.113549.1.1.11', extra: Partial<ParsedCert['facts']> = {}, dsaQBits: number | null = null): ParsedCert {
  return {
    facts: { key: { type, bits, curve: null }, subject_cn: 'x.example', subject: 'CN=x.example', signature_algorithm: 'sha256WithRSAEncryption', ...extra },
    meta: { signatureOid, dsaQBits },
  } as unknown as ParsedCert;
}

describe('security bits as OpenSSL 3.0 computes them', () => {
  it('RSA: the same value as OpenSSL fixed-point formula for every size from 512 to 16384 bits and the canonical sizes', () => {
    const diff: string[] = [];
    for (let n = 512; n <= 16384; n++) if (rsaSecurityBits(n) !== opensslRsaBits(n)) diff.push(`${n}: ${rsaSecurityBits(n)} vs ${opensslRsaBits(n)}`);
    expect(diff.slice(0, 10)).toEqual([]);
    for (const n of [2048, 3072, 4096, 6144, 7680, 8192, 15360, 7, 0, 16385, 30000, 687736, 687737, 1_000_000]) {
      expect(rsaSecurityBits(n), String(n)).toBe(opensslRsaBits(n));
    }
  });

  it('EC by the order size (ec_security_bits), DSA by the modulus and q (BN_security_bits), EdDSA fixed', () => {
    const ec = [[521, 256], [512, 256], [511, 192], [384, 192], [383, 128], [256, 128], [255, 112], [224, 112], [223, 80], [160, 80], [159, 79], [112, 56]];
    for (const [bits, want] of ec) expect(keySecurityBits(fake('ECDSA', bits)), `EC ${bits}`).toBe(want);
    const dsa = [[15360, 256], [15359, 192], [7680, 192], [7679, 128], [3072, 128], [3071, 112], [2048, 112], [2047, 80], [1024, 80], [1023, 0]];
    for (const [bits, want] of dsa) expect(keySecurityBits(fake('DSA', bits)), `DSA ${bits}`).toBe(want);
    // BN_security_bits(L, N): half of q's size caps the modulus's rating, and under 80 it is 0
    const dsaQ = [[2048, 160, 80], [2048, 224, 112], [2048, 256, 112], [3072, 256, 128], [3072, 224, 112], [7680, 384, 192],
      [15360, 512, 256], [15360, 511, 255], [1024, 160, 80], [1024, 159, 0], [2048, 161, 80], [1023, 512, 0]];
    for (const [l, n, want] of dsaQ) expect(keySecurityBits(fake('DSA', l, undefined, {}, n)), `DSA ${l}/${n}`).toBe(want);
    expect(keySecurityBits(fake('Ed25519', 256))).toBe(128);
    expect(keySecurityBits(fake('Ed448', 456))).toBe(224);
    expect(keySecurityBits(fake('RSA-PSS', 2048))).toBe(112);
    expect(keySecurityBits(fake('RSA-PSS', 3000))).toBe(128);
    expect(keySecurityBits(fake('RSA', 1024))).toBe(80);
    for (const t of ['RSA', 'RSA-PSS', 'DSA', 'ECDSA']) expect(keySecurityBits(fake(t, null)), t).toBeNull();
    expect(keySecurityBits(fake('ML-DSA-65', 1952))).toBeNull();
  });

  it('a key exactly at the level passes; one bit of security short fails; level 0 and unrated keys check nothing', () => {
    expect(checkLeafKeyLevel(fake('RSA', 2048), 2)).toEqual([]);
    expect(checkLeafKeyLevel(fake('ECDSA', 223), 2)).toEqual([{ err: 66, depth: 0 }]);
    expect(checkLeafKeyLevel(fake('ECDSA', 224), 2)).toEqual([]);
    expect(checkLeafKeyLevel(fake('RSA', 1024), 1)).toEqual([]);
    expect(checkLeafKeyLevel(fake('RSA', 512), 1)).toEqual([{ err: 66, depth: 0 }]);
    expect(checkLeafKeyLevel(fake('RSA', 512), 0)).toEqual([]);
    expect(checkLeafKeyLevel(fake('ML-DSA-65', 1952), 5)).toEqual([]);
  });

  it('check_auth_level: issuer keys (depth > 0, the top too) and every signature but the top one', () => {
    const sha1 = '1.2.840.113549.1.1.5', sha256 = '1.2.840.113549.1.1.11', unknown = '1.2.3.4';
    const leaf = fake('RSA', 512, sha1), mid = fake('RSA', 1024, sha1), top = fake('RSA', 1024, sha1);
    const got = (chain: ParsedCert[], level: number) => checkAuthLevel(chain, level).map((i) => `${i.err}@${i.depth}`);
    // the leaf's own key is checked before the chain is built (checkLeafKeyLevel), not here
    expect(got([leaf, mid, top], 1)).toEqual(['68@0', '68@1']);
    expect(got([leaf, mid, top], 2)).toEqual(['68@0', '67@1', '68@1', '67@2']);
    expect(got([leaf, mid, top], 0)).toEqual([]);
    expect(got([fake('RSA', 2048, sha256), fake('RSA', 2048, sha256)], 2)).toEqual([]);
    // unrated signature and key: nothing; a lone certificate is the top, its signature is not checked
    expect(got([fake('RSA', 2048, unknown), fake('ML-DSA-65', 1952, unknown)], 5)).toEqual([]);
    expect(got([fake('RSA', 2048, sha256)], 3)).toEqual([]);
  });

  it('signature ratings: SHA-1 63 and MD5 39 ("known broken"), others half the digest; RSASSA-PSS not rated', () => {
    const bits = (oid: string) => signatureSecurityBits(fake('RSA', 2048, oid));
    expect(bits('1.2.840.113549.1.1.4')).toBe(39);
    expect(bits('1.2.840.113549.1.1.5')).toBe(63);
    expect(bits('1.2.840.10045.4.3.2')).toBe(128);
    expect(bits('1.3.101.112')).toBe(128);
    expect(bits('1.2.840.113549.1.1.10')).toBeNull();
  });

  it('explains each weakness with the key or digest, its bits and the level', () => {
    const sha1Leaf = fake('RSA', 2048, '1.2.840.113549.1.1.5', { signature_algorithm: 'sha1WithRSAEncryption' });
    expect(weaknessDetail(68, sha1Leaf, 1)).toBe(
      'x.example is signed with sha1WithRSAEncryption (63 bits of security); OpenSSL security level 1 requires 80 (OpenSSL 1.1.1 rated SHA-1 at 80 bits and accepted it at level 1)');
    expect(weaknessDetail(68, sha1Leaf, 2)).toBe('x.example is signed with sha1WithRSAEncryption (63 bits of security); OpenSSL security level 2 requires 112');
    const md5 = fake('RSA', 2048, '1.2.840.113549.1.1.4', { signature_algorithm: 'md5WithRSAEncryption' });
    expect(weaknessDetail(68, md5, 1)).toBe('x.example is signed with md5WithRSAEncryption (39 bits of security); OpenSSL security level 1 requires 80');
    expect(weaknessDetail(66, fake('RSA', 1024), 2)).toBe(
      'the server certificate x.example has a 1024-bit RSA key (80 bits of security); OpenSSL security level 2 requires 112');
    expect(weaknessDetail(67, fake('RSA', 1024), 3)).toBe(
      'the CA certificate x.example has a 1024-bit RSA key (80 bits of security); OpenSSL security level 3 requires 128');
    const p192 = fake('ECDSA', 192);
    expect(weaknessDetail(66, p192, 2)).toBe('the server certificate x.example has a EC key (80 bits of security); OpenSSL security level 2 requires 112');
    (p192.facts.key as { curve: string | null }).curve = 'prime192v1';
    expect(weaknessDetail(66, p192, 2)).toContain('has a prime192v1 key (80 bits');
    expect(weaknessDetail(66, fake('DSA', null, undefined, { subject_cn: null, subject: 'O=No CN' }), 2)).toBe(
      'the server certificate O=No CN has a ?-bit DSA key (null bits of security); OpenSSL security level 2 requires 112');
  });
});

describe.skipIf(!hasOpenssl3())('security levels: the same verdict as openssl verify -auth_level', () => {
  const pki = new LivePki();
  afterAll(() => pki.remove());
  const cert = pki.cert.bind(pki);
  const root = cert('root', 'rsa:2048', null, 'sha256', 'ca');
  const weakRoot = cert('weak-root', 'rsa:1024', null, 'sha256', 'ca');
  const sha1Root = cert('sha1-root', 'rsa:2048', null, 'sha1', 'ca');
  const weakInter = cert('weak-inter', 'rsa:1024', root, 'sha256', 'ca');
  const sha1Inter = cert('sha1-inter', 'ec:P-256', root, 'sha1', 'ca');
  const pssInter = cert('pss-inter', 'ec:P-256', root, 'pss-sha1', 'ca');
  /** leaf, its issuer chain sent after it, the trust store */
  const cases: Record<string, { leaf: () => string; sent: string[]; store: string[] }> = {
    rsa1024_leaf: { leaf: () => cert('l1', 'rsa:1024', root, 'sha256', 'leaf').name, sent: [], store: ['root'] },
    rsa2048_leaf: { leaf: () => cert('l2', 'rsa:2048', root, 'sha256', 'leaf').name, sent: [], store: ['root'] },
    rsa3072_leaf_sha384: { leaf: () => cert('l3', 'rsa:3072', root, 'sha384', 'leaf').name, sent: [], store: ['root'] },
    sha1_leaf: { leaf: () => cert('l4', 'ec:P-256', root, 'sha1', 'leaf').name, sent: [], store: ['root'] },
    sha224_leaf: { leaf: () => cert('l5', 'ec:P-256', root, 'sha224', 'leaf').name, sent: [], store: ['root'] },
    p192_leaf: { leaf: () => cert('l6', 'ec:prime192v1', root, 'sha256', 'leaf').name, sent: [], store: ['root'] },
    p384_leaf_sha512: { leaf: () => cert('l7', 'ec:P-384', root, 'sha512', 'leaf').name, sent: [], store: ['root'] },
    // curves outside the NIST set: rated by their order bits (secp160r1 161 → 80, secp224k1 225 → 112)
    secp160r1_leaf: { leaf: () => cert('l19', 'ec:secp160r1', root, 'sha256', 'leaf').name, sent: [], store: ['root'] },
    secp224k1_leaf: { leaf: () => cert('l20', 'ec:secp224k1', root, 'sha256', 'leaf').name, sent: [], store: ['root'] },
    weak_intermediate_key: { leaf: () => cert('l8', 'ec:P-256', weakInter, 'sha256', 'leaf').name, sent: ['weak-inter'], store: ['root'] },
    sha1_intermediate: { leaf: () => cert('l9', 'ec:P-256', sha1Inter, 'sha256', 'leaf').name, sent: ['sha1-inter'], store: ['root'] },
    weak_anchor_key: { leaf: () => cert('l10', 'ec:P-256', weakRoot, 'sha256', 'leaf').name, sent: [], store: ['weak-root'] },
    sha1_anchor_signature: { leaf: () => cert('l11', 'ec:P-256', sha1Root, 'sha256', 'leaf').name, sent: [], store: ['sha1-root'] },
    // sizes where a floating-point evaluation of the SP 800-56B formula rounds up early (80 and 112 bits)
    rsa919_leaf: { leaf: () => cert('l13', 'rsa:919', root, 'sha256', 'leaf').name, sent: [], store: ['root'] },
    rsa1962_leaf: { leaf: () => cert('l14', 'rsa:1962', root, 'sha256', 'leaf').name, sent: [], store: ['root'] },
    weak_leaf_and_sha1: { leaf: () => cert('l12', 'rsa:1024', root, 'sha1', 'leaf').name, sent: [], store: ['root'] },
    // RSASSA-PSS: rated by the hash in the signature's parameters (SHA-1 is their DEFAULT: left out of the DER)
    pss_sha1_leaf: { leaf: () => cert('l13', 'ec:P-256', root, 'pss-sha1', 'leaf').name, sent: [], store: ['root'] },
    pss_sha224_leaf: { leaf: () => cert('l14', 'ec:P-256', root, 'pss-sha224', 'leaf').name, sent: [], store: ['root'] },
    pss_sha256_leaf: { leaf: () => cert('l15', 'ec:P-384', root, 'pss-sha256', 'leaf').name, sent: [], store: ['root'] },
    pss_sha1_intermediate: { leaf: () => cert('l16', 'ec:P-256', pssInter, 'sha256', 'leaf').name, sent: ['pss-inter'], store: ['root'] },
    // DSA: rated by p and q together; a 2048-bit modulus with a 160-bit q is 80 bits (refused at level 2), 224 is 112
    dsa2048_q160_leaf: { leaf: () => cert('l17', 'dsa:2048:160', root, 'sha256', 'leaf').name, sent: [], store: ['root'] },
    dsa2048_q224_leaf: { leaf: () => cert('l18', 'dsa:2048:224', root, 'sha256', 'leaf').name, sent: [], store: ['root'] },
  };

  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const chain = pki.chain(c.leaf(), c.sent, c.store);
      const atSec = Math.floor(Date.now() / 1000);
      const verdicts: string[] = [];
      for (let level = 0; level <= 4; level++) {
        const theirs = chain.verify(['-auth_level', String(level)], atSec);
        const ours = validateChain({
          presented: [chain.leaf, ...chain.sent], store: chain.store, atMs: atSec * 1000, nowMs: atSec * 1000,
          checkedName: null, checkedNameSource: null, visible: true, securityLevel: level,
        });
        // openssl verify stops at these errors: our first error must be its only one
        expect(ours.status, `level ${level}`).toBe(theirs.length === 0 ? 'trusted' : 'untrusted');
        expect(ours.errors.slice(0, 1).map((e) => `${e.code}@${e.depth}`), `level ${level}`).toEqual(theirs.slice(0, 1));
        verdicts.push(theirs[0] ?? 'ok');
      }
      // every case must fail at some level and pass at level 0, or the case proves nothing
      expect(verdicts[0]).toBe('ok');
      expect(verdicts.some((v) => v !== 'ok')).toBe(true);
    });
  }

  it('rates keys and digests as OpenSSL does (P-192 80, P-384 192, SHA-1 63, SHA-224 112)', () => {
    const [p192, p384, sha1, sha224] = ['l6', 'l7', 'l4', 'l5'].map((n) => pki.parsed(n));
    expect(keySecurityBits(p192)).toBe(80);
    expect(keySecurityBits(p384)).toBe(192);
    expect(signatureSecurityBits(sha1)).toBe(63);
    expect(signatureSecurityBits(sha224)).toBe(112);
    expect(signatureSecurityBits(p384)).toBe(256);
    // the top of a chain is never checked for its own signature, only for its key
    const sha1Top = pki.parsed('sha1-root');
    expect(checkAuthLevel([sha1Top], 4)).toEqual([]);
    expect(checkAuthLevel([sha1, sha1Top], 2).map((i) => `${i.err}@${i.depth}`)).toEqual(['68@0']);
    // at level 3 its 2048-bit RSA key (112 bits) is too small, as an issuer's (67) even at the top
    expect(checkAuthLevel([sha224, sha1Top], 3).map((i) => `${i.err}@${i.depth}`)).toEqual(['68@0', '67@1']);
  });

  it('rates DSA keys by their modulus and subgroup order as OpenSSL does (2048/160: 80 bits, 2048/224: 112)', () => {
    const [q160, q224] = ['l17', 'l18'].map((n) => pki.parsed(n));
    expect([q160, q224].map((c) => `${c.facts.key.type} ${c.facts.key.bits}`)).toEqual(['DSA 2048', 'DSA 2048']);
    expect([q160, q224].map(keySecurityBits)).toEqual([80, 112]);
    expect(checkLeafKeyLevel(q160, 2)).toEqual([{ err: 66, depth: 0 }]);
    expect(checkLeafKeyLevel(q224, 2)).toEqual([]);
    expect(weaknessDetail(66, q160, 2)).toBe('the server certificate l17 has a 2048-bit DSA key with a 160-bit q (80 bits of security); OpenSSL security level 2 requires 112');
  });

  it('rates RSASSA-PSS by the hash in its parameters (SHA-1 by DEFAULT 64, SHA-224 112, SHA-256 128) and names it', () => {
    const [p1, p224, p256] = ['l13', 'l14', 'l15'].map((n) => pki.parsed(n));
    expect(p1.facts.signature_algorithm).toBe('RSASSA-PSS');
    expect([p1, p224, p256].map(signatureSecurityBits)).toEqual([64, 112, 128]);
    expect(weaknessDetail(68, p1, 1)).toBe('l13 is signed with RSASSA-PSS with SHA-1 (64 bits of security); OpenSSL security level 1 requires 80 ' +
      '(OpenSSL 1.1.1 rated SHA-1 at 80 bits and accepted it at level 1)');
    expect(weaknessDetail(68, p224, 3)).toBe('l14 is signed with RSASSA-PSS with SHA-224 (112 bits of security); OpenSSL security level 3 requires 128');
  });
});
