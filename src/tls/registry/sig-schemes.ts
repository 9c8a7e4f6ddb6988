/**
 * SignatureScheme names (IANA "TLS SignatureScheme"; RFC 8446 §4.2.3, RFC 8734, RFC 8998,
 * draft-ietf-tls-mldsa). TLS 1.2 hash/signature pairs (RFC 5246 §7.4.1.4.1) that are not
 * registered schemes render as `sha224_rsa`-style names; anything else as its number.
 */
import { hex4, isGrease } from './grease.js';

const NAMES: ReadonlyMap<number, string> = new Map([
  [0x0201, 'rsa_pkcs1_sha1'], [0x0203, 'ecdsa_sha1'], [0x0401, 'rsa_pkcs1_sha256'],
  [0x0403, 'ecdsa_secp256r1_sha256'], [0x0420, 'rsa_pkcs1_sha256_legacy'], [0x0501, 'rsa_pkcs1_sha384'],
  [0x0503, 'ecdsa_secp384r1_sha384'], [0x0520, 'rsa_pkcs1_sha384_legacy'], [0x0601, 'rsa_pkcs1_sha512'],
  [0x0603, 'ecdsa_secp521r1_sha512'], [0x0620, 'rsa_pkcs1_sha512_legacy'], [0x0704, 'eccsi_sha256'],
  [0x0705, 'iso_ibs1'], [0x0706, 'iso_ibs2'], [0x0707, 'iso_chinese_ibs'], [0x0708, 'sm2sig_sm3'],
  [0x0709, 'gostr34102012_256a'], [0x070a, 'gostr34102012_256b'], [0x070b, 'gostr34102012_256c'],
  [0x070c, 'gostr34102012_256d'], [0x070d, 'gostr34102012_512a'], [0x070e, 'gostr34102012_512b'],
  [0x070f, 'gostr34102012_512c'], [0x0804, 'rsa_pss_rsae_sha256'], [0x0805, 'rsa_pss_rsae_sha384'],
  [0x0806, 'rsa_pss_rsae_sha512'], [0x0807, 'ed25519'], [0x0808, 'ed448'], [0x0809, 'rsa_pss_pss_sha256'],
  [0x080a, 'rsa_pss_pss_sha384'], [0x080b, 'rsa_pss_pss_sha512'], [0x081a, 'ecdsa_brainpoolP256r1tls13_sha256'],
  [0x081b, 'ecdsa_brainpoolP384r1tls13_sha384'], [0x081c, 'ecdsa_brainpoolP512r1tls13_sha512'],
  [0x0904, 'mldsa44'], [0x0905, 'mldsa65'], [0x0906, 'mldsa87'],
]);

const HASHES = ['none', 'md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
const SIGS = ['anonymous', 'rsa', 'dsa', 'ecdsa'];

/** `ecdsa_secp256r1_sha256`, legacy `sha224_rsa`, `GREASE (0x0a0a)`, else `0x1234`. */
export function signatureSchemeName(s: number): string {
  const n = NAMES.get(s);
  if (n !== undefined) return n;
  if (isGrease(s)) return `GREASE (${hex4(s)})`;
  const h = s >> 8, g = s & 0xff;
  if (h < HASHES.length && g < SIGS.length) return `${HASHES[h]}_${SIGS[g]}`;
  return hex4(s);
}
