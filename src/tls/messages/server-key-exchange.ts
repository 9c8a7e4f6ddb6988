/**
 * ServerKeyExchange for (EC)DHE suites (RFC 8422 §5.4): only the leading ServerECDHParams matter
 * here:
 *
 *   ECCurveType curve_type;    1 byte: 3 = named_curve (1, 2: explicit curves, deprecated)
 *   NamedCurve namedcurve;     2 bytes, when curve_type == named_curve
 *
 * Whether the message carries ECDH parameters depends on the cipher suite's key exchange, so the
 * caller passes whether the negotiated suite is ECDHE / ECDH_anon.
 */
import { ByteReader } from '../byte-reader.js';
import { cipherSuiteName } from '../registry/cipher-suites.js';

const NAMED_CURVE = 3;

/** true for suites whose ServerKeyExchange starts with ServerECDHParams. */
export function usesEcdheKeyExchange(cipherSuite: number): boolean {
  const n = cipherSuiteName(cipherSuite);
  return n.startsWith('TLS_ECDHE_') || n.startsWith('TLS_ECDH_anon_');
}

/** The named group, or null when the parameters are not a named curve. */
export function decodeServerKeyExchangeGroup(buf: Uint8Array, start: number, end: number): number | null {
  const r = new ByteReader(buf, start, end, 'tls.server_key_exchange');
  const curveType = r.u8('curve_type');
  if (curveType !== NAMED_CURVE) return null;
  return r.u16('namedcurve');
}
