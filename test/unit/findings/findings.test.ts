import { describe, expect, it } from 'vitest';
import { buildFindings, missingCertificates, serviceForPort, type FindingsInput } from '../../../src/report/findings.js';
import type { ConnectionOut, FindingOut } from '../../../src/report/model.js';
import { WORKAROUND } from '../../../src/trust/advice.js';
import { trustStoreFromTexts } from '../../../src/trust/trust-store.js';
import { analyzeCertificate } from '../../../src/x509/analyze.js';
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

  it('handshakes trusted here beside TLS 1.3 ones Traffic Server logged as refused: mixed, with the logged reason', () => {
    const ev = (text: string) => ({ file: 'diags.log', line: 9, time: null, kind: 'verify_failed', txn_id: null, text });
    const expired = ev('WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=certificate has expired server=cucm.steven.lab(10.48.36.215) depth=0');
    const selfSigned = ev('WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=self-signed certificate server=cucm.steven.lab(10.48.36.215) depth=0');
    const hidden = (id: number, e: ReturnType<typeof ev>) => {
      const c = conn({ id, port: 8443, tls13: true, store: root, cipher: 'TLS_AES_256_GCM_SHA384' });
      c.log_events = [e];
      return c;
    };
    const trusted = conn({ id: 20, port: 8443, fixture: 'chain_trusted', store: root });
    const f = only(findings([trusted, hidden(21, expired)]), 'expired');
    expect(f).toMatchObject({ verdict: 'mixed', severity: 'error', connections: [20, 21] });
    expect(f.reason).toBe(
      'the 1 handshake the capture shows was trusted, but Traffic Server\'s log reports a certificate it did not trust in 1 TLS 1.3 handshake the capture cannot show ' +
      '(several nodes behind one address, or a certificate changed meanwhile); ' +
      'Traffic Server refused the certificate: certificate has expired at depth 0 (from its log: the capture cannot show the certificate, TLS 1.3 encrypts it)',
    );
    expect(f.fix).toContain('To see the certificate, run openssl s_client -connect 10.48.36.215:8443 -servername cucm.steven.lab -showcerts from a host that reaches the server');
    // a handshake without a logged refusal changes nothing: still trusted
    expect(only(findings([trusted, conn({ id: 22, port: 8443, tls13: true, store: root })]), 'ok').verdict).toBe('trusted');

    // an untrusted server: what the capture shows already is not repeated from the log, the rest is added
    const selfSignedSeen = conn({ id: 23, port: 8443, fixture: 'self_signed_leaf', store: root });
    const g = only(findings([selfSignedSeen, hidden(24, selfSigned), hidden(25, expired)]), 'self_signed');
    expect(g.verdict).toBe('untrusted');
    expect(g.reason.match(/self-signed/g)?.length).toBe(1);
    expect(g.reason).toMatch(/; Traffic Server refused the certificate: certificate has expired at depth 0 \(from its log/);

    // no trust store given: the visible handshakes are not checked, the log's refusal is the verdict
    const unchecked = conn({ id: 26, port: 8443, fixture: 'chain_trusted', store: null });
    const h = only(findings([unchecked, hidden(27, expired)], { store: null }), 'expired');
    expect(h.verdict).toBe('untrusted');
  });

  it('an error at the trust-store anchor (not sent by the server) names that certificate, from the store', () => {
    const k = loadCase('expired_root_in_store');
    const at = new Date(k.meta.attime * 1000).toISOString();
    const c = conn({ id: 14, port: 8443, fixture: 'expired_root_in_store', store: k.store, handshakeTime: at, name: null });
    expect(c.validation.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['expired@2']);
    expect(c.certificates.map((x) => x.sha256)).not.toContain(c.validation.chain[2]);
    const f = only(findings([c], { store: k.store }), 'expired');
    expect(f.reason).toBe('CN=Old Root CA had expired (valid until 2025-01-01T00:00:00.000Z) when the handshake was captured');
    expect(f.fix[0]).toBe('Replace the expired CA certificate CN=Old Root CA with its renewed version on the server and in Maintenance > Security > Trusted CA certificate');
    // the analysed certificates of the run name it too (the pipeline adds the store's to them)
    const root = k.store.certs.find((x) => x.sha256 === c.validation.chain[2])!;
    const g = only(findings([c], { store: null, certificates: new Map([[root.sha256, root]]) }), 'expired');
    expect(g.reason).toBe(f.reason);

    const p = loadCase('path_length_exceeded');
    const d = conn({ id: 15, port: 8443, fixture: 'path_length_exceeded', store: p.store, handshakeTime: new Date(p.meta.attime * 1000).toISOString(), name: null });
    expect(d.validation.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['invalid_ca@2']);
    expect(only(findings([d], { store: p.store }), 'invalid_ca').fix[0])
      .toBe('Have the CA re-issue CN=Pathlen0 Root with basicConstraints CA:TRUE and keyUsage keyCertSign (and no path length limit that the chain exceeds)');
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

  it('a logged verification failure without its server= part keeps its Error= text (and the code it names)', () => {
    const one = (text: string) => findings([], { logEvents: [{ kind: 'verify_failed', text }] });
    const [r] = one('WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=certificate has expired depth=0');
    expect(r).toMatchObject({ code: 'expired', title: 'cucm.steven.lab: certificate has expired (Traffic Server log only)' });
    expect(r.reason).toMatch(/^Traffic Server reported "certificate has expired" at depth 0 1 time\(s\) for cucm\.steven\.lab/);
    const [s] = one('WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=unable to get local issuer certificate');
    expect(s).toMatchObject({ code: 'unknown_issuer', title: 'cucm.steven.lab: unable to get local issuer certificate (Traffic Server log only)' });
    const [t] = one('WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error= depth=1');
    expect(t).toMatchObject({ code: 'verify_failed', title: 'cucm.steven.lab: verification failed (Traffic Server log only)' });
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

describe('problems of a server row', () => {
  const ev = (kind: string, text: string) => ({ file: 'diags.log', line: 7, time: null, kind, txn_id: null, text });
  const tls13 = (id: number, ...events: ReturnType<typeof ev>[]) => {
    const c = conn({ id, port: 8443, tls13: true, store: root, cipher: 'TLS_AES_256_GCM_SHA384' });
    c.log_events = events;
    return c;
  };
  const refused = (error: string, extra = ' depth=0') =>
    ev('verify_failed', `WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=${error} server=cucm.steven.lab(10.48.36.215)${extra}`);

  it('every validation error of a connection is a problem, errors first by priority (whatever the connection order)', () => {
    const c = conn({ id: 1, port: 8443, fixture: 'expired_at_capture_valid_now', store: root, name: 'other.steven.lab', handshakeTime: '2027-09-01T00:00:00.000Z' });
    expect(c.validation.errors.map((e) => e.code)).toEqual(['expired', 'name_mismatch']);
    const f = only(findings([c]), 'expired');
    expect(f.reason).toMatch(/^CN=cucm\.steven\.lab had expired .*; Traffic Server checked the name other\.steven\.lab/);
    // a client certificate rejection seen first, a self-signed leaf later: the self-signed leaf names the row
    const rows = findings([
      conn({ id: 2, port: 8443, fixture: 'chain_trusted', store: root, alerts: [{ from: 'server', level: 'fatal', description: 'unknown_ca' }] }),
      conn({ id: 3, port: 8443, fixture: 'self_signed_leaf', store: root }),
    ]);
    expect(rows.map((r) => r.code)).toEqual(['self_signed']);
    expect(rows[0].reason).toContain('fatal unknown_ca alert');
  });

  it('an incomplete certificate is no problem by itself; an incomplete intermediate that may be the missing issuer is not checked, not an error', () => {
    const full = loadCase('chain_root_sent_trusted');
    const part = loadCase('chain_trusted').untrusted[0];
    const cut = analyzeCertificate(part.der.subarray(0, 100), false);
    const ok = conn({ id: 1, port: 8443, presented: [full.leaf, full.untrusted[0], cut], store: full.store, name: null });
    expect(ok.validation.errors.map((e) => e.code)).toEqual(['incomplete']);
    const f = only(findings([ok], { store: full.store }), 'ok');
    expect(f).toMatchObject({ verdict: 'trusted', severity: 'info' });

    const c = conn({ id: 2, port: 8443, presented: [loadCase('chain_trusted').leaf, cut], store: root });
    expect(c.validation.status).toBe('not_checked');
    const g = only(findings([c]), 'unknown_issuer');
    expect(g.verdict).toBe('not_checked');
    expect(g.severity).toBe('warning');
    // a trust store was given: the row must not say otherwise, nor offer turning verification off
    expect(g.reason).not.toContain('no trust store was given');
    expect(g.fix.some((l) => /VerifyOriginServer/.test(l))).toBe(false);
  });

  it('TLS 1.3 without log lines: an info row whose reason is only that the certificate was not visible', () => {
    const f = only(findings([conn({ id: 1, port: 8443, tls13: true, store: root })]), 'not_visible');
    expect(f.severity).toBe('info');
    expect(f.reason).toBe('the server certificate was not visible: TLS 1.3 encrypts it (or the capture missed it); rely on the Traffic Server log lines');
    const anon = only(findings([conn({ id: 2, port: 8443, tls13: true, store: root, name: null })]), 'not_visible');
    expect(anon.title).toBe('10.48.36.215:8443 (UDS / tomcat HTTPS): certificate not visible (TLS 1.3)');
    expect(anon.fix.at(-1)).toBe('To see the certificate, run openssl s_client -connect 10.48.36.215:8443 -showcerts from a host that reaches the server');
  });

  it('only the server\'s fatal alerts count; a fatal alert that is no client-certificate rejection is its own problem', () => {
    const quiet = conn({
      id: 1, port: 5061, fixture: 'chain_trusted', store: root,
      alerts: [{ from: 'client', level: 'fatal', description: 'unknown_ca' }, { from: 'server', level: 'warning', description: 'close_notify' }],
    });
    expect(findings([quiet]).map((r) => r.code)).toEqual(['ok']);

    const aborted = conn({ id: 2, port: 5061, fixture: 'chain_trusted', store: root, alerts: [{ from: 'server', level: 'fatal', description: 'internal_error' }] });
    const f = only(findings([aborted]), 'server_alert');
    expect(f).toMatchObject({ verdict: 'trusted', severity: 'warning', fix: [] });
    expect(f.title).toBe('cucm.steven.lab:5061 (SIP over TLS): server aborted the handshake');
    expect(f.reason).toBe('the server ended the handshake with a fatal internal_error alert');
    const other = conn({ id: 4, port: 5061, fixture: 'chain_trusted', store: root, alerts: [{ from: 'server', level: 'fatal', description: 'handshake_failure' }] });
    expect(only(findings([aborted, other]), 'server_alert').reason)
      .toBe('the server ended the handshake with a fatal internal_error alert; the server ended the handshake with a fatal handshake_failure alert');

    // an untrusted chain and a plain fatal alert: the workaround line is offered (the chain is the error)
    const both = conn({ id: 3, port: 6972, fixture: 'self_signed_leaf', store: root, alerts: [{ from: 'server', level: 'fatal', description: 'handshake_failure' }] });
    const g = only(findings([both]), 'self_signed');
    expect(g.reason).toContain('the server ended the handshake with a fatal handshake_failure alert');
    expect(g.fix.at(-1)).toBe(WORKAROUND);
  });

  it('each distinct rejection alert is reported, once', () => {
    const alert = (description: string) => [{ from: 'server' as const, level: 'fatal' as const, description }];
    const f = only(findings([
      conn({ id: 1, port: 5061, fixture: 'chain_trusted', store: root, alerts: alert('unknown_ca') }),
      conn({ id: 2, port: 5061, fixture: 'chain_trusted', store: root, alerts: alert('bad_certificate') }),
      conn({ id: 3, port: 5061, fixture: 'chain_trusted', store: root, alerts: alert('unknown_ca') }),
    ]), 'client_cert_rejected');
    expect(f.reason.match(/fatal unknown_ca alert/g)).toHaveLength(1);
    expect(f.reason.match(/fatal bad_certificate alert/g)).toHaveLength(1);
  });

  it('expiring soon: one problem per certificate (the first handshake\'s days), with its renewal line', () => {
    const at = (id: number, handshakeTime: string) => conn({ id, port: 8443, fixture: 'expired_at_capture_valid_now', store: root, handshakeTime });
    const f = only(findings([at(1, '2027-05-12T00:00:00.000Z'), at(2, '2027-05-22T00:00:00.000Z')]), 'expiring_soon');
    expect(f.reason).toBe('CN=cucm.steven.lab expires on 2027-06-01, 20 day(s) after the capture');
    expect(f.fix).toEqual(['Renew CN=cucm.steven.lab before 2027-06-01 and update the trust stores that hold it or its CA']);

    // two certificates of one chain expiring soon; one of them without a CN
    const c = conn({ id: 3, port: 8443, fixture: 'chain_trusted', store: root });
    c.certificates = c.certificates.map((x, i) =>
      i === 0 ? { ...x, not_after: '2025-06-15T00:00:00.000Z' } : i === 1 ? { ...x, subject_cn: null, not_after: '2025-06-20T12:00:00.000Z' } : x);
    const g = only(findings([c]), 'expiring_soon');
    expect(g.reason).toBe(
      `CN=cucm-ms.steven.lab expires on 2025-06-15, 14 day(s) after the capture; ${c.certificates[1].subject} expires on 2025-06-20, 20 day(s) after the capture`,
    );
    expect(g.fix).toEqual([
      'Renew CN=cucm-ms.steven.lab before 2025-06-15 and update the trust stores that hold it or its CA',
      'Renew it before 2025-06-20 and update the trust stores that hold it or its CA',
    ]);
  });

  it('refusals from the log when the certificate is not visible: the name in the warning, SNI or Origin hostname', () => {
    const reasonOf = (text: string, kind = 'sni_mismatch') => only(findings([tls13(1, ev(kind, text))]), 'name_mismatch').reason;
    const tail = ' (from its log: the capture cannot show the certificate, TLS 1.3 encrypts it)';
    expect(reasonOf('SNI (cucm.steven.lab) not in certificate. Action=Terminate server=cucm.steven.lab(10.48.36.215)'))
      .toBe(`Traffic Server refused the certificate: SNI (cucm.steven.lab) not in certificate${tail}`);
    expect(reasonOf('WARNING: Origin hostname (cucm.steven.lab) not in certificate. Action=Terminate server=cucm.steven.lab(10.48.36.215)', 'origin_hostname_mismatch'))
      .toBe(`Traffic Server refused the certificate: Origin hostname (cucm.steven.lab) not in certificate${tail}`);
    // no name in parentheses, or not the usual wording: a generic message, not a piece of the line
    expect(reasonOf('WARNING: server name not in certificate. Action=Terminate')).toBe(`Traffic Server refused the certificate: SNI not in certificate${tail}`);
    expect(reasonOf('SNI (cucm.steven.lab) mismatch. Action=Terminate')).toBe(`Traffic Server refused the certificate: SNI not in certificate${tail}`);
  });

  it('refusals from the log: no depth when the line has none, cut at 200 characters, one per claim (the first line\'s words), by priority', () => {
    const noDepth = only(findings([tls13(1, refused('certificate has expired', ''))]), 'expired');
    expect(noDepth.reason).toBe('Traffic Server refused the certificate: certificate has expired (from its log: the capture cannot show the certificate, TLS 1.3 encrypts it)');

    const long = `certificate has expired ${'x'.repeat(300)}`;
    const cut = only(findings([tls13(2, refused(long))]), 'expired');
    expect(cut.reason).toContain(`refused the certificate: ${long.slice(0, 200)} at depth 0 (from its log`);

    const permissive = refused('certificate has expired').text.replace('Action=Terminate', 'Action=Continue');
    const sni = ev('sni_mismatch', 'WARNING: SNI (cucm.steven.lab) not in certificate. Action=Terminate server=cucm.steven.lab(10.48.36.215)');
    const rows = findings([tls13(3, sni, refused('certificate has expired'), ev('verify_failed', permissive))]);
    expect(rows.map((r) => r.code)).toEqual(['expired']);
    expect(rows[0].reason.split('; ').slice(0, 2)).toEqual([
      'Traffic Server refused the certificate: certificate has expired at depth 0 (from its log: the capture cannot show the certificate, TLS 1.3 encrypts it)',
      'Traffic Server refused the certificate: SNI (cucm.steven.lab) not in certificate (from its log: the capture cannot show the certificate, TLS 1.3 encrypts it)',
    ]);
  });

  it('refusals from the log for a TLS 1.2 connection whose certificate was not captured', () => {
    const c = conn({ id: 1, port: 8443, presented: [], store: root });
    c.log_events = [refused('certificate has expired')];
    expect(c.certificates_visible).toBe(false);
    const f = only(findings([c]), 'expired');
    expect(f.reason).toBe('Traffic Server refused the certificate: certificate has expired at depth 0 (from its log: the capture cannot show the certificate, it was not captured)');
    c.server_hello = null;
    expect(only(findings([c]), 'expired').reason).toMatch(/it was not captured\)$/);
    c.validation = { ...c.validation, checked_name: null };
    c.client_hello = { ...c.client_hello!, sni: null };
    expect(only(findings([c]), 'expired').fix).toContain('To see the certificate, run openssl s_client -connect 10.48.36.215:8443 -showcerts from a host that reaches the server');
  });

  it('mixed: counts the visible handshakes only, is an error, joins its reasons with "; " and offers the workaround', () => {
    const self = conn({ id: 3, port: 8443, fixture: 'self_signed_leaf', store: root });
    const rows = findings([
      conn({ id: 1, port: 8443, fixture: 'chain_trusted', store: root }),
      conn({ id: 2, port: 8443, fixture: 'chain_trusted', store: root }),
      self,
      conn({ id: 4, port: 8443, tls13: true, store: root }),
    ]);
    const f = only(rows, 'self_signed');
    expect(f.verdict).toBe('mixed');
    expect(f.severity).toBe('error');
    expect(f.reason).toBe(
      '2 of 3 handshakes were trusted: the server presented different certificates (several nodes behind one address, or a service still offering an old certificate); ' +
        only(findings([self]), 'self_signed').reason,
    );
    expect(f.fix.at(-1)).toBe(WORKAROUND);
  });

  it('trusted and not checked rows: the chain length in words, the name when there is one', () => {
    const one = conn({ id: 1, port: 12345, fixture: 'self_signed_leaf_in_store', store: storeOf('self_signed_leaf_in_store'), name: null });
    const f = only(findings([one], { store: storeOf('self_signed_leaf_in_store') }), 'ok');
    expect(f.reason).toBe('the chain (1 certificate) reaches a certificate in the Expressway-C trust store');
    expect(f.title).toBe('10.48.36.215:12345: trusted');
    expect(f.service).toBeNull();
    const nc = only(findings([conn({ id: 2, port: 8443, fixture: 'chain_trusted', store: null })], { store: null }), 'not_checked');
    expect(nc.reason).toBe('no trust store was given (use --truststore or a diagnostic bundle with ca_*.pem), so the chain was not checked');
    expect(nc.severity).toBe('info');
    const untrusted = only(findings([conn({ id: 3, port: 8443, fixture: 'self_signed_leaf', store: root })]), 'self_signed');
    expect(untrusted.reason).not.toContain('no trust store');
  });

  it('the checked name, else the SNI, names the row; one row per name', () => {
    const c = conn({ id: 1, port: 8443, fixture: 'chain_trusted', store: root, name: null });
    c.client_hello = { ...c.client_hello!, sni: 'cucm.steven.lab' };
    const f = only(findings([c]), 'ok');
    expect(f.server.name).toBe('cucm.steven.lab');
    expect(f.title).toBe('cucm.steven.lab:8443 (UDS / tomcat HTTPS): trusted');
    const checked = conn({ id: 3, port: 8443, fixture: 'chain_trusted', store: root });
    expect(findings([c, checked]).map((r) => [r.server.name, r.connections])).toEqual([['cucm.steven.lab', [1, 3]]]);
    const noHello = { ...conn({ id: 2, port: 8443, fixture: 'chain_trusted', store: root, name: null }), client_hello: null };
    expect(only(findings([noHello]), 'ok').server.name).toBeNull();
  });
});

describe('order of rows', () => {
  it('IPv4 addresses by each octet\'s number, then IPv6 addresses by their text, then rows without an address', () => {
    const ips = ['fe80::2', '10.100.0.1', '::ffff:10.0.0.1', '10.0.100.1', '10.20.0.1', '2001:db8::1', '10.0.0.100', '10.0.20.1', '10.0.0.20'];
    const rows = findings(ips.map((ip, i) => conn({ id: i, ip, port: 8443, fixture: 'chain_trusted', store: root })));
    expect(rows.map((r) => r.server.ip)).toEqual([
      '10.0.0.20', '10.0.0.100', '10.0.20.1', '10.0.100.1', '10.20.0.1', '10.100.0.1', '2001:db8::1', '::ffff:10.0.0.1', 'fe80::2',
    ]);
    const errors = findings([conn({ id: 1, ip: '10.0.0.9', port: 6972, fixture: 'self_signed_leaf', store: root })], {
      logEvents: [{ kind: 'verify_failed', text: 'WARNING: Core server certificate verification failed for (other.steven.lab). Action=Terminate Error=certificate has expired depth=0' }],
    });
    expect(errors.map((r) => `${r.severity} ${r.server.ip} ${r.code}`)).toEqual(['error 10.0.0.9 self_signed', 'error null expired']);
  });

  it('rows of one address and port by name, the row without a name first', () => {
    const named = (id: number, name: string | null) => conn({ id, port: 8443, fixture: 'chain_trusted', store: root, name });
    const rows = findings([named(1, 'cucm.steven.lab'), named(2, null), named(3, 'cucm-ms.steven.lab')]);
    expect(rows.map((r) => [r.server.name, r.connections])).toEqual([[null, [2]], ['cucm-ms.steven.lab', [3]], ['cucm.steven.lab', [1]]]);
  });
});

describe('name constraints', () => {
  it('a leaf outside its CA\'s name constraints: its own row, the detail as reason, re-issue or another CA as the fix', () => {
    const c = conn({ id: 40, port: 8443, fixture: 'chain_trusted', store: root, name: 'cucm.steven.lab' });
    const detail = 'CN=cucm-ms.steven.lab: its name DNS:cucm.steven.lab is outside the names that CN=Steven Issuing CA may certify (its name constraints: permitted: DNS:.other.lab)';
    c.validation = { ...c.validation, status: 'untrusted', errors: [{ code: 'name_constraints', depth: 0, message: 'permitted subtree violation', detail }] };
    const f = only(findings([c]), 'name_constraints');
    expect(f.verdict).toBe('untrusted');
    expect(f.severity).toBe('error');
    expect(f.title).toBe('cucm.steven.lab:8443 (UDS / tomcat HTTPS): certificate outside its CA\'s name constraints');
    expect(f.reason).toBe(detail);
    expect(f.fix[0]).toMatch(/^Re-issue the server's tomcat certificate with only names \(SANs and subject\) that the issuing CA's name constraints permit/);
    expect(f.fix).toContain(WORKAROUND);
    // an intermediate outside a higher CA's constraints: the fix is about that CA certificate
    c.validation = { ...c.validation, errors: [{ code: 'name_constraints', depth: 1, message: 'excluded subtree violation' }] };
    const g = only(findings([c]), 'name_constraints');
    expect(g.reason).toBe('CN=Steven Issuing CA: excluded subtree violation');
    expect(g.fix[0]).toMatch(/^Have CN=Steven Issuing CA issued under a CA whose name constraints cover it/);
  });
});

describe('invalid extensions', () => {
  it('no issuer because of a malformed extension: the detail is the reason and the fix is a re-issue, not an upload', () => {
    const c = conn({ id: 41, port: 8443, fixture: 'chain_trusted', store: root, name: 'cucm.steven.lab' });
    const detail = 'CN=cucm-ms.steven.lab has a malformed or repeated subjectAltName extension: OpenSSL 3 then takes it for a certificate of no issuer (and no issuer of others), whatever the server sent or the trust store holds';
    c.validation = { ...c.validation, status: 'untrusted', errors: [{ code: 'unknown_issuer', depth: 0, message: 'unable to get local issuer certificate', detail }] };
    const f = only(findings([c]), 'unknown_issuer');
    expect(f.reason).toBe(detail);
    expect(f.fix[0]).toMatch(/^Have the certificate named there re-issued with each extension present once and well formed/);
  });
});
