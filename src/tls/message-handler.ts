/**
 * Decodes the handshake messages a session hands over and records what they say in
 * ConnectionFacts (Zeek tls-handshake-analyzer idea: grammar in messages/, actions here).
 * Exactly one try/catch per message: a DecodeError is an anomaly (counted, the connection goes
 * on with what was decoded so far); anything else is a bug, counted as `internal`.
 */
import type { Limits } from '../options.js';
import type { Diagnostics, DiagnosticSample } from '../diagnostics/diagnostics.js';
import { isDecodeError } from '../diagnostics/decode-error.js';
import { ByteReader } from './byte-reader.js';
import { internCertList, internCertificateRequest, internClientHello, internServerHello, type ConnectionFacts } from './connection-facts.js';
import { HandshakeType, Sslv2Message, handshakeTypeName } from './registry/handshake-types.js';
import { isTls13Like } from './registry/versions.js';
import { decodeClientHello, newClientHelloInfo } from './messages/client-hello.js';
import { decodeServerHello, newServerHelloInfo } from './messages/server-hello.js';
import { decodeCertificateList, type CertSink } from './messages/certificate.js';
import { decodeCertificateRequest } from './messages/certificate-request.js';
import { decodeServerKeyExchangeGroup, hasPskIdentityHint, usesEcdheKeyExchange } from './messages/server-key-exchange.js';
import { SSLV2_CLIENT_HELLO, SSLV2_CLIENT_MASTER_KEY, SSLV2_SERVER_HELLO, decodeSslv2ClientHello, decodeSslv2ServerHello } from './messages/sslv2.js';

export interface SessionContext {
  limits: Limits;
  diag: Diagnostics;
  certs: CertSink;
  flowId: number;
  fileIndex: number;
}

/** What a message means for the session's state machine. */
export const Outcome = { none: 0, tls13: 1, closeDirection: 2 } as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** Handshake types whose bodies are decoded (others are only recorded in the history). */
export function wantedHandshakeType(type: number): boolean {
  return type === HandshakeType.clientHello || type === HandshakeType.serverHello || type === HandshakeType.certificate
    || type === HandshakeType.certificateRequest || type === HandshakeType.serverKeyExchange;
}

export class MessageHandler {
  /** time and packet number of the data being handled (kept current by the session) */
  tsMicros = 0;
  packet = 0;

  constructor(
    private readonly facts: ConnectionFacts,
    private readonly ctx: SessionContext,
  ) {}

  /** A TLS handshake message (body `buf[start..end)`, bytes from `validEnd` on missing; `buf` null: not decoded). */
  handshake(dir: number, type: number, length: number, buf: Uint8Array | null, start: number, end: number, validEnd: number, recordVersion: number): Outcome {
    this.facts.message(dir, type);
    if (buf === null) return Outcome.none;
    let out: Outcome = Outcome.none;
    try {
      switch (type) {
        case HandshakeType.clientHello: this.clientHello(dir, buf, start, validEnd, recordVersion); break;
        case HandshakeType.serverHello: out = this.serverHello(dir, buf, start, validEnd); break;
        case HandshakeType.certificate: this.certificate(dir, buf, start, end, validEnd, length); break;
        case HandshakeType.certificateRequest:
          this.facts.certificateRequest = internCertificateRequest(decodeCertificateRequest(buf, start, validEnd, this.facts.serverHello?.version ?? 0));
          break;
        case HandshakeType.serverKeyExchange: this.serverKeyExchange(buf, start, validEnd); break;
        default: break;
      }
    } catch (e) {
      this.failed(e);
    }
    if (validEnd < end && type !== HandshakeType.certificate) {
      this.facts.note(dir, `{side} ${handshakeTypeName(type)} incomplete (${end - validEnd} of ${length} bytes missing)`);
    }
    return out;
  }

  /** An SSL 2.0 record (draft-hickman-netscape-ssl-00): hellos in clear, the rest encrypted. */
  sslv2(dir: number, buf: Uint8Array, start: number, end: number, validEnd: number): Outcome {
    const type = buf[start];
    try {
      const r = new ByteReader(buf, start, validEnd, 'tls.sslv2');
      if (type === SSLV2_CLIENT_HELLO && this.facts.clientHello === null) {
        const info = newClientHelloInfo(0x0002);
        this.facts.clientHelloDir = dir;
        this.facts.clientHelloMicros = this.tsMicros;
        this.facts.message(dir, Sslv2Message.clientHello);
        try {
          decodeSslv2ClientHello(r, info);
        } finally {
          this.facts.clientHello = internClientHello(info); // what was decoded, even if cut short
        }
        return Outcome.none;
      }
      if (type === SSLV2_SERVER_HELLO) {
        this.facts.message(dir, Sslv2Message.serverHello);
        return this.sslv2ServerHello(dir, r, end - start);
      }
      if (type === SSLV2_CLIENT_MASTER_KEY) this.facts.message(dir, Sslv2Message.clientMasterKey);
    } catch (e) {
      this.failed(e);
    }
    return Outcome.closeDirection; // after CLIENT-MASTER-KEY (or anything else) SSL 2.0 is encrypted
  }

  private sslv2ServerHello(dir: number, r: ByteReader, recordLength: number): Outcome {
    const sh = decodeSslv2ServerHello(r);
    this.facts.serverHello = internServerHello({
      legacyVersion: sh.version, version: sh.version, cipherSuite: -1, compression: 0, alpn: null,
      extensions: [], helloRetryRequest: false, sslv2: true,
    });
    this.facts.serverHelloDir = dir;
    this.facts.serverHelloMicros = this.tsMicros;
    const d = this.facts.dirs[dir];
    d.certMessages++;
    if (sh.certificate !== null && d.certs === null) {
      const entry = this.ctx.certs.add(sh.certificate, sh.certificateLength);
      d.certs = internCertList([entry]);
      d.certMicros = this.tsMicros;
      if (!entry.complete) this.certificateCut(dir, recordLength);
    }
    return sh.version === 0x0002 ? Outcome.closeDirection : Outcome.none; // the rest of an SSL 2.0 server's stream is encrypted
  }

  private clientHello(dir: number, buf: Uint8Array, start: number, validEnd: number, recordVersion: number): void {
    if (this.facts.clientHello !== null) return; // second hello (after HelloRetryRequest, or repeated): keep the first
    const info = newClientHelloInfo(recordVersion);
    this.facts.clientHelloDir = dir;
    this.facts.clientHelloMicros = this.tsMicros;
    try {
      decodeClientHello(new ByteReader(buf, start, validEnd, 'tls.client_hello'), info);
    } finally {
      this.facts.clientHello = internClientHello(info); // what was decoded, even if cut short
    }
  }

  private serverHello(dir: number, buf: Uint8Array, start: number, validEnd: number): Outcome {
    const info = newServerHelloInfo();
    const extra = decodeServerHello(new ByteReader(buf, start, validEnd, 'tls.server_hello'), info);
    this.facts.serverHelloDir = dir;
    this.facts.serverHelloMicros = this.tsMicros;
    if (info.helloRetryRequest) {
      this.facts.helloRetryRequest = true;
      this.facts.serverHello = internServerHello(info);
      return Outcome.none;
    }
    info.helloRetryRequest = this.facts.helloRetryRequest;
    this.facts.serverHello = internServerHello(info);
    if (!isTls13Like(info.version, extra.versionFromExtension)) return Outcome.none;
    this.facts.tls13 = true;
    return Outcome.tls13;
  }

  private certificate(dir: number, buf: Uint8Array, start: number, end: number, validEnd: number, length: number): void {
    const d = this.facts.dirs[dir];
    d.certMessages++;
    const res = decodeCertificateList(buf, start, end, validEnd, this.ctx.certs, this.ctx.limits.maxCertificatesPerChain);
    if (d.certs === null) {
      d.certs = internCertList(res.certs);
      d.certMicros = this.tsMicros;
    }
    if (res.skipped > 0) this.ctx.diag.add('limit.certificates_per_chain', 'limit', this.sample(`${res.skipped} certificates skipped`));
    if (res.truncated) this.certificateCut(dir, length);
  }

  private certificateCut(dir: number, length: number): void {
    this.facts.incomplete = true;
    this.facts.note(dir, `{side} Certificate message cut short (${length} bytes declared); certificate bytes incomplete`);
    this.ctx.diag.add('tls.certificate.incomplete', 'anomaly', this.sample(`${length} bytes declared`));
  }

  private serverKeyExchange(buf: Uint8Array, start: number, validEnd: number): void {
    const sh = this.facts.serverHello;
    if (sh !== null && !usesEcdheKeyExchange(sh.cipherSuite)) return;
    this.facts.serverKeyExchangeGroup = decodeServerKeyExchangeGroup(buf, start, validEnd, sh !== null && hasPskIdentityHint(sh.cipherSuite));
  }

  private failed(e: unknown): void {
    if (isDecodeError(e)) this.ctx.diag.add(`${e.layer}.${e.code}`, 'anomaly', this.sample(e.detail));
    else this.ctx.diag.internal('tls.message', e, this.sample());
  }

  sample(detail?: string): DiagnosticSample {
    return { file: this.ctx.fileIndex, packet: this.packet, flow: this.ctx.flowId, detail };
  }
}
