/**
 * SSL 2.0 messages (draft-hickman-netscape-ssl-00, "The SSL Protocol", 1995) and the
 * SSLv2-compatible CLIENT-HELLO of RFC 5246 Appendix E.2 / RFC 6101 Appendix E.1.
 *
 * Record header (2-byte form, MSB set; no padding):   length = ((b0 & 0x7f) << 8) | b1
 * Record header (3-byte form, MSB clear):              length = ((b0 & 0x3f) << 8) | b1, padding = b2
 *
 * CLIENT-HELLO:  msg_type(1)=1  version(2)  cipher_specs_length(2)  session_id_length(2)
 *                challenge_length(2)  cipher_specs[3*n]  session_id  challenge
 * SERVER-HELLO:  msg_type(1)=4  session_id_hit(1)  certificate_type(1)  server_version(2)
 *                certificate_length(2)  cipher_specs_length(2)  connection_id_length(2)
 *                certificate  cipher_specs  connection_id
 * CLIENT-MASTER-KEY: msg_type(1)=2  cipher_kind(3)  ...
 */
import type { ClientHelloInfo } from '../summary.js';
import { ByteReader } from '../byte-reader.js';

export const SSLV2_CLIENT_HELLO = 1;
export const SSLV2_CLIENT_MASTER_KEY = 2;
export const SSLV2_SERVER_HELLO = 4;

/** Fills a ClientHelloInfo from an SSLv2 (or v2-compatible) CLIENT-HELLO body starting at msg_type. */
export function decodeSslv2ClientHello(r: ByteReader, out: ClientHelloInfo): ClientHelloInfo {
  out.sslv2 = true;
  out.recordVersion = 0x0002;
  if (r.u8('msg_type') !== SSLV2_CLIENT_HELLO) r.fail('bad_type', 'not a CLIENT-HELLO');
  out.legacyVersion = r.u16('version');
  const specsLen = r.u16('cipher_specs_length');
  const sidLen = r.u16('session_id_length');
  const challengeLen = r.u16('challenge_length');
  if (specsLen % 3 !== 0) r.fail('bad_length', `cipher_specs_length ${specsLen} is not a multiple of 3`);
  const specs = r.sub(specsLen, 'cipher_specs');
  out.cipherSuites = [];
  while (specs.remaining > 0) {
    const kind = specs.u24('cipher_kind');
    // RFC 5246 E.2: V2CipherSpec {0x00, suite}: a TLS cipher suite; others are SSLv2 kinds
    out.cipherSuites.push(kind);
  }
  r.skip(sidLen, 'session_id');
  r.skip(challengeLen, 'challenge');
  return out;
}

export interface Sslv2ServerHello {
  version: number;
  /** view of the certificate DER (valid during the call only); cut short when the record was */
  certificate: Uint8Array | null;
  /** certificate_length as declared */
  certificateLength: number;
  cipherSpecs: number[];
}

export function decodeSslv2ServerHello(r: ByteReader): Sslv2ServerHello {
  if (r.u8('msg_type') !== SSLV2_SERVER_HELLO) r.fail('bad_type', 'not a SERVER-HELLO');
  r.u8('session_id_hit');
  r.u8('certificate_type');
  const version = r.u16('server_version');
  const certLen = r.u16('certificate_length');
  const specsLen = r.u16('cipher_specs_length');
  r.u16('connection_id_length');
  // a record cut by snaplen or a gap still yields the certificate prefix (handed over as incomplete)
  const have = Math.min(certLen, r.remaining);
  const certificate = certLen > 0 ? r.bytes(have, 'certificate') : null;
  const cipherSpecs: number[] = [];
  if (have < certLen) return { version, certificate, certificateLength: certLen, cipherSpecs };
  const specs = r.sub(Math.min(specsLen, r.remaining), 'cipher_specs');
  while (specs.remaining >= 3) cipherSpecs.push(specs.u24('cipher_kind'));
  return { version, certificate, certificateLength: certLen, cipherSpecs };
}

/** Cipher kind chosen by the client in CLIENT-MASTER-KEY. */
export function decodeSslv2ClientMasterKey(r: ByteReader): number {
  if (r.u8('msg_type') !== SSLV2_CLIENT_MASTER_KEY) r.fail('bad_type', 'not a CLIENT-MASTER-KEY');
  return r.u24('cipher_kind');
}
