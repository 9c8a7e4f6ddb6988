/**
 * A realistic hand-built Report for the seed scenario (Cisco TAC technote, docs/domain.md): Expressway-C
 * (10.48.36.100) talking to CUCM cucm.steven.lab (10.48.36.215) and IM&P imp.steven.lab (10.48.36.216).
 * - 8443, by name: RSA tomcat cucm-ms.steven.lab signed by steven-DC-CA, trusted;
 * - 6972: self-signed ECDSA tomcat-ECDSA cucm-EC.steven.lab, untrusted (two attempts, client alert unknown_ca);
 * - 8443 addressed by IP (no SNI): name_mismatch, "SNI (10.48.36.215) not in certificate";
 * - 7400: TLS 1.3, certificate not visible;
 * plus log events from the seed's loggingsnapshot, one unmatched log event, and diagnostics.
 * Certificates are real (generated once with openssl 3.0 `openssl ca`, keys discarded); sha256 values
 * are computed from the PEMs, so exports can be checked against them.
 */
import { createHash } from 'node:crypto';
import type { CertificateOut, ConnectionOut, LogEventOut, Report } from '../../src/report/model.js';

export function pemSha256(pem: string): string {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex');
}

const LOG = 'loggingsnapshot_vcsc_2022-07-11_16_58_10.txt';
const BUNDLE = 'diagnostic_log_vcsc_2022-07-11_16_58_10.tar.gz';
const PCAP = `${BUNDLE}!eth0_diagnostic_logging_tcpdump00_vcsc_2022-07-11_16_55_12.pcap`;
const TS = 'vcsc traffic_server[18242]:';
const TS2 = 'vcsc traffic_server[3916]:';

function ev(line: number, time: string, kind: string, txn: string | null, text: string): LogEventOut {
  return { file: LOG, line, time, kind, txn_id: txn, text };
}

function tsLine(local: string, utc: string, rest: string, proc = TS): string {
  return `${local} ${proc} UTCTime="${utc}" Module="network.http.trafficserver" Level="INFO": ${rest}`;
}

export interface SampleCerts {
  ca: CertificateOut;
  rsa: CertificateOut;
  ecdsa: CertificateOut;
}

export function sampleCerts(): SampleCerts {
  const ca: CertificateOut = {
    sha256: pemSha256(CA_PEM), subject: 'CN=steven-DC-CA,DC=steven,DC=lab', issuer: 'CN=steven-DC-CA,DC=steven,DC=lab',
    subject_cn: 'steven-DC-CA', issuer_cn: 'steven-DC-CA', serial: 'ca4aef71931a05bb724655a5af9645c0',
    not_before: '2021-07-01T00:00:00.000Z', not_after: '2031-07-01T00:00:00.000Z', san: { dns: [], ip: [] },
    key: { type: 'RSA', bits: 2048, curve: null }, signature_algorithm: 'sha256WithRSAEncryption',
    self_signed: true, ca: true, ski: 'b4575a8cc4a3adece02e15e2e7adcf57e57fa7f6', aki: null, complete: true, pem: CA_PEM,
    key_usage: ['keyCertSign', 'cRLSign'],
  };
  const rsa: CertificateOut = {
    sha256: pemSha256(TOMCAT_RSA_PEM), subject: 'CN=cucm-ms.steven.lab,OU=TAC,O=Cisco', issuer: ca.subject,
    subject_cn: 'cucm-ms.steven.lab', issuer_cn: 'steven-DC-CA', serial: '7b8036313e0564288f5bec85a3ed04c7',
    not_before: '2022-03-01T10:15:00.000Z', not_after: '2024-03-01T10:15:00.000Z',
    san: { dns: ['cucm-ms.steven.lab', 'cucm.steven.lab'], ip: [] },
    key: { type: 'RSA', bits: 2048, curve: null }, signature_algorithm: 'sha256WithRSAEncryption',
    self_signed: false, ca: false, ski: '890d944e3f825f61ad646629986742437d277d1e',
    aki: 'b4575a8cc4a3adece02e15e2e7adcf57e57fa7f6', complete: true, pem: TOMCAT_RSA_PEM,
    eku: ['serverAuth', 'clientAuth'], key_usage: ['digitalSignature', 'keyEncipherment', 'keyAgreement'],
  };
  const ecdsa: CertificateOut = {
    sha256: pemSha256(TOMCAT_ECDSA_PEM), subject: 'CN=cucm-EC.steven.lab,OU=TAC,O=Cisco', issuer: 'CN=cucm-EC.steven.lab,OU=TAC,O=Cisco',
    subject_cn: 'cucm-EC.steven.lab', issuer_cn: 'cucm-EC.steven.lab', serial: 'f53f4f67c8e29bd276fe4df91a94d88d',
    not_before: '2022-01-10T08:30:00.000Z', not_after: '2027-01-09T08:30:00.000Z',
    san: { dns: ['cucm-EC.steven.lab', 'cucm.steven.lab'], ip: [] },
    key: { type: 'ECDSA', bits: 256, curve: 'P-256' }, signature_algorithm: 'ecdsa-with-SHA256',
    self_signed: true, ca: true, ski: '34bb3c4e1a25aa0b177a425fcff1985587d8f337', aki: null, complete: true, pem: TOMCAT_ECDSA_PEM,
    eku: ['serverAuth', 'clientAuth'], key_usage: ['digitalSignature', 'keyCertSign'],
  };
  return { ca, rsa, ecdsa };
}

function conn(
  id: number, clientPort: number, server: [string, number], start: string, hs: string | null,
  extra: Partial<ConnectionOut>,
): ConnectionOut {
  return {
    capture: PCAP, client: { ip: '10.48.36.100', port: clientPort }, server: { ip: server[0], port: server[1] },
    start, handshake_time: hs,
    client_hello: { sni: 'cucm.steven.lab', versions: ['TLS 1.3', 'TLS 1.2'], cipher_suites: ['0x1302', '0x1303', '0x1301', '0xc02c', '0xc030', '0xc02b', '0xc02f'], alpn: ['http/1.1'] },
    server_hello: { version: 'TLS 1.2', cipher_suite: { id: '0xc030', name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' } },
    certificates_visible: true, certificates: [], client_certificate_requested: false, client_certificates: [],
    alerts: [], validation: { status: 'not_checked', checked_name: null, errors: [], chain: [], anchor: null },
    log_events: [], notes: [], id, first_packet: id * 40 + 1, key_exchange_group: 'x25519',
    ...extra,
  };
}

/** A fresh copy of the sample report each call (tests may mutate it). */
export function sampleReport(): Report {
  const { ca, rsa, ecdsa } = sampleCerts();
  const CUCM: [string, number] = ['10.48.36.215', 8443];
  const TFTP: [string, number] = ['10.48.36.215', 6972];
  const e253 = ev(253, '2022-07-11T16:55:25.916Z', 'request_sent', '189', tsLine('2022-07-11T18:55:25.917+02:00', '2022-07-11 16:55:25,916', 'Detail="Sending Request" Txn-id="189" TrackingID="6af9a674-9ebc-41ea-868e-90e7309a758c" Dst-ip="10.48.36.215" Dst-port="8443" Msg="GET /cucm-uds/user/emusk/devices HTTP/1.1"'));
  const e254 = ev(254, '2022-07-11T16:55:25.955Z', 'response_received', '189', tsLine('2022-07-11T18:55:25.955+02:00', '2022-07-11 16:55:25,955', 'Detail="Receive Response" Txn-id="189" TrackingID="" Src-ip="10.48.36.215" Src-port="8443" Msg="HTTP/1.1 200 "'));
  const e265 = ev(265, '2022-07-11T16:55:26.006Z', 'request_sent', '191', tsLine('2022-07-11T18:55:26.006+02:00', '2022-07-11 16:55:26,006', 'Detail="Sending Request" Txn-id="191" TrackingID="bb0c8492-8c15-4537-a7d1-082dde781dbd" Dst-ip="10.48.36.215" Dst-port="6972" Msg="GET /CSFemusk.cnf.xml HTTP/1.1"'));
  const e266 = ev(266, '2022-07-11T16:55:26.016Z', 'request_sent', '191', tsLine('2022-07-11T18:55:26.016+02:00', '2022-07-11 16:55:26,016', 'Detail="Sending Request" Txn-id="191" TrackingID="bb0c8492-8c15-4537-a7d1-082dde781dbd" Dst-ip="10.48.36.215" Dst-port="6972" Msg="GET /CSFemusk.cnf.xml HTTP/1.1"'));
  const e267 = ev(267, '2022-07-11T16:55:26.016Z', 'verify_failed', null, `2022-07-11T18:55:26.016+02:00 ${TS} [ET_NET 0] WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=self signed certificate server=cucm.steven.lab(10.48.36.215) depth=0`);
  const e280 = ev(280, '2022-07-11T16:55:26.016Z', 'ssl_connection_failed', null, `2022-07-11T18:55:26.016+02:00 ${TS} [ET_NET 0] ERROR: SSL connection failed for 'cucm.steven.lab': error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed`);
  const e289 = ev(289, '2022-07-11T16:55:26.024Z', 'response_sent', '191', tsLine('2022-07-11T18:55:26.024+02:00', '2022-07-11 16:55:26,024', 'Detail="Sending Response" Txn-id="191" TrackingID="" Dst-ip="127.0.0.1" Dst-port="35766" Msg="HTTP/1.1 502 connect failed"'));
  const e335 = ev(335, '2022-07-11T17:49:01.478Z', 'request_sent', '144', tsLine('2022-07-11T19:49:01.478+02:00', '2022-07-11 17:49:01,478', 'Detail="Sending Request" Txn-id="144" TrackingID="0a334fa8-41e9-4b97-adf4-e165372c38cb" Dst-ip="10.48.36.215" Dst-port="8443" Msg="GET /cucm-uds/user/emusk/devices?max=100 HTTP/1.1"', TS2));
  const e341 = ev(341, '2022-07-11T17:49:01.491Z', 'sni_not_in_certificate', null, `2022-07-11T19:49:01.491+02:00 ${TS2} [ET_NET 2] WARNING: SNI (10.48.36.215) not in certificate. Action=Terminate server=10.48.36.215(10.48.36.215)`);
  const e350 = ev(350, '2022-07-11T17:49:01.491Z', 'ssl_connection_failed', null, `2022-07-11T19:49:01.491+02:00 ${TS2} [ET_NET 2] ERROR: SSL connection failed for '10.48.36.215': error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed`);

  const ecdsaHello = { version: 'TLS 1.2', cipher_suite: { id: '0xc02c', name: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384' } };
  const selfSigned = {
    status: 'untrusted' as const, checked_name: 'cucm.steven.lab', checked_name_source: 'sni' as const,
    errors: [{ code: 'self_signed' as const, depth: 0, message: 'self signed certificate', message_openssl3: 'self-signed certificate',
      detail: 'The server certificate is self-signed and is not in the trust store.' }],
    chain: [ecdsa.sha256], anchor: null, valid_now: false, rfc6125_name_match: true,
  };
  const connections: ConnectionOut[] = [
    conn(1, 35770, CUCM, '2022-07-11T16:55:25.917Z', '2022-07-11T16:55:25.921Z', {
      certificates: [rsa, ca],
      validation: { status: 'trusted', checked_name: 'cucm.steven.lab', checked_name_source: 'sni', errors: [], chain: [rsa.sha256, ca.sha256], anchor: ca.sha256, valid_now: true, rfc6125_name_match: true },
      log_events: [e253, e254],
    }),
    conn(2, 35772, TFTP, '2022-07-11T16:55:26.007Z', '2022-07-11T16:55:26.010Z', {
      server_hello: ecdsaHello, certificates: [ecdsa], client_certificate_requested: true,
      alerts: [{ from: 'client', level: 'fatal', description: 'unknown_ca' }], validation: selfSigned, log_events: [e265],
    }),
    conn(3, 35774, TFTP, '2022-07-11T16:55:26.016Z', '2022-07-11T16:55:26.016Z', {
      server_hello: ecdsaHello, certificates: [ecdsa], client_certificate_requested: true,
      alerts: [{ from: 'client', level: 'fatal', description: 'unknown_ca' }],
      validation: { ...selfSigned, errors: selfSigned.errors.map((e) => ({ ...e })), chain: [...selfSigned.chain] },
      log_events: [e266, e267, e280, e289],
    }),
    conn(4, 31002, ['10.48.36.216', 7400], '2022-07-11T16:56:02.100Z', '2022-07-11T16:56:02.104Z', {
      client_hello: { sni: 'imp.steven.lab', versions: ['TLS 1.3', 'TLS 1.2'], cipher_suites: ['0x1302', '0x1303', '0x1301', '0xc02c'], alpn: [] },
      server_hello: { version: 'TLS 1.3', cipher_suite: { id: '0x1302', name: 'TLS_AES_256_GCM_SHA384' } },
      certificates_visible: false,
      validation: { status: 'not_checked', checked_name: 'imp.steven.lab', checked_name_source: 'sni',
        errors: [{ code: 'not_visible', depth: null, message: 'certificate not visible (TLS 1.3 or not captured)' }], chain: [], anchor: null },
      notes: ['TLS 1.3: the Certificate message is encrypted'],
    }),
    conn(5, 30050, CUCM, '2022-07-11T17:49:01.479Z', '2022-07-11T17:49:01.486Z', {
      client_hello: { sni: null, versions: ['TLS 1.3', 'TLS 1.2'], cipher_suites: ['0x1302', '0xc02c', '0xc030'], alpn: [] },
      certificates: [rsa, ca], alerts: [{ from: 'client', level: 'fatal', description: 'handshake_failure' }],
      validation: {
        status: 'untrusted', checked_name: '10.48.36.215', checked_name_source: 'log',
        errors: [{ code: 'name_mismatch', depth: 0, message: 'SNI (10.48.36.215) not in certificate',
          detail: 'The proxy connected to 10.48.36.215 but the certificate names only cucm-ms.steven.lab and cucm.steven.lab.' }],
        chain: [rsa.sha256, ca.sha256], anchor: ca.sha256, valid_now: true, rfc6125_name_match: false,
      },
      log_events: [e335, e341, e350], notes: ['ClientHello without SNI: name checked taken from the log'],
    }),
  ];
  return {
    tool: 'tls-extract', schema_version: 1, version: '0.1.0',
    captures: [{ path: PCAP, format: 'pcap', link_types: ['EN10MB'], packets: 1843, bytes: 912345,
      first_packet: '2022-07-11T16:55:12.304Z', last_packet: '2022-07-11T17:49:30.886Z', decode_errors: 0,
      sha256: createHash('sha256').update('sample capture').digest('hex'), truncated: false }],
    truststore: {
      paths: [`${BUNDLE}!ca_vcsc_2022-07-11_16_58_10.pem`],
      certificates: [
        { sha256: ca.sha256, subject: ca.subject, not_after: ca.not_after, subject_cn: 'steven-DC-CA' },
        { sha256: createHash('sha256').update('Cisco Root CA 2048').digest('hex'), subject: 'CN=Cisco Root CA 2048,O=Cisco Systems', not_after: '2029-05-14T20:25:42.000Z', subject_cn: 'Cisco Root CA 2048' },
      ],
      errors: [],
    },
    connections,
    findings: [
      { server: { ip: '10.48.36.215', port: 6972, name: 'cucm.steven.lab' }, service: 'TFTP over HTTPS', verdict: 'untrusted', code: 'self_signed', severity: 'error',
        title: 'Self-signed ECDSA certificate not in the trust store',
        reason: 'cucm.steven.lab:6972 presents the self-signed ECDSA certificate cucm-EC.steven.lab (tomcat-ECDSA). It is not in the Expressway-C trust store, so Traffic Server aborts the handshake (self signed certificate, depth=0) and the client gets 502 connect failed.',
        fix: [
          'Upload cucm-EC.steven.lab (the self-signed tomcat-ECDSA certificate) to the trust store of every Expressway-C node (Maintenance > Security > Trusted CA certificate), or have tomcat-ECDSA signed by steven-DC-CA.',
          'Or make Expressway-C prefer RSA: prefix its cipher lists with ECDHE-RSA-AES256-GCM-SHA384:',
          'Workaround (pre-X14.2 behaviour): xConfiguration EdgeConfigServer VerifyOriginServer: Off',
        ],
        connections: [2, 3], certificates: [ecdsa.sha256], log_events: 5 },
      { server: { ip: '10.48.36.215', port: 8443, name: '10.48.36.215' }, service: 'UDS/tomcat', verdict: 'untrusted', code: 'name_mismatch', severity: 'error',
        title: 'Server addressed by IP, certificate names only host names',
        reason: 'CUCM is advertised as 10.48.36.215, so the proxy checks that address, but cucm-ms.steven.lab has no such DNS SAN or CN (Traffic Server ignores IP SANs).',
        fix: ['Advertise CUCM by its FQDN (System > Server) so the checked name is cucm.steven.lab, or re-issue the tomcat certificate with 10.48.36.215 as a DNS SAN.'],
        connections: [5], certificates: [rsa.sha256, ca.sha256], log_events: 3 },
      { server: { ip: '10.48.36.216', port: 7400, name: 'imp.steven.lab' }, service: 'XCP (IM&P)', verdict: 'not_visible', code: 'not_visible', severity: 'warning',
        title: 'TLS 1.3: certificate not visible in the capture',
        reason: 'The handshake negotiated TLS 1.3, which encrypts the server Certificate message.',
        fix: ['Look for verification warnings in the Expressway log, or capture again with TLS 1.2 to see the certificate.'],
        connections: [4], certificates: [], log_events: 0 },
      { server: { ip: '10.48.36.215', port: 8443, name: 'cucm.steven.lab' }, service: 'UDS/tomcat', verdict: 'trusted', code: 'trusted', severity: 'info',
        title: 'Chain trusted: cucm-ms.steven.lab signed by steven-DC-CA',
        reason: 'The chain reaches steven-DC-CA in the trust store and cucm.steven.lab is a DNS SAN of the certificate.',
        fix: [], connections: [1], certificates: [rsa.sha256, ca.sha256], log_events: 2 },
    ],
    diagnostics: [
      { key: 'log.unparsed_line', severity: 'warning', count: 3, samples: [{ detail: `${LOG} line 77: no timestamp` }] },
      { key: 'tcp.gap', severity: 'anomaly', count: 2, samples: [{ file: 0, packet: 1201, flow: 7, detail: '1448 bytes missing at relative seq 30415' }, { file: 0, packet: 1380, flow: 9, detail: '536 bytes missing at relative seq 1' }] },
    ],
    unmatched_log_events: [
      { ...ev(252, '2022-07-11T16:55:25.916Z', 'request_allowed', null, `2022-07-11T18:55:25.917+02:00 ${TS}  Event="Request Allowed" Detail="Access allowed" Reason="In allow list" Username="emusk" Deployment="1" Method="GET" Request="https://cucm.steven.lab:8443/cucm-uds/user/emusk/devices" Rule="https://cucm.steven.lab:8443/cucm-uds/user/" Match="prefix" Type="Automatically generated rule for CUCM server" UTCTime="2022-07-11 16:55:25,916"`), server: 'cucm.steven.lab' },
    ],
    logs: [{ path: `${BUNDLE}!${LOG}`, lines: 1204, events: 12, skipped: 3, clock_offset_ms: 0 }],
    inputs: [{ path: BUNDLE, sha256: createHash('sha256').update('sample bundle').digest('hex'), kind: 'bundle' }],
  };
}
/** Terminal/Markdown attack strings planted by a hostile server or log (issue #6 part 4). */
export const HOSTILE = {
  cn: 'cucm\x1b[2J\x1b]0;pwned\x07\u202egnp.exe',
  sni: 'sni\u2066|`x`|\u2069\u200b',
  log: 'WARNING: <script>alert(1)</script> | ``` \x1b[31mred\x1b[0m \u009b2J # not a heading',
  file: 'bundle.tar.gz!../../etc/\x1b]8;;http://evil\x07link\x1b]8;;\x07.pcap',
};

/** The sample report with hostile strings in a leaf CN, SAN, SNI, log line, finding title and file name. */
export function hostileReport(): Report {
  const r = sampleReport();
  const c = r.connections[1];
  const leaf = { ...c.certificates[0], subject_cn: HOSTILE.cn, subject: `CN=${HOSTILE.cn}`, san: { dns: [HOSTILE.cn], ip: [] } };
  for (const conn of [r.connections[1], r.connections[2]]) {
    conn.certificates = [leaf];
    if (conn.client_hello) conn.client_hello.sni = HOSTILE.sni;
    conn.log_events.push({ file: HOSTILE.file, line: 999, time: '2022-07-11T16:55:26.020Z', kind: 'verify_failed', txn_id: null, text: HOSTILE.log });
  }
  r.findings[0].title = `Self-signed ${HOSTILE.cn}`;
  r.findings[0].reason = HOSTILE.log;
  r.findings[0].server.name = HOSTILE.sni;
  r.captures[0].path = HOSTILE.file;
  return r;
}

export const CA_PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIDVTCCAj2gAwIBAgIRAMpK73GTGgW7ckZVpa+WRcAwDQYJKoZIhvcNAQELBQAw',
  'RDETMBEGCgmSJomT8ixkARkWA2xhYjEWMBQGCgmSJomT8ixkARkWBnN0ZXZlbjEV',
  'MBMGA1UEAwwMc3RldmVuLURDLUNBMB4XDTIxMDcwMTAwMDAwMFoXDTMxMDcwMTAw',
  'MDAwMFowRDETMBEGCgmSJomT8ixkARkWA2xhYjEWMBQGCgmSJomT8ixkARkWBnN0',
  'ZXZlbjEVMBMGA1UEAwwMc3RldmVuLURDLUNBMIIBIjANBgkqhkiG9w0BAQEFAAOC',
  'AQ8AMIIBCgKCAQEAr9pRJfEXwl96+aeZI6w/uUD2XhNgdrgTnthXCi2cTGNeeoIn',
  'ZUmK/xXEg/T4GhoyT/TjFQtOWZ33c8w0j9u2mMUZVjU8cgsTjK4D8FEcuAbnnZdG',
  'ykZ7ihL5cAcU5i9ytX275yh1/YYXLrHHtIEXm8UkOjpbPPQJODXMNgWsRHFodbFy',
  'gy4XsAwuitK7SdenyETuYqEJYHXf6EznLapla137S302dmz74Z8u+QmZuLR5rUiI',
  'PBvs8ib/WLOVgJt1/cKw7ikRC/IHQH/vVdcnk3K/EdG6KHTRELjtIYh3tu4/Z/ue',
  'cVanyZImduqfMcSwtdfHMJAheyEgs032AlYPWwIDAQABo0IwQDAPBgNVHRMBAf8E',
  'BTADAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQUtFdajMSjrezgLhXi563P',
  'V+V/p/YwDQYJKoZIhvcNAQELBQADggEBAG9frSRgoWvX1EqJ2+Y7YMkuaQ9j7IhS',
  'WDymbpOeriHex5dLxaVKX+o9Ywd0/9RXLE/xEtrZM1mUq6Cl34kWZmOq2Eyr6/R0',
  '1JMMZEcPtMmEkB1R5v76/YpEIJuNUM96aaQWVIJsC93okhsMcIH4/+ZKmRPEoSzp',
  'Byx2w2eOpy2PKc9XETo8Tm0xyxCiN+iwXvqTH/M1DdM20U7PM6pnNyJEwo21HOwr',
  'JdSCrzFQX24oPegultd5wSpN8+9caIdneHnIHROiCiP5TFOnRxGzYmKRglBjW5xD',
  'OWpOCfLsV5yrmFp4ybal92eB0fBNYHsWbmuU+oRAPUT3wvzi8YFkNHg=',
  '-----END CERTIFICATE-----',
].join('\n') + '\n';

export const TOMCAT_RSA_PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIIDtzCCAp+gAwIBAgIQe4A2MT4FZCiPW+yFo+0ExzANBgkqhkiG9w0BAQsFADBE',
  'MRMwEQYKCZImiZPyLGQBGRYDbGFiMRYwFAYKCZImiZPyLGQBGRYGc3RldmVuMRUw',
  'EwYDVQQDDAxzdGV2ZW4tREMtQ0EwHhcNMjIwMzAxMTAxNTAwWhcNMjQwMzAxMTAx',
  'NTAwWjA7MQ4wDAYDVQQKDAVDaXNjbzEMMAoGA1UECwwDVEFDMRswGQYDVQQDDBJj',
  'dWNtLW1zLnN0ZXZlbi5sYWIwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIB',
  'AQCkOlbX3TUVFQzHBT00cedtIsMCyxTh8AgV0qVbSLFJLKdwKAeO8qKktQPUdTaL',
  'f9jVco00c92DRJzgjyAdPoX6gi/TBUOfbMlIWJwq3gTGm4bIcZBvnzIbcBNYY1Au',
  '3gOkyuh/lHanfVLZlPuAKQya3SxmiLeqWvva3XduE9tEfcHfY2FJZYPRn9PyJzzV',
  '7XGE4G4bpWDjrEiM/6vqajDJKGFqZ1MNowdBQbeQLShdFKCO0/OhZGraofvcM4Uo',
  'sjwJEKSlAoNf5bHeF2x4ttWP3hyoxEvHxZzuHvWxgeplSu/9g//E7k4PsIgPJTVK',
  'M/1EsZzg0IAX5ohFvMXF9dDrAgMBAAGjga0wgaowCQYDVR0TBAIwADAOBgNVHQ8B',
  'Af8EBAMCA6gwHQYDVR0lBBYwFAYIKwYBBQUHAwEGCCsGAQUFBwMCMB0GA1UdDgQW',
  'BBSJDZROP4JfYa1kZimYZ0JDfSd9HjAfBgNVHSMEGDAWgBS0V1qMxKOt7OAuFeLn',
  'rc9X5X+n9jAuBgNVHREEJzAlghJjdWNtLW1zLnN0ZXZlbi5sYWKCD2N1Y20uc3Rl',
  'dmVuLmxhYjANBgkqhkiG9w0BAQsFAAOCAQEAjmHnB0VQZhua+ZvoCD97bCvEWeah',
  'Kbnv3sIXUwRkvzfwWTsSlsAwAikUlIDDkCyhSdR4c/+AZZkoB3YKUEYofZ9W4RpD',
  'bh10q9FJVvkItXmWd+EPoFmiMtwYZQ4xhVji9jIp96rKxzRIolI0RW8YId7u3DrP',
  'Vr/h6Vf3yr6DpYBNzxGP7JGaNJ8TNCBsxEKTgA5XJu1ITGD0D8UN8lIcoy1DvaDS',
  'V/6WdyDemWV5SEYViDobiartLuKN+g2ly7ELeeUy828X4K8mMf70SRd26YdpQxZU',
  'PZy1/yW2Xcl9g6CuP6q+XMQixJVh+79nCyro/4QqGWIiuNzt8xmvYW+4lg==',
  '-----END CERTIFICATE-----',
].join('\n') + '\n';

export const TOMCAT_ECDSA_PEM = [
  '-----BEGIN CERTIFICATE-----',
  'MIICBjCCAaugAwIBAgIRAPU/T2fI4pvSdv5N+RqU2I0wCgYIKoZIzj0EAwIwOzEO',
  'MAwGA1UECgwFQ2lzY28xDDAKBgNVBAsMA1RBQzEbMBkGA1UEAwwSY3VjbS1FQy5z',
  'dGV2ZW4ubGFiMB4XDTIyMDExMDA4MzAwMFoXDTI3MDEwOTA4MzAwMFowOzEOMAwG',
  'A1UECgwFQ2lzY28xDDAKBgNVBAsMA1RBQzEbMBkGA1UEAwwSY3VjbS1FQy5zdGV2',
  'ZW4ubGFiMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqHqhbPb1nL/fgkd8QkWG',
  'RYgd9JbcwNsIwOTOGCwGaBWCT9yfFmoJBCV6fp/In06q9hRcWntCo5r1NmRT4QIL',
  'VKOBjzCBjDAMBgNVHRMEBTADAQH/MA4GA1UdDwEB/wQEAwIChDAdBgNVHSUEFjAU',
  'BggrBgEFBQcDAQYIKwYBBQUHAwIwHQYDVR0OBBYEFDS7PE4aJaoLF3pCX8/xmFWH',
  '2PM3MC4GA1UdEQQnMCWCEmN1Y20tRUMuc3RldmVuLmxhYoIPY3VjbS5zdGV2ZW4u',
  'bGFiMAoGCCqGSM49BAMCA0kAMEYCIQC9QKHWblOcl3zevvW9/82YrLco3gBhvxqr',
  'fzG4jFwYjQIhAM1H7V1r3/y9lCsG42vi5O0+M/j1tU/Ci5uwqfvevqTI',
  '-----END CERTIFICATE-----',
].join('\n') + '\n';
