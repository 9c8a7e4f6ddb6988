import { describe, expect, it } from 'vitest';
import { buildFindings, missingCertificates, serviceForPort, type FindingsInput } from '../../../src/report/findings.js';
import type { ConnectionOut, FindingOut } from '../../../src/report/model.js';
import { trustStoreFromTexts } from '../../../src/trust/trust-store.js';
import { loadCase } from '../trust/chain-fixtures.js';
import { conn } from './conn.js';

const storeOf = (fixture: string) => loadCase(fixture).store;
const root = storeOf('chain_trusted'); // steven-DC-CA
const findings = (connections: ConnectionOut[], over: Partial<FindingsInput> = {}) =>
  buildFindings({ connections, certificates: new Map(), store: root, ...over });
const only = (rows: FindingOut[], code: string) => {
  const r = rows.filter((f) => f.code === code);
  expect(r).toHaveLength(1);
  return r[0];
};

describe('per-server findings', () => {
  it('self-signed leaf: upload the exported PEM on every node, or have it CA-signed', () => {
    const c = conn({ id: 1, port: 6972, fixture: 'self_signed_leaf', store: root });
    const rows = findings([c]);
    const f = only(rows, 'self_signed');
    expect(f.server).toEqual({ ip: '10.48.36.215', port: 6972, name: 'cucm.steven.lab' });
    expect(f.service).toBe('TFTP over HTTPS (configuration files)');
    expect(f.verdict).toBe('untrusted');
    expect(f.severity).toBe('error');
    expect(f.title).toBe('cucm.steven.lab:6972 (TFTP over HTTPS (configuration files)): self-signed certificate not trusted');
    expect(f.fix[0]).toBe(
      'Upload cucm-EC.steven.lab.pem (the server\'s self-signed tomcat certificate, exported by tls-extract) to Maintenance > Security > Trusted CA certificate on every Expressway-C cluster node',
    );
    expect(f.fix[1]).toMatch(/^Or have the server's tomcat certificate signed by a CA/);
    expect(f.fix.at(-1)).toMatch(/VerifyOriginServer: Off/);
    expect(f.connections).toEqual([1]);
    expect(missingCertificates({ connections: [c] })).toEqual([
      { filename: 'cucm-EC.steven.lab.pem', pem: c.certificates[0].pem, reason: 'self-signed server certificate presented by 10.48.36.215:6972 (cucm.steven.lab)' },
    ]);
  });

  it('unknown CA at depth 1: names the missing issuer DN and key identifier; nothing to export', () => {
    const c = conn({ id: 2, port: 8443, fixture: 'root_unknown_intermediate_sent', store: storeOf('root_unknown_intermediate_sent') });
    const f = only(findings([c]), 'unknown_issuer');
    const aki = c.certificates[1].aki!;
    expect(f.reason).toContain(`the CA "CN=steven-DC-CA,O=Steven Lab,C=US" (key identifier ${aki}) that issued CN=Steven Issuing CA`);
    expect(f.reason).toContain('the server sent 2 certificates: CN=cucm-ms.steven.lab → CN=Steven Issuing CA (their PEM is in the report)');
    expect(f.certificates).toEqual(c.certificates.map((x) => x.sha256));
    expect(f.fix[0]).toContain('Get the CA certificate "CN=steven-DC-CA,O=Steven Lab,C=US"');
    expect(f.fix[0]).toContain('tomcat-trust');
    expect(missingCertificates({ connections: [c] })).toEqual([]);
  });

  it('root sent but not trusted: that root is the file to upload', () => {
    const c = conn({ id: 3, port: 8443, fixture: 'leaf_untrusted_root_sent', store: storeOf('leaf_untrusted_root_sent'), name: 'cucm-ms.steven.lab' });
    const f = only(findings([c], { store: storeOf('leaf_untrusted_root_sent') }), 'self_signed_in_chain');
    expect(f.fix[0]).toMatch(/^Upload steven-DC-CA\.pem \(the root CA certificate CN=steven-DC-CA/);
    expect(missingCertificates({ connections: [c] }).map((m) => m.filename)).toEqual(['steven-DC-CA.pem']);
  });

  it('name mismatch: which name was checked, which names the certificate has, and both fixes', () => {
    const c = conn({ id: 4, port: 8443, fixture: 'chain_trusted', store: root, name: 'cucm-pub.steven.lab', nameSource: 'log' });
    const f = only(findings([c]), 'name_mismatch');
    expect(f.reason).toMatch(/^Traffic Server checked the name cucm-pub\.steven\.lab \(named in the Traffic Server log\) but the certificate holds DNS:cucm\.steven\.lab, DNS:cucm-ms\.steven\.lab, CN=cucm-ms\.steven\.lab/);
    expect(f.fix[0]).toBe('Put cucm-pub.steven.lab in the Subject Alternative Names of the server\'s tomcat certificate (re-issue it; a multi-SAN certificate can list every node)');
    expect(f.fix[1]).toBe('Or advertise the name that is in the certificate: on CUCM, System > Server, define this node as cucm.steven.lab (an FQDN the Expressway-C resolves)');
  });

  it('IP SAN: Traffic Server ignores it, and the fix says so', () => {
    const c = conn({ id: 5, port: 8443, fixture: 'ip_only_san', store: root, name: '10.48.36.215', nameSource: 'ip' });
    const f = only(findings([c]), 'name_mismatch');
    expect(f.reason).toContain('Traffic Server ignores IP SANs (browsers and OpenSSL would accept it)');
    expect(f.fix).toContain('An IP-address SAN does not help: Traffic Server ignores IP SANs; use an FQDN');
  });

  it('server fatal alert unknown_ca: the server does not trust the Expressway-C client certificate', () => {
    const c = conn({
      id: 6, port: 5061, fixture: 'chain_trusted', store: root, clientCertificateRequested: true,
      alerts: [{ from: 'server', level: 'fatal', description: 'unknown_ca' }],
    });
    const f = only(findings([c]), 'client_cert_rejected');
    expect(f.verdict).toBe('trusted');
    expect(f.severity).toBe('error');
    expect(f.service).toBe('SIP over TLS');
    expect(f.reason).toContain('fatal unknown_ca alert: it does not accept the Expressway-C client certificate it asked for');
    expect(f.fix[0]).toContain("server's CallManager-trust");
    expect(f.fix.some((l) => /VerifyOriginServer/.test(l))).toBe(false);
  });

  it('expired at capture time; expiring within 30 days of the capture', () => {
    const expired = conn({ id: 7, port: 8443, fixture: 'expired_at_capture_valid_now', store: root, handshakeTime: '2027-09-01T00:00:00.000Z' });
    expect(only(findings([expired]), 'expired').reason).toMatch(/^CN=cucm\.steven\.lab had expired \(valid until 2027-06-01T00:00:00\.000Z\)/);
    const soon = conn({ id: 8, port: 8443, fixture: 'expired_at_capture_valid_now', store: root, handshakeTime: '2027-05-12T00:00:00.000Z' });
    const f = only(findings([soon]), 'expiring_soon');
    expect(f.verdict).toBe('trusted');
    expect(f.severity).toBe('warning');
    expect(f.reason).toBe('CN=cucm.steven.lab expires on 2027-06-01, 20 day(s) after the capture');
  });

  it('expiring soon exactly when 0 < notAfter - handshake ≤ 30 days (the text pre-filter changes nothing at the edges)', () => {
    const end = Date.parse('2027-06-01T00:00:00.000Z');
    const DAY = 86_400_000;
    const offsets = [-1, 0, 1, DAY, 20 * DAY, 30 * DAY - 1, 30 * DAY, 30 * DAY + 1, 31 * DAY, 400 * DAY];
    for (const before of offsets) {
      const at = new Date(end - before).toISOString();
      const c = conn({ id: 20, port: 8443, fixture: 'expired_at_capture_valid_now', store: root, handshakeTime: at });
      const soon = findings([c]).some((f) => f.code === 'expiring_soon' || f.reason.includes('expires on 2027-06-01'));
      expect(soon, `handshake ${before} ms before notAfter (${at})`).toBe(before > 0 && before <= 30 * DAY);
    }
  });

  it('TLS 1.3: not visible, rely on the logs', () => {
    const c = conn({ id: 9, port: 8443, tls13: true, store: root, logEvents: 2, cipher: 'TLS_AES_256_GCM_SHA384' });
    const f = only(findings([c]), 'not_visible');
    expect(f.verdict).toBe('not_visible');
    expect(f.log_events).toBe(2);
    expect(f.reason).toMatch(/TLS 1\.3 encrypts it/);
    expect(f.fix[0]).toMatch(/Core server certificate verification failed/);
    expect(f.fix[1]).toBe('To see the certificate, run openssl s_client -connect 10.48.36.215:8443 -servername cucm.steven.lab -showcerts from a host that reaches the server');
  });

  it('TLS 1.3 with a Traffic Server refusal in the log: untrusted, with the logged reason and its fix', () => {
    const ev = (kind: string, text: string) => ({ file: 'diags.log', line: 7, time: null, kind, txn_id: null, text });
    const expired = conn({ id: 10, port: 8443, tls13: true, store: root, cipher: 'TLS_AES_256_GCM_SHA384' });
    expired.log_events = [ev('verify_failed', '[Nov 27 08:38:01.166] [ET_NET 0] WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=certificate has expired server=cucm.steven.lab(10.48.36.215) depth=0')];
    const f = only(findings([expired]), 'expired');
    expect(f.verdict).toBe('untrusted');
    expect(f.severity).toBe('error');
    expect(f.reason).toBe('Traffic Server refused the certificate: certificate has expired at depth 0 (from its log: the capture cannot show the certificate, TLS 1.3 encrypts it)');
    expect(f.fix[0]).toMatch(/^Renew the server's tomcat certificate/);
    expect(f.fix).toContain('To see the certificate, run openssl s_client -connect 10.48.36.215:8443 -servername cucm.steven.lab -showcerts from a host that reaches the server');

    const permissive = conn({ id: 11, port: 6972, tls13: true, store: root, cipher: 'TLS_AES_256_GCM_SHA384' });
    permissive.log_events = [ev('verify_failed', 'WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Continue Error=self-signed certificate server=cucm.steven.lab(10.48.36.215) depth=0')];
    expect(only(findings([permissive]), 'self_signed').reason).toMatch(/^Traffic Server found the certificate untrusted \(and, in permissive mode, went on\): self-signed certificate at depth 0/);

    const sni = conn({ id: 12, port: 8443, tls13: true, store: root, cipher: 'TLS_AES_256_GCM_SHA384' });
    sni.log_events = [ev('sni_mismatch', 'WARNING: SNI (cucm.steven.lab) not in certificate. Action=Terminate server=cucm.steven.lab(10.48.36.215)')];
    const g = only(findings([sni]), 'name_mismatch');
    expect(g.verdict).toBe('untrusted');
    expect(g.reason).toMatch(/^Traffic Server refused the certificate: SNI \(cucm\.steven\.lab\) not in certificate \(from its log/);
  });

  it('mixed: some handshakes trusted, some not', () => {
    const rows = findings([
      conn({ id: 10, port: 8443, fixture: 'chain_trusted', store: root }),
      conn({ id: 11, port: 8443, fixture: 'self_signed_leaf', store: root }),
    ]);
    const f = only(rows, 'self_signed');
    expect(f.verdict).toBe('mixed');
    expect(f.connections).toEqual([10, 11]);
    expect(f.reason).toMatch(/^1 of 2 handshakes were trusted/);
  });

  it('trusted and not checked rows', () => {
    const ok = only(findings([conn({ id: 12, port: 8443, fixture: 'chain_trusted', store: root })]), 'ok');
    expect(ok).toMatchObject({ verdict: 'trusted', severity: 'info', fix: [] });
    expect(ok.reason).toBe('the chain (3 certificates) reaches a certificate in the Expressway-C trust store and cucm.steven.lab is in the certificate');
    const nc = only(findings([conn({ id: 13, port: 8443, fixture: 'chain_trusted', store: null })], { store: null }), 'not_checked');
    expect(nc.verdict).toBe('not_checked');
  });
});

describe('findings across servers', () => {
  it('RSA on 8443 and ECDSA on 6972 for one address: X14.2 ECDSA preference and the cipher prefix', () => {
    const rows = findings([
      conn({ id: 20, port: 8443, fixture: 'chain_trusted', store: root }),
      conn({ id: 21, port: 6972, fixture: 'self_signed_leaf_ec_in_store', store: root, cipher: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384' }),
    ]);
    const f = only(rows, 'ecdsa_preferred');
    expect(f.server).toEqual({ ip: '10.48.36.215', port: null, name: 'cucm.steven.lab' });
    expect(f.reason).toContain('10.48.36.215 answered with an RSA certificate on port 8443 and an ECDSA certificate on port 6972 (cipher TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)');
    expect(f.reason).toContain('unless its cipher lists start with ECDHE-RSA-AES256-GCM-SHA384:');
    expect(f.fix[1]).toBe('Or make RSA preferred again: prefix the cipher lists under Maintenance > Security > Ciphers with ECDHE-RSA-AES256-GCM-SHA384:');
    expect(f.connections).toEqual([21]);
    expect(f.severity).toBe('warning');
    expect(f.verdict).toBe('info'); // advice across ports: the per-port rows carry the verdicts
  });

  it('an ECDHE-ECDSA suite alone is explained too; an RSA-only address is not', () => {
    const ec = findings([conn({ id: 22, port: 6972, fixture: 'ecdsa_p256', store: storeOf('ecdsa_p256'), cipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' })], { store: storeOf('ecdsa_p256') });
    expect(only(ec, 'ecdsa_preferred').severity).toBe('info');
    expect(findings([conn({ id: 23, port: 8443, fixture: 'chain_trusted', store: root })]).some((f) => f.code === 'ecdsa_preferred')).toBe(false);
  });

  it('certificates to upload that share a CN: two files, named apart, and the same-CN warning', () => {
    const mimic = loadCase('self_signed_mimic_in_store');
    const other = mimic.store.certs.find((c) => c.facts.subject === mimic.leaf.facts.subject)!;
    const conns = [
      conn({ id: 30, ip: '10.48.36.215', port: 6972, presented: [mimic.leaf], store: root }),
      conn({ id: 31, ip: '10.48.36.216', port: 6972, presented: [other], store: root }),
    ];
    const files = missingCertificates({ connections: conns });
    expect(files.map((f) => f.filename)).toEqual([`cucm-EC.steven.lab-${mimic.leaf.sha256.slice(0, 8)}.pem`, `cucm-EC.steven.lab-${other.sha256.slice(0, 8)}.pem`]);
    const f = only(findings(conns), 'same_cn_in_trust_store');
    expect(f.reason).toContain('share the Common Name cucm-EC.steven.lab with each other');
    expect(f.reason).toContain('CSCwa12894 / CSCwa12905');
    expect(f.connections).toEqual([30, 31]);
  });

  it('a certificate to upload whose CN a different trust-store certificate already has', () => {
    const mimic = loadCase('self_signed_mimic_in_store');
    const c = conn({ id: 32, port: 6972, fixture: 'self_signed_mimic_in_store', store: mimic.store });
    const f = only(findings([c], { store: mimic.store }), 'same_cn_in_trust_store');
    expect(f.reason).toContain('with 1 different certificate(s) already in the trust store (CN=cucm-EC.steven.lab,OU=TAC,O=Cisco,C=US)');
    expect(only(findings([c], { store: mimic.store }), 'self_signed').reason).toContain('the trust store holds a different certificate with the same subject');
  });

  it('Expressway-C client certificate without the clientAuth EKU', () => {
    const client = { ...loadCase('chain_trusted').leaf.facts, eku: ['serverAuth'] };
    const c = conn({ id: 40, port: 5061, fixture: 'chain_trusted', store: root, clientCertificates: [client], clientCertificateRequested: true });
    const f = only(findings([c]), 'client_cert_no_client_auth');
    expect(f.severity).toBe('warning');
    expect(f.reason).toContain('to 10.48.36.215:5061 has Extended Key Usage serverAuth without TLS Web Client Authentication');
    const withClientAuth = conn({ id: 41, port: 5061, fixture: 'chain_trusted', store: root, clientCertificates: [loadCase('chain_trusted').leaf.facts] });
    expect(findings([withClientAuth]).some((r) => r.code === 'client_cert_no_client_auth')).toBe(false);
  });

  it('Traffic Server log lines no handshake explains get their own row', () => {
    const rows = findings([], {
      logEvents: [
        {
          kind: 'verify_failed',
          text: 'WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=self signed certificate server=cucm.steven.lab(10.48.36.215) depth=0',
        },
        { kind: 'sni_mismatch', text: 'WARNING: SNI (10.48.36.215) not in certificate. Action=Terminate server=10.48.36.215(10.48.36.215)' },
        { kind: 'request_sent', text: 'Detail="Sending Request"' },
      ],
    });
    expect(rows.map((r) => `${r.code}:${r.server.name}:${r.server.ip}`)).toEqual(['name_mismatch:10.48.36.215:10.48.36.215', 'self_signed:cucm.steven.lab:10.48.36.215']);
    expect(rows[1].reason).toMatch(/^Traffic Server reported "self signed certificate" at depth 0 1 time\(s\) for cucm\.steven\.lab \(10\.48\.36\.215\)/);
  });
});

describe('order and services', () => {
  it('errors first, then by IP (numerically), then port', () => {
    const rows = findings([
      conn({ id: 50, ip: '10.0.0.10', port: 8443, fixture: 'chain_trusted', store: root }),
      conn({ id: 51, ip: '10.0.0.9', port: 8443, fixture: 'chain_trusted', store: root }),
      conn({ id: 52, ip: '10.0.0.10', port: 6972, fixture: 'self_signed_leaf', store: root }),
      conn({ id: 53, ip: '10.0.0.9', port: 6972, fixture: 'self_signed_leaf', store: root }),
      conn({ id: 54, ip: '10.0.0.9', port: 443, fixture: 'chain_trusted', store: root }),
    ]);
    expect(rows.map((r) => `${r.severity} ${r.server.ip}:${r.server.port} ${r.code}`)).toEqual([
      'error 10.0.0.9:6972 self_signed',
      'error 10.0.0.10:6972 self_signed',
      'info 10.0.0.9:443 ok',
      'info 10.0.0.9:8443 ok',
      'info 10.0.0.10:8443 ok',
    ]);
    const same = [60, 61, 62].map((id) => conn({ id, port: 8443, fixture: 'chain_trusted', store: root }));
    expect(findings(same).map((r) => r.connections)).toEqual([[60, 61, 62]]);
  });

  it('names the service of each MRA port', () => {
    expect(serviceForPort(8443)).toBe('UDS / tomcat HTTPS');
    expect(serviceForPort(6971)).toBe('HTTPS TFTP (headset configuration)');
    expect(serviceForPort(7400)).toBe('XMPP / XCP (IM and Presence)');
    expect(serviceForPort(443)).toBe('HTTPS (Unity Connection, UDS/AXL)');
    expect(serviceForPort(7336)).toBe('file transfer (IM and Presence)');
    expect(serviceForPort(7443)).toBe('MWI over TLS (Unity Connection)');
    expect(serviceForPort(12345)).toBeNull();
  });

  it('a trust store made from bundle members works for findings too', () => {
    const s = trustStoreFromTexts([{ name: 'ca_vcsc.pem', data: new TextEncoder().encode(root.certs[0].facts.pem!) }]);
    expect(only(findings([conn({ id: 70, port: 8443, fixture: 'chain_trusted', store: s })], { store: s }), 'ok').verdict).toBe('trusted');
  });
});
