/**
 * ServerKeyExchange for (EC)DHE suites (RFC 8422 §5.4): only the leading ServerECDHParams matter
 * here:
 *
 *   ECCurveType curve_type;    1 byte: 3 = named_curve (1, 2: explicit curves, deprecated)
 *   NamedCurve namedcurve;     2 bytes, when curve_type == named_curve
 *
 * ECDHE_PSK (RFC 5489 §2) puts a hint first:
 *
 *   opaque psk_identity_hint<0..2^16-1>;
 *   ServerECDHParams params;
 *
 * Whether the message carries ECDH parameters, and whether a hint comes first, depends on the
 * cipher suite's key exchange; the caller checks the negotiated suite.
 */
import { ByteReader } from '../byte-reader.js';
import { readVector } from '../vector.js';
import { cipherSuiteName } from '../registry/cipher-suites.js';

const NAMED_CURVE = 3;

/** true for suites whose ServerKeyExchange starts with ServerECDHParams. */
export function usesEcdheKeyExchange(cipherSuite: number): boolean {
  const n = cipherSuiteName(cipherSuite);
  return n.startsWith('TLS_ECDHE_') || n.startsWith('TLS_ECDH_anon_');
}

/** true for ECDHE_PSK suites, whose ServerECDHParams follow a psk_identity_hint. */
export function hasPskIdentityHint(cipherSuite: number): boolean {
  return cipherSuiteName(cipherSuite).startsWith('TLS_ECDHE_PSK_');
}

/** The named group, or null when the parameters are not a named curve. */
export function decodeServerKeyExchangeGroup(buf: Uint8Array, start: number, end: number, pskIdentityHint = false): number | null {
  const r = new ByteReader(buf, start, end, 'tls.server_key_exchange');
  if (pskIdentityHint) readVector(r, 0, 0xffff, 'psk_identity_hint');
  const curveType = r.u8('curve_type');
  if (curveType !== NAMED_CURVE) return null;
  return r.u16('namedcurve');
}
