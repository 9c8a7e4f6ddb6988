/**
 * ClientHello (RFC 8446 §4.1.2; RFC 5246 §7.4.1.2; SSL 3.0 RFC 6101 §5.6.1.2):
 *
 *   ProtocolVersion legacy_version;            2 bytes
 *   Random random;                             32 bytes
 *   opaque legacy_session_id<0..32>;
 *   CipherSuite cipher_suites<2..2^16-2>;
 *   opaque legacy_compression_methods<1..2^8-1>;
 *   Extension extensions<8..2^16-1>;           absent in SSL 3.0 / early TLS hellos
 *
 * Fills `out` as it goes, so a hello whose tail is malformed still yields what came before.
 */
import type { ClientHelloInfo } from '../summary.js';
import { ByteReader } from '../byte-reader.js';
import { readVector, readU16List } from '../vector.js';
import { ExtensionType } from '../registry/extensions.js';
import { decodeExtensions, decodeServerName, decodeAlpn, decodeClientSupportedVersions, decodeU16Extension } from './extensions.js';

export function newClientHelloInfo(recordVersion: number): ClientHelloInfo {
  return {
    legacyVersion: 0, recordVersion, supportedVersions: [], cipherSuites: [], sni: null, alpn: [],
    signatureAlgorithms: [], supportedGroups: [], extensions: [], sslv2: false,
  };
}

export function decodeClientHello(r: ByteReader, out: ClientHelloInfo): ClientHelloInfo {
  out.legacyVersion = r.u16('legacy_version');
  r.skip(32, 'random');
  readVector(r, 0, 32, 'legacy_session_id');
  out.cipherSuites = readU16List(r, 0, 0xffff, 'cipher_suites');
  readVector(r, 0, 0xff, 'legacy_compression_methods');
  if (r.remaining === 0) return out; // no extensions (SSL 3.0, old TLS stacks)
  decodeExtensions(r, out.extensions, (type, body) => {
    switch (type) {
      case ExtensionType.serverName: {
        const sni = decodeServerName(body);
        if (out.sni === null) out.sni = sni;
        break;
      }
      case ExtensionType.alpn: out.alpn = decodeAlpn(body); break;
      case ExtensionType.supportedVersions: out.supportedVersions = decodeClientSupportedVersions(body); break;
      case ExtensionType.signatureAlgorithms: out.signatureAlgorithms = decodeU16Extension(body, 'signature_algorithms'); break;
      case ExtensionType.supportedGroups: out.supportedGroups = decodeU16Extension(body, 'supported_groups'); break;
      default: break;
    }
  });
  return out;
}
