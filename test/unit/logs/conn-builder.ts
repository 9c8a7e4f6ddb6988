/** Minimal synthetic ConnectionSummary objects for correlation tests (only the fields correlate reads). */
import type { AlertInfo, ConnectionSummary } from '../../../src/tls/summary.js';

export interface ConnSpec {
  id: number;
  server: string;
  /** server port */
  port: number;
  client?: string;
  clientPort?: number;
  /** first packet (SYN), UTC µs */
  start: number;
  /** ClientHello SNI; undefined = no SNI; null = no ClientHello captured */
  sni?: string | null;
  /** µs after start of ClientHello / ServerHello / server Certificate */
  chAfter?: number;
  shAfter?: number;
  certAfter?: number | null;
  /** fatal alert: from whom, description, µs after start */
  alert?: { from: 'client' | 'server'; description: number; after: number; cleartext?: boolean };
}

export function conn(s: ConnSpec): ConnectionSummary {
  const ch = s.start + (s.chAfter ?? 500);
  const sh = s.start + (s.shAfter ?? 1500);
  const alerts: AlertInfo[] = s.alert
    ? [{ from: s.alert.from, level: 2, description: s.alert.description, cleartext: s.alert.cleartext ?? true, tsMicros: s.start + s.alert.after, packet: 0 }]
    : [];
  return {
    id: s.id, fileIndex: 0,
    client: { ip: s.client ?? '10.48.36.100', port: s.clientPort ?? 30000 + s.id },
    server: { ip: s.server, port: s.port },
    startMicros: s.start, firstPacket: s.id * 10,
    clientHello: s.sni === null ? null : {
      legacyVersion: 0x0303, recordVersion: 0x0301, supportedVersions: [], cipherSuites: [0xc02c], sni: s.sni ?? null,
      alpn: [], signatureAlgorithms: [], supportedGroups: [], extensions: [], sslv2: false,
    },
    clientHelloMicros: s.sni === null ? null : ch,
    serverHello: { legacyVersion: 0x0303, version: 0x0303, cipherSuite: 0xc02c, compression: 0, alpn: null, extensions: [], helloRetryRequest: false },
    serverHelloMicros: sh,
    serverCertificateMicros: s.certAfter === null ? null : s.start + (s.certAfter ?? 1600),
    serverCertificates: [], serverCertificateMessages: 1, clientCertificates: [], clientCertificateMessages: 0,
    certificateRequest: null, serverKeyExchangeGroup: null, alerts, clientMessages: [], serverMessages: [],
    tls13: false, notes: [], incomplete: false,
  };
}

/** UTC µs of an ISO time. */
export function us(iso: string): number {
  return Date.parse(iso) * 1000;
}
