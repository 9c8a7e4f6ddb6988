/**
 * CertificateRequest, TLS ≤ 1.2 (RFC 5246 §7.4.4; TLS 1.0/1.1 and SSL 3.0 lack the algorithms):
 *
 *   ClientCertificateType certificate_types<1..2^8-1>;
 *   SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>;   TLS 1.2 only
 *   DistinguishedName certificate_authorities<0..2^16-1>;   (opaque DistinguishedName<1..2^16-1>)
 *
 * When the version is unknown (mid-stream capture), the TLS 1.2 layout is tried first and the
 * older one if it does not consume the message exactly. CA names are copied (they outlive the packet).
 */
import type { CertificateRequestInfo } from '../summary.js';
import { ByteReader } from '../byte-reader.js';
import { readVector, readU16List, expectEnd } from '../vector.js';
import { isDecodeError } from '../../diagnostics/decode-error.js';

function decodeLayout(buf: Uint8Array, start: number, end: number, withAlgorithms: boolean): CertificateRequestInfo {
  const r = new ByteReader(buf, start, end, 'tls.certificate_request');
  const types = readVector(r, 1, 0xff, 'certificate_types');
  const certificateTypes: number[] = [];
  while (types.remaining > 0) certificateTypes.push(types.u8());
  const signatureAlgorithms = withAlgorithms ? readU16List(r, 0, 0xffff, 'supported_signature_algorithms') : [];
  const cas = readVector(r, 0, 0xffff, 'certificate_authorities');
  const caNames: Uint8Array[] = [];
  while (cas.remaining > 0) {
    const dn = readVector(cas, 1, 0xffff, 'DistinguishedName');
    caNames.push(dn.bytes(dn.remaining).slice());
  }
  expectEnd(r, 'certificate_request');
  return { caNames, certificateTypes, signatureAlgorithms };
}

/** `version`: the negotiated version, or 0 when unknown. */
export function decodeCertificateRequest(buf: Uint8Array, start: number, end: number, version: number): CertificateRequestInfo {
  if (version !== 0) return decodeLayout(buf, start, end, version >= 0x0303);
  try {
    return decodeLayout(buf, start, end, true);
  } catch (e) {
    if (!isDecodeError(e)) throw e;
    return decodeLayout(buf, start, end, false);
  }
}
