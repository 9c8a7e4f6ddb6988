/**
 * Hand-built ConnectionOut objects for findings tests, validated for real against the OpenSSL
 * differential fixtures (test/fixtures/chains/).
 */
import type { CertificateOut, ConnectionOut } from '../../../src/report/model.js';
import type { TrustStore } from '../../../src/trust/trust-store.js';
import { validateChain } from '../../../src/trust/validate-chain.js';
import type { ParsedCert } from '../../../src/x509/parsed-cert.js';
import { loadCase } from '../trust/chain-fixtures.js';

export const AT = '2025-06-01T00:00:00.000Z';
export const NOW = Date.parse('2026-11-01T00:00:00Z');

export interface ConnSpec {
  id: number;
  ip?: string;
  port: number;
  /** fixture case whose leaf + untrusted certificates the server presents */
  fixture?: string;
  presented?: ParsedCert[];
  store: TrustStore | null;
  name?: string | null;
  nameSource?: 'option' | 'sni' | 'log' | 'ip';
  cipher?: string;
  tls13?: boolean;
  handshakeTime?: string;
  alerts?: ConnectionOut['alerts'];
  clientCertificates?: CertificateOut[];
  clientCertificateRequested?: boolean;
  logEvents?: number;
}

export function conn(s: ConnSpec): ConnectionOut {
  const c = s.fixture ? loadCase(s.fixture) : null;
  const presented = s.tls13 ? [] : (s.presented ?? (c ? [c.leaf, ...c.untrusted] : []));
  const hs = s.handshakeTime ?? AT;
  const name = s.name === undefined ? 'cucm.steven.lab' : s.name;
  const validation = validateChain({
    presented,
    store: s.store,
    atMs: Date.parse(hs),
    nowMs: NOW,
    checkedName: name,
    checkedNameSource: name === null ? null : (s.nameSource ?? 'sni'),
    tls13: s.tls13,
    visible: !s.tls13 && presented.length > 0,
  });
  const ip = s.ip ?? '10.48.36.215';
  const cipher = s.cipher ?? 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384';
  return {
    id: s.id,
    capture: 'capture.pcap',
    client: { ip: '10.48.36.100', port: 30000 + s.id },
    server: { ip, port: s.port },
    start: hs,
    handshake_time: hs,
    client_hello: { sni: name, versions: ['TLS 1.2'], cipher_suites: ['0xc02c', '0xc030'], alpn: [] },
    server_hello: { version: s.tls13 ? 'TLS 1.3' : 'TLS 1.2', cipher_suite: { id: '0xc030', name: cipher } },
    certificates_visible: !s.tls13 && presented.length > 0,
    certificates: presented.map((p) => p.facts),
    client_certificate_requested: s.clientCertificateRequested ?? false,
    client_certificates: s.clientCertificates ?? [],
    alerts: s.alerts ?? [],
    validation,
    log_events: Array.from({ length: s.logEvents ?? 0 }, (_, i) => ({
      file: 'diag.log', line: i + 1, time: hs, kind: 'verify_failed', txn_id: null, text: 'WARNING: Core server certificate verification failed',
    })),
    notes: [],
  };
}
