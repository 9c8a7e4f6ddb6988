/**
 * TLS message builders for synthetic seeds (RFC 5246 §7.4 for TLS 1.2, RFC 8446 §4 for 1.3).
 * Vectors follow RFC 5246 §4.3: a big-endian length prefix of the width implied by the maximum.
 */
import { ascii, concat, u16, u24, u8 } from './bytes.js';

export const ContentType = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;
export const HandshakeType = { clientHello: 1, serverHello: 2, certificate: 11, serverKeyExchange: 12, certificateRequest: 13, serverHelloDone: 14 } as const;

export function vec8(b: Uint8Array): Uint8Array {
  return concat([u8(b.length), b]);
}
export function vec16(b: Uint8Array): Uint8Array {
  return concat([u16(b.length), b]);
}
export function vec24(b: Uint8Array): Uint8Array {
  return concat([u24(b.length), b]);
}

export function handshake(type: number, body: Uint8Array): Uint8Array {
  return concat([u8(type), u24(body.length), body]);
}

/** One record per ≤ 2^14 bytes of `payload` (RFC 5246 §6.2.1 fragmentation). */
export function records(type: number, payload: Uint8Array, version = 0x0303, maxFragment = 16384): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let o = 0; o < payload.length || o === 0; o += maxFragment) {
    const frag = payload.subarray(o, Math.min(payload.length, o + maxFragment));
    parts.push(concat([u8(type), u16(version), u16(frag.length), frag]));
    if (payload.length === 0) break;
  }
  return concat(parts);
}

function ext(type: number, data: Uint8Array): Uint8Array {
  return concat([u16(type), vec16(data)]);
}

export interface ClientHelloSpec {
  sni?: string;
  alpn?: string[];
  /** supported_versions (e.g. [0x0304, 0x0303]) */
  versions?: number[];
  ciphers?: number[];
  /** extra raw extensions appended */
  extra?: Uint8Array[];
}

const RANDOM = new Uint8Array(32).fill(0x5a);

export function clientHello(s: ClientHelloSpec): Uint8Array {
  const exts: Uint8Array[] = [];
  if (s.sni !== undefined) exts.push(ext(0, vec16(concat([u8(0), vec16(ascii(s.sni))]))));
  exts.push(ext(10, vec16(concat([u16(0x001d), u16(0x0017)])))); // supported_groups
  exts.push(ext(13, vec16(concat([u16(0x0403), u16(0x0804), u16(0x0401)])))); // signature_algorithms
  if (s.alpn) exts.push(ext(16, vec16(concat(s.alpn.map((p) => vec8(ascii(p)))))));
  if (s.versions) exts.push(ext(43, vec8(concat(s.versions.map(u16)))));
  for (const e of s.extra ?? []) exts.push(e);
  const ciphers = s.ciphers ?? [0x1301, 0xc02b, 0xc02f, 0x009c];
  const body = concat([u16(0x0303), RANDOM, vec8(new Uint8Array(32).fill(1)), vec16(concat(ciphers.map(u16))), vec8(u8(0)), vec16(concat(exts))]);
  return handshake(HandshakeType.clientHello, body);
}

export function serverHello(cipher: number, version: number | null = null, alpn?: string): Uint8Array {
  const exts: Uint8Array[] = [];
  if (version !== null) exts.push(ext(43, u16(version)));
  if (alpn !== undefined) exts.push(ext(16, vec16(vec8(ascii(alpn)))));
  const body = concat([u16(0x0303), RANDOM, vec8(new Uint8Array(32).fill(1)), u16(cipher), u8(0), vec16(concat(exts))]);
  return handshake(HandshakeType.serverHello, body);
}

/** TLS 1.2 Certificate message (RFC 5246 §7.4.2). */
export function certificate12(ders: readonly Uint8Array[]): Uint8Array {
  return handshake(HandshakeType.certificate, vec24(concat(ders.map(vec24))));
}

/** CertificateRequest (RFC 5246 §7.4.4) with the given CA distinguished names. */
export function certificateRequest12(caNames: readonly Uint8Array[]): Uint8Array {
  const body = concat([vec8(Uint8Array.of(1, 64)), vec16(concat([u16(0x0403), u16(0x0804)])), vec16(concat(caNames.map(vec16)))]);
  return handshake(HandshakeType.certificateRequest, body);
}

/** ECDHE ServerKeyExchange (RFC 8422 §5.4) with a dummy point and signature. */
export function serverKeyExchange(): Uint8Array {
  const body = concat([u8(3), u16(0x0017), vec8(new Uint8Array(65).fill(4)), u16(0x0403), vec16(new Uint8Array(70).fill(0x30))]);
  return handshake(HandshakeType.serverKeyExchange, body);
}

export function serverHelloDone(): Uint8Array {
  return handshake(HandshakeType.serverHelloDone, new Uint8Array(0));
}

export function alert(level: number, description: number): Uint8Array {
  return records(ContentType.alert, Uint8Array.of(level, description));
}

export function changeCipherSpec(): Uint8Array {
  return records(ContentType.changeCipherSpec, u8(1));
}

export function applicationData(n: number): Uint8Array {
  return records(ContentType.applicationData, new Uint8Array(n).fill(0xaa));
}
