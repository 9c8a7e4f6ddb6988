/**
 * Hello extensions (RFC 8446 §4.2; RFC 6066 §3 server_name; RFC 7301 §3.1 ALPN; RFC 8446 §4.2.1
 * supported_versions, §4.2.3 signature_algorithms, §4.2.7 supported_groups):
 *
 *   struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
 *   Extension extensions<0..2^16-1>;   (RFC 8446 has <8..2^16-1> for ClientHello; we accept any)
 *
 * `decodeExtensions` walks the block and calls `onExtension(type, body)` with a reader over each
 * extension body; the per-extension decoders below fill the caller's output object.
 */
import { ByteReader } from '../byte-reader.js';
import { readU16List, readVector, expectEnd } from '../vector.js';

export function decodeExtensions(r: ByteReader, types: number[], onExtension: (type: number, body: ByteReader) => void): void {
  const block = readVector(r, 0, 0xffff, 'extensions');
  while (block.remaining > 0) {
    const type = block.u16('extension type');
    const body = readVector(block, 0, 0xffff, 'extension_data');
    types.push(type);
    onExtension(type, body);
  }
}

/** server_name (RFC 6066 §3): the first host_name (type 0), raw bytes as a latin1 string. */
export function decodeServerName(body: ByteReader): string | null {
  if (body.remaining === 0) return null; // ServerHello echoes an empty server_name
  const list = readVector(body, 1, 0xffff, 'server_name_list');
  let first: string | null = null;
  while (list.remaining > 0) {
    const nameType = list.u8('name_type');
    const name = readVector(list, 0, 0xffff, 'server name');
    if (nameType === 0 && first === null) first = name.latin1(name.remaining, 'host_name');
  }
  expectEnd(body, 'server_name');
  return first;
}

/** application_layer_protocol_negotiation (RFC 7301 §3.1): ProtocolName protocol_name_list<2..2^16-1>. */
export function decodeAlpn(body: ByteReader): string[] {
  const list = readVector(body, 0, 0xffff, 'protocol_name_list');
  const out: string[] = [];
  while (list.remaining > 0) {
    const name = readVector(list, 0, 0xff, 'ProtocolName');
    out.push(name.latin1(name.remaining, 'ProtocolName'));
  }
  expectEnd(body, 'alpn');
  return out;
}

/** supported_versions in a ClientHello (RFC 8446 §4.2.1): ProtocolVersion versions<2..254>. */
export function decodeClientSupportedVersions(body: ByteReader): number[] {
  const v = readU16List(body, 0, 254, 'supported_versions');
  expectEnd(body, 'supported_versions');
  return v;
}

/** signature_algorithms / supported_groups: a u16 list with a 2-byte length. */
export function decodeU16Extension(body: ByteReader, what: string): number[] {
  const v = readU16List(body, 0, 0xffff, what);
  expectEnd(body, what);
  return v;
}
