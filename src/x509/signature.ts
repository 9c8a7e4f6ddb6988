/**
 * Certificate signature checks, all through node:crypto (OpenSSL's X509_verify): RSA PKCS#1 v1.5,
 * RSASSA-PSS, ECDSA (named or explicit curves), Ed25519/Ed448, DSA. An algorithm OpenSSL does not
 * know (e.g. ML-DSA on OpenSSL 3.0) makes node throw: that is "does not verify". Results are
 * cached per (certificate, issuer) pair because the same chains recur on every connection.
 */
import type { ParsedCert } from './parsed-cert.js';

const cache = new WeakMap<ParsedCert, Map<string, boolean>>();

/** Does `issuer`'s public key verify `child`'s signature? Never throws. */
export function verifiesSignature(child: ParsedCert, issuer: ParsedCert): boolean {
  let m = cache.get(child);
  const hit = m?.get(issuer.sha256);
  if (hit !== undefined) return hit;
  let ok = false;
  if (child.x509 && issuer.x509) {
    try {
      ok = child.x509.verify(issuer.x509.publicKey);
    } catch {
      ok = false;
    }
  }
  if (!m) cache.set(child, (m = new Map()));
  m.set(issuer.sha256, ok);
  return ok;
}
