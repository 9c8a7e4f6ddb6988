/**
 * ServerHello (RFC 8446 §4.1.3; RFC 5246 §7.4.1.3):
 *
 *   ProtocolVersion legacy_version;            2 bytes
 *   Random random;                             32 bytes (HelloRetryRequest: SHA-256("HelloRetryRequest"))
 *   opaque legacy_session_id_echo<0..32>;
 *   CipherSuite cipher_suite;                  2 bytes
 *   uint8 legacy_compression_method;
 *   Extension extensions<6..2^16-1>;           optional before TLS 1.3
 *
 * TLS 1.3 drafts before -22 (legacy_version 0x7f01..0x7f15) had no session id and no compression
 * byte (draft-ietf-tls-tls13-21 §4.1.3). The negotiated version is supported_versions when present.
 */
import type { ServerHelloInfo } from '../summary.js';
import { ByteReader } from '../byte-reader.js';
import { readVector, expectEnd } from '../vector.js';
import { ExtensionType } from '../registry/extensions.js';
import { decodeExtensions, decodeAlpn } from './extensions.js';

/** RFC 8446 §4.1.3: the Random of a HelloRetryRequest. */
const HRR_RANDOM = [
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

export interface ServerHelloExtra {
  /** the version came from the supported_versions extension */
  versionFromExtension: boolean;
}

export function newServerHelloInfo(): ServerHelloInfo {
  return { legacyVersion: 0, version: 0, cipherSuite: -1, compression: 0, alpn: null, extensions: [], helloRetryRequest: false };
}

function isPre22Draft(v: number): boolean {
  return v >> 8 === 0x7f && (v & 0xff) > 0 && (v & 0xff) < 22;
}

export function decodeServerHello(r: ByteReader, out: ServerHelloInfo): ServerHelloExtra {
  const extra: ServerHelloExtra = { versionFromExtension: false };
  out.legacyVersion = r.u16('legacy_version');
  out.version = out.legacyVersion;
  const random = r.bytes(32, 'random');
  let hrr = true;
  for (let i = 0; i < 32; i++) if (random[i] !== HRR_RANDOM[i]) { hrr = false; break; }
  out.helloRetryRequest = hrr;
  const draft = isPre22Draft(out.legacyVersion);
  if (!draft) readVector(r, 0, 32, 'legacy_session_id_echo');
  out.cipherSuite = r.u16('cipher_suite');
  if (!draft) out.compression = r.u8('legacy_compression_method');
  if (r.remaining === 0) return extra;
  decodeExtensions(r, out.extensions, (type, body) => {
    if (type === ExtensionType.supportedVersions) {
      out.version = body.u16('selected_version');
      expectEnd(body, 'supported_versions');
      extra.versionFromExtension = true;
    } else if (type === ExtensionType.alpn) {
      const names = decodeAlpn(body);
      out.alpn = names.length > 0 ? names[0] : null;
    }
  });
  return extra;
}
