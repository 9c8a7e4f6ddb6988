/**
 * Named groups (IANA "TLS Supported Groups"; RFC 8422 §5.1.1, RFC 7919, RFC 8446 §4.2.7,
 * draft-ietf-tls-ecdhe-mlkem; GREASE per RFC 8701).
 */
import { lookupName } from './grease.js';

const NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'sect163k1'], [2, 'sect163r1'], [3, 'sect163r2'], [4, 'sect193r1'], [5, 'sect193r2'], [6, 'sect233k1'],
  [7, 'sect233r1'], [8, 'sect239k1'], [9, 'sect283k1'], [10, 'sect283r1'], [11, 'sect409k1'], [12, 'sect409r1'],
  [13, 'sect571k1'], [14, 'sect571r1'], [15, 'secp160k1'], [16, 'secp160r1'], [17, 'secp160r2'],
  [18, 'secp192k1'], [19, 'secp192r1'], [20, 'secp224k1'], [21, 'secp224r1'], [22, 'secp256k1'],
  [23, 'secp256r1'], [24, 'secp384r1'], [25, 'secp521r1'], [26, 'brainpoolP256r1'], [27, 'brainpoolP384r1'],
  [28, 'brainpoolP512r1'], [29, 'x25519'], [30, 'x448'], [31, 'brainpoolP256r1tls13'],
  [32, 'brainpoolP384r1tls13'], [33, 'brainpoolP512r1tls13'], [34, 'GC256A'], [35, 'GC256B'], [36, 'GC256C'],
  [37, 'GC256D'], [38, 'GC512A'], [39, 'GC512B'], [40, 'GC512C'], [41, 'curveSM2'],
  [256, 'ffdhe2048'], [257, 'ffdhe3072'], [258, 'ffdhe4096'], [259, 'ffdhe6144'], [260, 'ffdhe8192'],
  [512, 'MLKEM512'], [513, 'MLKEM768'], [514, 'MLKEM1024'],
  [0x11eb, 'SecP256r1MLKEM768'], [0x11ec, 'X25519MLKEM768'], [0x11ed, 'SecP384r1MLKEM1024'],
  [0x6399, 'X25519Kyber768Draft00'], [0x639a, 'SecP256r1Kyber768Draft00'],
  [0xff01, 'arbitrary_explicit_prime_curves'], [0xff02, 'arbitrary_explicit_char2_curves'],
]);

/** `x25519`, `secp256r1`, `GREASE (0x2a2a)`, else `0x1234`. */
export function groupName(g: number): string {
  return lookupName(NAMES, g);
}
