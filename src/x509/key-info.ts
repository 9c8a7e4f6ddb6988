/**
 * Public key type, size and curve. node:crypto (OpenSSL) is asked first; when it cannot load the
 * key (unknown algorithm such as ML-DSA, odd encodings) the SubjectPublicKeyInfo algorithm OID
 * and parameters decide (RFC 5480 §2.1.1 for EC: a namedCurve OID, or ECParameters = explicit).
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { TAG, children, content, readTlv } from './der.js';
import { CURVES, KEY_ALGORITHMS, NODE_CURVE_NAMES } from './oids.js';
import type { CurveParams } from './tbs.js';

export interface KeyInfo {
  type: string;
  bits: number | null;
  curve: string | null;
  family: 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | 'unknown';
  explicitCurve: boolean;
  /** DSA: size of the subgroup order q in bits (OpenSSL weighs it in the key's security bits); absent otherwise or unknown */
  dsaQBits?: number;
}

/** OpenSSL's EVP_PKEY_get_bits for the EdDSA keys (crypto/ec/ecx_key.h ED25519_BITS / ED448_BITS). */
const ED_BITS = { Ed25519: 256, Ed448: 456 } as const;

function bitLength(intContent: Uint8Array): number {
  let i = 0;
  while (i < intContent.length && intContent[i] === 0) i++;
  if (i === intContent.length) return 0;
  return (intContent.length - i - 1) * 8 + (32 - Math.clz32(intContent[i]));
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 §A.1.1) */
function rsaBits(key: Uint8Array): number | null {
  try {
    const seq = readTlv(key, 0, key.length, TAG.sequence);
    const n = children(key, seq)[0];
    return n && n.tag === TAG.integer ? bitLength(content(key, n)) : null;
  } catch {
    return null;
  }
}

function ecFromSpki(params: CurveParams | null): { curve: string | null; bits: number | null; explicit: boolean } {
  if (params?.kind === 'named') {
    const c = CURVES[params.oid];
    return c ? { curve: c.name, bits: c.bits, explicit: false } : { curve: params.oid, bits: null, explicit: false };
  }
  if (params?.kind === 'explicit') {
    // OpenSSL's EC key size is the bit length of the group order (ec_bits, crypto/ec/ec_ameth.c:
    // EC_GROUP_order_bits), not of the field: 521 for P-521, 225 for secp224k1
    return { curve: 'explicit', bits: params.order ? bitLength(params.order) : null, explicit: true };
  }
  return { curve: null, bits: null, explicit: false };
}

function fromNode(pk: KeyObject, params: CurveParams | null): KeyInfo | null {
  const d = pk.asymmetricKeyDetails ?? {};
  switch (pk.asymmetricKeyType) {
    case 'rsa':
      return { type: 'RSA', bits: d.modulusLength ?? null, curve: null, family: 'rsa', explicitCurve: false };
    case 'rsa-pss':
      return { type: 'RSA-PSS', bits: d.modulusLength ?? null, curve: null, family: 'rsa', explicitCurve: false };
    case 'dsa':
      return { type: 'DSA', bits: d.modulusLength ?? null, curve: null, family: 'dsa', explicitCurve: false, dsaQBits: d.divisorLength };
    case 'ed25519':
      return { type: 'Ed25519', bits: ED_BITS.Ed25519, curve: null, family: 'ed25519', explicitCurve: false };
    case 'ed448':
      return { type: 'Ed448', bits: ED_BITS.Ed448, curve: null, family: 'ed448', explicitCurve: false };
    case 'ec': {
      const spki = ecFromSpki(params);
      if (spki.explicit || !d.namedCurve || d.namedCurve === 'UNDEF') {
        return { type: 'ECDSA', bits: spki.bits, curve: spki.curve ?? 'explicit', family: 'ec', explicitCurve: spki.explicit || !spki.curve };
      }
      const curve = NODE_CURVE_NAMES[d.namedCurve] ?? d.namedCurve;
      return { type: 'ECDSA', bits: spki.bits, curve, family: 'ec', explicitCurve: false };
    }
    default:
      return null;
  }
}

/** Key facts from node:crypto when possible, else from the SubjectPublicKeyInfo. */
export function keyInfo(x509: X509Certificate | null, spkiAlgorithm: string | null, params: CurveParams | null, spkiKey: Uint8Array | null): KeyInfo {
  if (x509) {
    try {
      const k = fromNode(x509.publicKey, params);
      if (k) return k;
    } catch {
      /* node cannot load this key: fall through to the SPKI */
    }
  }
  const type = spkiAlgorithm ? KEY_ALGORITHMS[spkiAlgorithm] : undefined;
  switch (type) {
    case 'RSA':
    case 'RSA-PSS':
      return { type, bits: spkiKey ? rsaBits(spkiKey) : null, curve: null, family: 'rsa', explicitCurve: false };
    case 'ECDSA': {
      const e = ecFromSpki(params);
      return { type, bits: e.bits, curve: e.curve, family: 'ec', explicitCurve: e.explicit };
    }
    case 'Ed25519':
    case 'Ed448':
      return { type, bits: ED_BITS[type], curve: null, family: type === 'Ed25519' ? 'ed25519' : 'ed448', explicitCurve: false };
    case 'DSA':
      return { type, bits: null, curve: null, family: 'dsa', explicitCurve: false };
    default:
      return { type: 'unknown', bits: null, curve: null, family: 'unknown', explicitCurve: false };
  }
}
