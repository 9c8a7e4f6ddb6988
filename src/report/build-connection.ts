/**
 * ConnectionSummary (packet pass) + analysed certificates + validation + log events → ConnectionOut
 * (the `--json` contract shape). No I/O.
 */
import type { ConnectionSummary, CertEntry, CertificateRequestInfo, ClientHelloInfo, ServerHelloInfo } from '../tls/summary.js';
import type { CertificateOut, ConnectionOut, LogEventOut, ValidationOut } from './model.js';
import type { ParsedCert } from '../x509/analyze.js';
import { alertName, cipherSuiteName, groupName, versionName } from '../tls/registry/index.js';
import { hex16, isoFromMicros } from './time.js';
import { formatNameSafe } from '../x509/dn.js';

export function certificateOut(entry: CertEntry, certs: Map<string, ParsedCert>): CertificateOut {
  const p = certs.get(entry.sha256);
  if (p !== undefined) {
    const f = p.facts;
    if (entry.complete) return f;
    return { ...f, complete: false, der_length: entry.declaredLength, captured_length: entry.capturedLength };
  }
  // not analysed (certificate store limit hit): report what we know
  return {
    sha256: entry.sha256, subject: '', issuer: '', subject_cn: null, issuer_cn: null, serial: '',
    not_before: null, not_after: null, san: { dns: [], ip: [] }, key: { type: 'unknown', bits: null, curve: null },
    signature_algorithm: '', self_signed: false, ca: false, ski: null, aki: null, complete: entry.complete, pem: null,
    der_length: entry.declaredLength, captured_length: entry.capturedLength,
  };
}

/*
 * What connections share (interned hellos and certificate lists, tls/connection-facts.ts) is turned
 * into report objects once and shared too: the report of a 4 GB capture holds tens of thousands of
 * connections, each a few hundred bytes of its own. Report objects are never mutated after building.
 */
const clientHellos = new WeakMap<ClientHelloInfo, NonNullable<ConnectionOut['client_hello']>>();
const serverHellos = new WeakMap<ServerHelloInfo, NonNullable<ConnectionOut['server_hello']>>();
const listOut = new WeakMap<Map<string, ParsedCert>, WeakMap<CertEntry[], CertificateOut[]>>();
const requestOut = new WeakMap<CertificateRequestInfo, NonNullable<ConnectionOut['certificate_request']>>();
/** the one empty list every connection without certificates, alerts or log lines shows (frozen) */
const NONE: never[] = Object.freeze([]) as unknown as never[];

function clientHelloOut(ch: ClientHelloInfo): NonNullable<ConnectionOut['client_hello']> {
  let o = clientHellos.get(ch);
  if (o === undefined) {
    o = { sni: ch.sni, versions: clientVersions(ch), cipher_suites: ch.cipherSuites.map(hex16), alpn: ch.alpn };
    clientHellos.set(ch, o);
  }
  return o;
}

function serverHelloOut(sh: ServerHelloInfo): NonNullable<ConnectionOut['server_hello']> {
  let o = serverHellos.get(sh);
  if (o === undefined) {
    o = {
      version: versionName(sh.version),
      cipher_suite: sh.cipherSuite < 0 ? null : { id: hex16(sh.cipherSuite), name: cipherSuiteName(sh.cipherSuite) },
      version_id: hex16(sh.version),
      hello_retry_request: sh.helloRetryRequest,
      alpn: sh.alpn,
    };
    serverHellos.set(sh, o);
  }
  return o;
}

function certificateListOut(list: CertEntry[], certs: Map<string, ParsedCert>): CertificateOut[] {
  if (list.length === 0) return NONE;
  let byList = listOut.get(certs);
  if (byList === undefined) listOut.set(certs, (byList = new WeakMap()));
  let o = byList.get(list);
  if (o === undefined) {
    o = list.map((e) => certificateOut(e, certs));
    byList.set(list, o);
  }
  return o;
}

function certificateRequestOut(r: CertificateRequestInfo): NonNullable<ConnectionOut['certificate_request']> {
  let o = requestOut.get(r);
  if (o === undefined) {
    o = { ca_names: r.caNames.map((n) => formatNameSafe(n).text) };
    requestOut.set(r, o);
  }
  return o;
}

export function clientVersions(ch: ClientHelloInfo): string[] {
  // an SSLv2-format hello carries its version field in legacyVersion (0x0002 pure SSL 2.0, 0x0301 for a
  // v2-compatible TLS 1.0 hello), as tshark reports it
  const raw = ch.supportedVersions.length > 0 ? ch.supportedVersions : [ch.legacyVersion];
  return raw.map(versionName);
}

/** When the server's certificate was seen (else its ServerHello; null with neither: json-contract handshake_time), in µs. */
export function handshakeMicros(c: ConnectionSummary): number | null {
  return c.serverCertificateMicros ?? c.serverHelloMicros ?? null;
}

export function buildConnectionOut(
  c: ConnectionSummary,
  capturePath: string,
  certs: Map<string, ParsedCert>,
  validation: ValidationOut,
  logEvents: LogEventOut[],
): ConnectionOut {
  const ch = c.clientHello;
  const sh = c.serverHello;
  const visible = c.serverCertificates.length > 0 && !c.tls13;
  return {
    capture: capturePath,
    // the summary's endpoints are already `{ ip, port }`, with interned address strings
    client: c.client,
    server: c.server,
    start: isoFromMicros(c.startMicros) ?? '1970-01-01T00:00:00.000Z',
    handshake_time: isoFromMicros(handshakeMicros(c)),
    client_hello: ch === null ? null : clientHelloOut(ch),
    server_hello: sh === null ? null : serverHelloOut(sh),
    certificates_visible: visible,
    certificates: certificateListOut(c.serverCertificates, certs),
    client_certificate_requested: c.certificateRequest !== null,
    certificate_request: c.certificateRequest === null ? null : certificateRequestOut(c.certificateRequest),
    client_certificates: certificateListOut(c.clientCertificates, certs),
    alerts: c.alerts.length === 0 ? NONE : c.alerts.map((a) => ({
      from: a.from,
      level: !a.cleartext ? 'unknown' : a.level === 2 ? 'fatal' : a.level === 1 ? 'warning' : 'unknown',
      description: a.cleartext ? alertName(a.description) : 'encrypted_alert',
      cleartext: a.cleartext,
      level_id: a.cleartext ? a.level : null,
      description_id: a.cleartext ? a.description : null,
      time: isoFromMicros(a.tsMicros),
    })),
    validation,
    log_events: logEvents.length === 0 ? NONE : logEvents,
    notes: c.notes,
    id: c.id,
    first_packet: c.firstPacket,
    key_exchange_group: c.serverKeyExchangeGroup === null ? null : groupName(c.serverKeyExchangeGroup),
  };
}
