import { describe, it, expect } from 'vitest';
import { buildConnectionOut, certificateOut, clientVersions, handshakeMicros } from '../../../src/report/build-connection.js';
import type { CertEntry, ClientHelloInfo, ConnectionSummary, ServerHelloInfo } from '../../../src/tls/summary.js';
import type { ValidationOut } from '../../../src/report/model.js';
import type { ParsedCert } from '../../../src/x509/analyze.js';
import { loadCase } from '../trust/chain-fixtures.js';
import { cnName, d, name, OID } from '../x509/build-cert.js';

function summary(id: number, over: Partial<ConnectionSummary> = {}): ConnectionSummary {
  return {
    id, fileIndex: 0, client: { ip: '10.0.0.1', port: 40000 + id }, server: { ip: '10.0.0.2', port: 6972 },
    startMicros: 1_764_191_206_443_123 + id, firstPacket: 3 + id, clientHello: null, clientHelloMicros: null,
    serverHello: null, serverHelloMicros: null, serverCertificateMicros: null, serverCertificates: [],
    serverCertificateMessages: 0, clientCertificates: [], clientCertificateMessages: 0, certificateRequest: null,
    serverKeyExchangeGroup: null, alerts: [], clientMessages: [1], serverMessages: [], tls13: false, notes: [], incomplete: false,
    ...over,
  };
}
const validation: ValidationOut = { status: 'not_checked', checked_name: null, errors: [], chain: [], anchor: null };

describe('buildConnectionOut', () => {
  it('shares one frozen empty list between connections without certificates, alerts or log lines', () => {
    const a = buildConnectionOut(summary(1), 'c.pcap', new Map(), validation, []);
    const b = buildConnectionOut(summary(2), 'c.pcap', new Map(), validation, []);
    for (const k of ['certificates', 'client_certificates', 'alerts', 'log_events'] as const) {
      expect(a[k]).toEqual([]);
      expect(a[k]).toBe(b[k]);
      expect(Object.isFrozen(a[k])).toBe(true);
    }
    // a connection with alerts and log lines has lists of its own
    const ev = { file: 'd.log', line: 3, time: null, kind: 'verify_failed', txn_id: null, text: 'x' } as const;
    const c = buildConnectionOut(summary(3, { alerts: [{ from: 'server', level: 2, description: 48, cleartext: true, tsMicros: 5, packet: 9 }] }), 'c.pcap', new Map(), validation, [ev]);
    expect(c.alerts).toHaveLength(1);
    expect(c.alerts[0]).toMatchObject({ from: 'server', level: 'fatal', description: 'unknown_ca' });
    expect(c.log_events).toEqual([ev]);
    expect(Object.isFrozen(c.alerts)).toBe(false);
  });
});

const hello = (over: Partial<ClientHelloInfo> = {}): ClientHelloInfo => ({
  legacyVersion: 0x0303, recordVersion: 0x0301, supportedVersions: [], cipherSuites: [0xc02c, 0x0a0a], sni: 'cucm.lab', alpn: ['h2'], ...over,
} as ClientHelloInfo);
const serverHello = (over: Partial<ServerHelloInfo> = {}): ServerHelloInfo => ({
  legacyVersion: 0x0303, version: 0x0303, cipherSuite: 0xc030, compression: 0, alpn: null, extensions: [], helloRetryRequest: false, ...over,
});

describe('buildConnectionOut: the connection as the --json contract shows it', () => {
  const leaf = loadCase('chain_trusted').leaf;
  const certs = new Map<string, ParsedCert>([[leaf.sha256, leaf]]);
  const entry = (over: Partial<CertEntry> = {}): CertEntry => ({ sha256: leaf.sha256, complete: true, declaredLength: leaf.der.length, capturedLength: leaf.der.length, ...over });

  it('hellos, times, the certificate list and the key exchange group', () => {
    const c = buildConnectionOut(summary(1, {
      clientHello: hello(), serverHello: serverHello(), serverHelloMicros: 2_000_000, serverCertificateMicros: 2_500_000,
      serverCertificates: [entry()], serverKeyExchangeGroup: 0x1d, notes: ['a note'],
    }), 'c.pcap', certs, validation, []);
    expect(c).toMatchObject({
      capture: 'c.pcap', client: { ip: '10.0.0.1', port: 40001 }, server: { ip: '10.0.0.2', port: 6972 },
      start: '2025-11-26T21:06:46.443Z', handshake_time: '1970-01-01T00:00:02.500Z',
      client_hello: { sni: 'cucm.lab', versions: ['TLS 1.2'], cipher_suites: ['0xc02c', '0x0a0a'], alpn: ['h2'] },
      server_hello: { version: 'TLS 1.2', cipher_suite: { id: '0xc030', name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' }, version_id: '0x0303', hello_retry_request: false, alpn: null },
      certificates_visible: true, client_certificate_requested: false, certificate_request: null,
      notes: ['a note'], id: 1, first_packet: 4, key_exchange_group: 'x25519', validation,
    });
    expect(c.certificates).toEqual([leaf.facts]);
    expect(c.certificates[0]).toBe(leaf.facts);
    // the ServerHello time stands in for a missing Certificate time, then nothing
    expect(handshakeMicros(summary(2, { serverHelloMicros: 7 }))).toBe(7);
    expect(handshakeMicros(summary(2))).toBeNull();
    const bare = buildConnectionOut(summary(2), 'c.pcap', certs, validation, []);
    expect(bare).toMatchObject({ handshake_time: null, client_hello: null, server_hello: null, certificates_visible: false, key_exchange_group: null });
  });

  it('no start time: the epoch; a ServerHello without a chosen suite: no cipher suite', () => {
    const c = buildConnectionOut(summary(3, { startMicros: Number.NaN, serverHello: serverHello({ cipherSuite: -1, version: 0x0002, helloRetryRequest: true, alpn: 'h2' }) }), 'c.pcap', certs, validation, []);
    expect(c.start).toBe('1970-01-01T00:00:00.000Z');
    expect(c.server_hello).toEqual({ version: 'SSL 2.0', cipher_suite: null, version_id: '0x0002', hello_retry_request: true, alpn: 'h2' });
    const zero = buildConnectionOut(summary(3, { serverHello: serverHello({ cipherSuite: 0 }) }), 'c.pcap', certs, validation, []);
    expect(zero.server_hello?.cipher_suite).toEqual({ id: '0x0000', name: 'TLS_NULL_WITH_NULL_NULL' });
  });

  it('TLS 1.3 certificates are not visible, even when captured', () => {
    const c = buildConnectionOut(summary(4, { serverCertificates: [entry()], tls13: true }), 'c.pcap', certs, validation, []);
    expect(c.certificates_visible).toBe(false);
  });

  it('the offered versions: supported_versions when sent, else the legacy version', () => {
    expect(clientVersions(hello({ supportedVersions: [0x0304, 0x0303] }))).toEqual(['TLS 1.3', 'TLS 1.2']);
    expect(clientVersions(hello({ legacyVersion: 0x0002 }))).toEqual(['SSL 2.0']);
  });

  it('hellos, certificate lists and requests shared by connections are built once and shared', () => {
    const ch = hello(), sh = serverHello(), list = [entry()];
    const req = { caNames: [cnName('Steven CA')], certificateTypes: [1], signatureAlgorithms: [] };
    const a = buildConnectionOut(summary(5, { clientHello: ch, serverHello: sh, serverCertificates: list, clientCertificates: list, certificateRequest: req }), 'c.pcap', certs, validation, []);
    const b = buildConnectionOut(summary(6, { clientHello: ch, serverHello: sh, serverCertificates: list, certificateRequest: req }), 'c.pcap', certs, validation, []);
    expect(a.client_hello).toBe(b.client_hello);
    expect(a.server_hello).toBe(b.server_hello);
    expect(a.certificates).toBe(b.certificates);
    expect(a.client_certificates).toBe(a.certificates);
    expect(a.certificate_request).toBe(b.certificate_request);
    expect(a.client_certificate_requested).toBe(true);
    expect(a.certificate_request).toEqual({ ca_names: ['CN=Steven CA'] });
    // another certificate map is another analysis: not shared
    const other = buildConnectionOut(summary(7, { serverCertificates: list }), 'c.pcap', new Map(certs), validation, []);
    expect(other.certificates).not.toBe(a.certificates);
    expect(other.certificates).toEqual(a.certificates);
    // a hostile CA name is formatted safely
    const odd = name([[[OID.O, d.utf8('A,B')]]]);
    const r = buildConnectionOut(summary(8, { certificateRequest: { caNames: [odd], certificateTypes: [], signatureAlgorithms: [] } }), 'c.pcap', certs, validation, []);
    expect(r.certificate_request).toEqual({ ca_names: ['O=A\\,B'] });
  });

  it('alerts: level and description in clear text, unknown when encrypted', () => {
    const alert = (level: number, description: number, cleartext = true) => ({ from: 'client' as const, level, description, cleartext, tsMicros: 1_000_000, packet: 1 });
    const c = buildConnectionOut(summary(9, { alerts: [alert(2, 48), alert(1, 0), alert(3, 40), alert(-1, -1, false)] }), 'c.pcap', certs, validation, []);
    expect(c.alerts).toEqual([
      { from: 'client', level: 'fatal', description: 'unknown_ca', cleartext: true, level_id: 2, description_id: 48, time: '1970-01-01T00:00:01.000Z' },
      { from: 'client', level: 'warning', description: 'close_notify', cleartext: true, level_id: 1, description_id: 0, time: '1970-01-01T00:00:01.000Z' },
      { from: 'client', level: 'unknown', description: 'handshake_failure', cleartext: true, level_id: 3, description_id: 40, time: '1970-01-01T00:00:01.000Z' },
      { from: 'client', level: 'unknown', description: 'encrypted_alert', cleartext: false, level_id: null, description_id: null, time: '1970-01-01T00:00:01.000Z' },
    ]);
  });
});

describe('certificateOut', () => {
  const leaf = loadCase('chain_trusted').leaf;
  const certs = new Map<string, ParsedCert>([[leaf.sha256, leaf]]);

  it('an analysed complete certificate is its facts; an incomplete one says how much was captured', () => {
    expect(certificateOut({ sha256: leaf.sha256, complete: true, declaredLength: 9, capturedLength: 9 }, certs)).toBe(leaf.facts);
    const cut = certificateOut({ sha256: leaf.sha256, complete: false, declaredLength: 1200, capturedLength: 300 }, certs);
    expect(cut).toEqual({ ...leaf.facts, complete: false, der_length: 1200, captured_length: 300 });
    expect(leaf.facts.complete).toBe(true);
  });

  it('a certificate that was not analysed: its hash and lengths, nothing else', () => {
    expect(certificateOut({ sha256: 'ab'.repeat(32), complete: true, declaredLength: 1000, capturedLength: 1000 }, certs)).toEqual({
      sha256: 'ab'.repeat(32), subject: '', issuer: '', subject_cn: null, issuer_cn: null, serial: '',
      not_before: null, not_after: null, san: { dns: [], ip: [] }, key: { type: 'unknown', bits: null, curve: null },
      signature_algorithm: '', self_signed: false, ca: false, ski: null, aki: null, complete: true, pem: null,
      der_length: 1000, captured_length: 1000,
    });
  });
});
