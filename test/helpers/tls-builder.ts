/**
 * Builders for TLS / SSL 2.0 wire bytes used by tests (and reusable by other areas): records,
 * handshake messages (ClientHello with SNI/ALPN/versions/ciphers, ServerHello, Certificate,
 * CertificateRequest, ServerKeyExchange, ...), alerts, SSLv2 hellos, fake certificate DER.
 * Layouts follow RFC 8446 §4 / RFC 5246 §7.4 and draft-hickman-netscape-ssl-00.
 */

export const CT = { ccs: 20, alert: 21, handshake: 22, appData: 23 } as const;
export const HS = {
  clientHello: 1, serverHello: 2, newSessionTicket: 4, certificate: 11, serverKeyExchange: 12,
  certificateRequest: 13, serverHelloDone: 14, certificateVerify: 15, clientKeyExchange: 16, finished: 20,
  certificateStatus: 22,
} as const;

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export function bytes(...v: number[]): Uint8Array {
  return Uint8Array.from(v);
}

export function u8(n: number): Uint8Array { return bytes(n & 255); }
export function u16(n: number): Uint8Array { return bytes((n >> 8) & 255, n & 255); }
export function u24(n: number): Uint8Array { return bytes((n >> 16) & 255, (n >> 8) & 255, n & 255); }

/** `<len><body>` with a 1-, 2- or 3-byte length prefix. */
export function vec(lenBytes: 1 | 2 | 3, body: Uint8Array): Uint8Array {
  const len = lenBytes === 1 ? u8(body.length) : lenBytes === 2 ? u16(body.length) : u24(body.length);
  return concat(len, body);
}

export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 255);
}

/** One TLS record: type(1) version(2) length(2) body. */
export function record(type: number, body: Uint8Array, version = 0x0303): Uint8Array {
  return concat(u8(type), u16(version), u16(body.length), body);
}

/** Several records of `type` carrying `payload` split at the given fragment sizes (the rest in a last record). */
export function records(type: number, payload: Uint8Array, sizes: number[], version = 0x0303): Uint8Array {
  const out: Uint8Array[] = [];
  let o = 0;
  for (const n of sizes) {
    if (o >= payload.length) break;
    out.push(record(type, payload.subarray(o, Math.min(payload.length, o + n)), version));
    o += n;
  }
  if (o < payload.length) out.push(record(type, payload.subarray(o), version));
  return concat(...out);
}

/** A handshake message: msg_type(1) length(3) body. */
export function handshake(type: number, body: Uint8Array): Uint8Array {
  return concat(u8(type), u24(body.length), body);
}

export function extension(type: number, body: Uint8Array): Uint8Array {
  return concat(u16(type), vec(2, body));
}

export interface ClientHelloOptions {
  legacyVersion?: number;
  sni?: string;
  alpn?: string[];
  /** supported_versions (omitted when undefined) */
  versions?: number[];
  ciphers?: number[];
  groups?: number[];
  sigAlgs?: number[];
  sessionId?: Uint8Array;
  /** extra raw extensions [type, body] appended */
  extensions?: Array<[number, Uint8Array]>;
  /** omit the extensions block entirely (SSL 3.0 style) */
  noExtensions?: boolean;
}

export function clientHelloBody(o: ClientHelloOptions = {}): Uint8Array {
  const exts: Uint8Array[] = [];
  if (o.sni !== undefined) exts.push(extension(0, vec(2, concat(u8(0), vec(2, ascii(o.sni))))));
  if (o.groups) exts.push(extension(10, vec(2, concat(...o.groups.map(u16)))));
  if (o.sigAlgs) exts.push(extension(13, vec(2, concat(...o.sigAlgs.map(u16)))));
  if (o.alpn) exts.push(extension(16, vec(2, concat(...o.alpn.map((p) => vec(1, ascii(p)))))));
  if (o.versions) exts.push(extension(43, vec(1, concat(...o.versions.map(u16)))));
  for (const [t, b] of o.extensions ?? []) exts.push(extension(t, b));
  const parts = [
    u16(o.legacyVersion ?? 0x0303), new Uint8Array(32).fill(0x11), vec(1, o.sessionId ?? new Uint8Array(0)),
    vec(2, concat(...(o.ciphers ?? [0x1301, 0xc02c, 0xc02f]).map(u16))), vec(1, bytes(0)),
  ];
  if (!o.noExtensions) parts.push(vec(2, concat(...exts)));
  return concat(...parts);
}

export function clientHello(o: ClientHelloOptions = {}): Uint8Array {
  return handshake(HS.clientHello, clientHelloBody(o));
}

/** RFC 8446 §4.1.3 HelloRetryRequest random */
export const HRR_RANDOM = bytes(
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
);

export interface ServerHelloOptions {
  legacyVersion?: number;
  cipher?: number;
  /** supported_versions selected_version (omitted when undefined) */
  version?: number;
  alpn?: string;
  hrr?: boolean;
  compression?: number;
  extensions?: Array<[number, Uint8Array]>;
  noExtensions?: boolean;
}

export function serverHelloBody(o: ServerHelloOptions = {}): Uint8Array {
  const exts: Uint8Array[] = [];
  if (o.alpn !== undefined) exts.push(extension(16, vec(2, vec(1, ascii(o.alpn)))));
  if (o.version !== undefined) exts.push(extension(43, u16(o.version)));
  for (const [t, b] of o.extensions ?? []) exts.push(extension(t, b));
  const parts = [
    u16(o.legacyVersion ?? 0x0303), o.hrr ? HRR_RANDOM : new Uint8Array(32).fill(0x22), vec(1, new Uint8Array(32).fill(0x33)),
    u16(o.cipher ?? 0xc02f), u8(o.compression ?? 0),
  ];
  if (!o.noExtensions) parts.push(vec(2, concat(...exts)));
  return concat(...parts);
}

export function serverHello(o: ServerHelloOptions = {}): Uint8Array {
  return handshake(HS.serverHello, serverHelloBody(o));
}

/** TLS ≤ 1.2 Certificate: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. */
export function certificate(ders: Uint8Array[]): Uint8Array {
  return handshake(HS.certificate, vec(3, concat(...ders.map((d) => vec(3, d)))));
}

export function certificateRequest(o: { types?: number[]; sigAlgs?: number[]; caNames?: Uint8Array[]; tls12?: boolean } = {}): Uint8Array {
  const parts = [vec(1, bytes(...(o.types ?? [1, 64])))];
  if (o.tls12 !== false) parts.push(vec(2, concat(...(o.sigAlgs ?? [0x0401, 0x0403]).map(u16))));
  parts.push(vec(2, concat(...(o.caNames ?? []).map((n) => vec(2, n)))));
  return handshake(HS.certificateRequest, concat(...parts));
}

/** ServerKeyExchange with ServerECDHParams for a named curve (RFC 8422 §5.4), fake point and signature. */
export function serverKeyExchangeEcdhe(group: number): Uint8Array {
  return handshake(HS.serverKeyExchange, concat(u8(3), u16(group), vec(1, new Uint8Array(65).fill(4)), u16(0x0401), vec(2, new Uint8Array(64).fill(9))));
}

export function serverHelloDone(): Uint8Array {
  return handshake(HS.serverHelloDone, new Uint8Array(0));
}

export function clientKeyExchange(n = 66): Uint8Array {
  return handshake(HS.clientKeyExchange, vec(1, new Uint8Array(n - 1).fill(5)));
}

export function newSessionTicket(n = 32): Uint8Array {
  return handshake(HS.newSessionTicket, concat(bytes(0, 0, 0x1c, 0x20), vec(2, new Uint8Array(n).fill(7))));
}

export function alertRecord(level: number, description: number, version = 0x0303): Uint8Array {
  return record(CT.alert, bytes(level, description), version);
}

export function ccsRecord(version = 0x0303): Uint8Array {
  return record(CT.ccs, bytes(1), version);
}

/** An "encrypted" record of `n` bytes (Finished after CCS, application data, encrypted alert). */
export function opaqueRecord(type: number, n: number, version = 0x0303, fill = 0xa5): Uint8Array {
  return record(type, new Uint8Array(n).fill(fill), version);
}

/**
 * A fake certificate: a DER SEQUENCE of exactly `n` bytes (n ≥ 4) whose content is derived from
 * `seed` (so different seeds give different SHA-256s).
 */
export function fakeDer(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  out[0] = 0x30;
  const body = n - 4;
  out[1] = 0x82; out[2] = (body >> 8) & 255; out[3] = body & 255;
  let x = seed * 2654435761 >>> 0;
  for (let i = 4; i < n; i++) { x = (Math.imul(x, 1103515245) + 12345) >>> 0; out[i] = x >>> 24; }
  return out;
}

/** SSL 2.0 record with a 2-byte header (MSB set). */
export function sslv2Record(body: Uint8Array): Uint8Array {
  return concat(bytes(0x80 | ((body.length >> 8) & 0x7f), body.length & 255), body);
}

/** SSLv2 CLIENT-HELLO record (version 0x0002 = SSL 2.0, 0x0301 = v2-compatible TLS 1.0 hello). */
export function sslv2ClientHello(o: { version?: number; specs?: number[]; challenge?: number } = {}): Uint8Array {
  const specs = o.specs ?? [0x010080, 0x000035, 0x00002f];
  const challenge = new Uint8Array(o.challenge ?? 16).fill(0x44);
  return sslv2Record(concat(u8(1), u16(o.version ?? 0x0002), u16(specs.length * 3), u16(0), u16(challenge.length), ...specs.map(u24), challenge));
}

/** SSLv2 SERVER-HELLO record carrying the certificate. */
export function sslv2ServerHello(cert: Uint8Array, specs: number[] = [0x010080]): Uint8Array {
  const connId = new Uint8Array(16).fill(0x55);
  return sslv2Record(concat(u8(4), u8(0), u8(1), u16(0x0002), u16(cert.length), u16(specs.length * 3), u16(connId.length), cert, ...specs.map(u24), connId));
}

/** SSLv2 CLIENT-MASTER-KEY record (cleartext part only matters). */
export function sslv2ClientMasterKey(kind = 0x010080): Uint8Array {
  return sslv2Record(concat(u8(2), u24(kind), u16(0), u16(8), u16(0), new Uint8Array(8).fill(0x66)));
}
