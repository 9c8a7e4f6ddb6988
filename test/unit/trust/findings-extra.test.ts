/**
 * Findings across servers and from the Traffic Server log alone (trust/findings-extra.ts): the X14.2
 * ECDSA preference, same-CN uploads, the client certificate's EKU, and log lines no handshake explains.
 */
import { describe, expect, it } from 'vitest';
import type { CertificateOut, ConnectionOut } from '../../../src/report/model.js';
import { crossServerFindings, logOnlyFindings, type LooseLogEvent } from '../../../src/trust/findings-extra.js';
import { uploadList } from '../../../src/trust/upload-list.js';
import { conn } from '../findings/conn.js';
import { loadCase } from './chain-fixtures.js';

const root = loadCase('chain_trusted').store;
const cross = (conns: ConnectionOut[]) => crossServerFindings(conns, uploadList(conns), new Map(), root);
const ECDSA_SUITE = 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384';

describe('ECDSA preference', () => {
  const ec = (id: number, port: number, over: Partial<Parameters<typeof conn>[0]> = {}) =>
    conn({ id, port, fixture: 'self_signed_leaf_ec_in_store', store: loadCase('self_signed_leaf_ec_in_store').store, cipher: ECDSA_SUITE, ...over });
  const rsa = (id: number, port: number, over: Partial<Parameters<typeof conn>[0]> = {}) => conn({ id, port, fixture: 'chain_trusted', store: root, ...over });

  it('an ECDSA certificate alone: its ports in numeric order, the suite, one certificate, no RSA words', () => {
    const rows = cross([ec(1, 10000), ec(2, 6972), ec(3, 6972)]);
    expect(rows).toHaveLength(1);
    const f = rows[0];
    expect(f).toMatchObject({
      code: 'ecdsa_preferred', verdict: 'info', severity: 'info', server: { ip: '10.48.36.215', port: null, name: 'cucm.steven.lab' },
      title: 'cucm.steven.lab: ECDSA certificate chosen', connections: [1, 2, 3], log_events: 0, service: null,
    });
    expect(f.reason).toBe(
      `10.48.36.215 answered with an ECDSA certificate on port 6972, 10000 (cipher ${ECDSA_SUITE}). Since X14.2 the Expressway-C prefers ECDSA cipher suites ` +
      'unless its cipher lists start with ECDHE-RSA-AES256-GCM-SHA384: so CUCM answers with its tomcat-ECDSA / CallManager-ECDSA certificates, which are often self-signed even when the RSA ones are CA-signed',
    );
    expect(f.fix).toEqual([
      'Trust the ECDSA certificates: have them CA-signed, or upload them (or their CA) to Maintenance > Security > Trusted CA certificate on every Expressway-C cluster node',
      'Or make RSA preferred again: prefix the cipher lists under Maintenance > Security > Ciphers with ECDHE-RSA-AES256-GCM-SHA384:',
    ]);
    expect(f.certificates).toEqual([loadCase('self_signed_leaf_ec_in_store').leaf.sha256]);
  });

  it('RSA (and RSA-PSS) on other ports, an untrusted ECDSA one: a warning naming both', () => {
    const untrusted = ec(2, 6972, { store: loadCase('ecdsa_p256').store });
    expect(untrusted.validation.status).toBe('untrusted');
    const pss = conn({ id: 3, port: 443, fixture: 'rsa_pss_key', store: loadCase('rsa_pss_key').store });
    expect(pss.certificates[0].key.type).toBe('RSA-PSS');
    const [f] = cross([rsa(1, 8443), untrusted, pss]);
    expect(f.severity).toBe('warning');
    expect(f.title).toBe('cucm.steven.lab: ECDSA certificate chosen on some ports, RSA on others');
    expect(f.reason).toMatch(/^10\.48\.36\.215 answered with an RSA certificate on port 443, 8443 and an ECDSA certificate on port 6972 \(cipher /);
    expect(f.connections).toEqual([2]);
  });

  it('without a checked name the address names it; without an ECDSA suite no cipher is named', () => {
    const [f] = cross([ec(1, 6972, { name: null, cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' })]);
    expect(f.title).toBe('10.48.36.215: ECDSA certificate chosen');
    expect(f.server.name).toBeNull();
    expect(f.reason).toMatch(/^10\.48\.36\.215 answered with an ECDSA certificate on port 6972\. Since X14\.2/);
  });

  it('per address; an RSA-only address, a hidden certificate and an unknown key type are no ECDSA', () => {
    const rows = cross([ec(1, 6972, { ip: '10.0.0.2' }), rsa(2, 8443, { ip: '10.0.0.1' }), ec(3, 6972, { ip: '10.0.0.3', tls13: true })]);
    expect(rows.map((r) => r.server.ip)).toEqual(['10.0.0.2']);
    const odd = ec(4, 6972);
    odd.certificates = [{ ...odd.certificates[0], key: { type: 'unknown', bits: null, curve: null } }];
    expect(cross([odd])).toEqual([]);
  });

  it('no leaf known but an ECDSA suite chosen: ECDSA, with no certificate to list', () => {
    const c = { ...ec(5, 6972), certificates: [] as CertificateOut[] };
    const [f] = cross([c]);
    expect(f.code).toBe('ecdsa_preferred');
    expect(f.certificates).toEqual([]);
    expect(cross([{ ...c, server_hello: null }])).toEqual([]);
  });
});

describe('same CN among the certificates to upload', () => {
  it('one file and a different store certificate: "shares", the store subjects, and every certificate involved', () => {
    const mimic = loadCase('self_signed_mimic_in_store');
    const c = conn({ id: 7, port: 6972, fixture: 'self_signed_mimic_in_store', store: mimic.store });
    const uploads = uploadList([c]);
    const rows = crossServerFindings([c], uploads, new Map(), mimic.store).filter((r) => r.code === 'same_cn_in_trust_store');
    const other = mimic.store.certs.find((s) => s.facts.subject_cn === 'cucm-EC.steven.lab' && s.sha256 !== c.certificates[0].sha256)!;
    expect(rows).toEqual([{
      server: { ip: null, port: null, name: null }, service: null, verdict: 'info', severity: 'warning', log_events: 0,
      code: 'same_cn_in_trust_store',
      title: 'Trust store: more than one certificate with CN cucm-EC.steven.lab',
      reason: `cucm-EC.steven.lab.pem shares the Common Name cucm-EC.steven.lab with 1 different certificate(s) already in the trust store (${other.facts.subject}). ` +
        'Expressway-C cannot hold two different certificates with the same CN: its lookup stops at the first matching subject, so only one of them works (CSCwa12894 / CSCwa12905)',
      fix: [
        'Have the servers\' certificates signed by a CA and upload that CA instead of the individual certificates',
        'Or regenerate the certificates with different Common Names, or reuse one multi-SAN certificate (CUCM 14 and later)',
      ],
      connections: [7],
      certificates: [c.certificates[0].sha256, other.sha256],
    }]);
  });

  it('a CN known only from the analysed certificates still counts', () => {
    const mimic = loadCase('self_signed_mimic_in_store');
    const c = conn({ id: 8, port: 6972, fixture: 'self_signed_mimic_in_store', store: mimic.store });
    const uploads = uploadList([c]);
    // the connection list carries no facts for it: the analysed certificates do
    const bare = { ...c, certificates: [] as CertificateOut[] };
    const rows = crossServerFindings([bare], uploads, new Map([[mimic.leaf.sha256, mimic.leaf]]), mimic.store);
    expect(rows.map((r) => r.code)).toEqual(['same_cn_in_trust_store']);
    expect(crossServerFindings([bare], uploads, new Map(), mimic.store)).toEqual([]);
  });
});

describe('Expressway-C client certificate without clientAuth', () => {
  const leaf = loadCase('chain_trusted').leaf.facts;
  const client = (eku: string[] | undefined, over: Partial<CertificateOut> = {}) => ({ ...leaf, eku, ...over });
  const withClient = (id: number, port: number, cert: CertificateOut, alerts: ConnectionOut['alerts'] = []) =>
    conn({ id, port, fixture: 'chain_trusted', store: root, clientCertificates: [cert], alerts });

  it('one row per certificate, every server it went to once, the ids of its connections', () => {
    const cert = client(['serverAuth', 'emailProtection']);
    const rows = cross([withClient(1, 5061, cert), withClient(2, 6972, cert), withClient(3, 5061, cert)]).filter((r) => r.code === 'client_cert_no_client_auth');
    expect(rows).toEqual([{
      server: { ip: null, port: null, name: null }, service: null, verdict: 'info', severity: 'warning', log_events: 0,
      code: 'client_cert_no_client_auth',
      title: 'Expressway-C client certificate cucm-ms.steven.lab lacks the clientAuth EKU',
      reason: 'the certificate the Expressway-C sent as TLS client to 10.48.36.215:5061, 10.48.36.215:6972 has Extended Key Usage serverAuth, emailProtection ' +
        'without TLS Web Client Authentication: servers doing mutual TLS (SIP 5061, TFTP 6971/6972) may reject it',
      fix: ['Re-issue the Expressway-C server certificate with both TLS Web Server Authentication and TLS Web Client Authentication EKUs (required for mutual TLS, and by X15.5)'],
      connections: [1, 2, 3],
      certificates: [cert.sha256],
    }]);
  });

  it('an error when the server answered with a fatal alert; not for a client alert or a warning', () => {
    const cert = client(['serverAuth'], { subject_cn: null });
    const sev = (alerts: ConnectionOut['alerts']) => cross([withClient(1, 5061, cert, alerts)]).find((r) => r.code === 'client_cert_no_client_auth')!;
    expect(sev([{ from: 'server', level: 'fatal', description: 'unknown_ca' }]).severity).toBe('error');
    expect(sev([{ from: 'client', level: 'fatal', description: 'unknown_ca' }]).severity).toBe('warning');
    expect(sev([{ from: 'server', level: 'warning', description: 'close_notify' }]).severity).toBe('warning');
    expect(sev([]).title).toBe(`Expressway-C client certificate ${leaf.subject} lacks the clientAuth EKU`);
  });

  it('no EKU, an empty list, clientAuth or anyExtendedKeyUsage: nothing to say', () => {
    for (const eku of [undefined, [], ['serverAuth', 'clientAuth'], ['anyExtendedKeyUsage']]) {
      expect(cross([withClient(1, 5061, client(eku))]).some((r) => r.code === 'client_cert_no_client_auth'), JSON.stringify(eku)).toBe(false);
    }
  });
});

describe('Traffic Server log lines no handshake explains', () => {
  const core = (error: string, tail = ' server=cucm.steven.lab(10.48.36.215) depth=0') =>
    `WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=${error}${tail}`;
  const one = (ev: LooseLogEvent, conns: ConnectionOut[] = []) => {
    const rows = logOnlyFindings([ev], conns);
    expect(rows).toHaveLength(1);
    return rows[0];
  };

  it('a verification failure: its Error= text, code, depth, count and both fix lines', () => {
    const ev = { kind: 'verify_failed', text: core('self signed certificate') };
    const rows = logOnlyFindings([ev, ev, { kind: 'verify_failed', text: core('self-signed certificate') }], []);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      server: { ip: '10.48.36.215', port: null, name: 'cucm.steven.lab' }, service: null, verdict: 'untrusted', severity: 'error',
      code: 'self_signed',
      title: 'cucm.steven.lab: self signed certificate (Traffic Server log only)',
      reason: 'Traffic Server reported "self signed certificate" at depth 0 2 time(s) for cucm.steven.lab (10.48.36.215), but no captured handshake shows that server\'s certificate',
      fix: [
        'Upload the server\'s self-signed certificate to Maintenance > Security > Trusted CA certificate on every Expressway-C cluster node, or have it CA-signed',
        'Capture the handshake (TLS 1.2) or run openssl s_client -showcerts against the server to see the certificate',
      ],
      connections: [], certificates: [], log_events: 2,
    });
    // the OpenSSL 3 spelling is the same code
    expect(rows[1]).toMatchObject({ code: 'self_signed', log_events: 1 });
  });

  it('the fix for each code', () => {
    const fix = (error: string) => one({ kind: 'verify_failed', text: core(error) }).fix[0];
    expect(fix('certificate has expired')).toBe('Renew the server certificate (or fix the clocks) and update the trust store');
    expect(fix('certificate is not yet valid')).toBe('Renew the server certificate (or fix the clocks) and update the trust store');
    expect(fix('unable to get local issuer certificate')).toBe('Upload the issuing CA chain of the server\'s certificate to Maintenance > Security > Trusted CA certificate on every Expressway-C cluster node');
    expect(one({ kind: 'sni_mismatch', text: 'WARNING: SNI (10.0.0.1) not in certificate. Action=Terminate server=10.0.0.1(10.0.0.1)' }).fix[0])
      .toBe('Put the name Traffic Server used in the server certificate\'s SAN, or advertise the name that is in it (CUCM System > Server)');
    expect(one({ kind: 'ssl_connect_failed', text: "ERROR: SSL connection failed for 'cucm': error:14094418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca" }).fix[0])
      .toBe('The server does not trust the Expressway-C certificate: upload its CA to the server\'s tomcat-trust / CallManager-trust');
  });

  it('which lines count: by kind, else by their words', () => {
    const code = (kind: string, text: string, error?: string) => logOnlyFindings([{ kind, text, ...(error ? { error } : {}) }], []).map((r) => r.code);
    for (const k of ['sni_mismatch', 'origin_hostname_mismatch', 'hostname_verify_failed_legacy']) expect(code(k, 'x'), k).toEqual(['name_mismatch']);
    for (const k of ['verify_failed', 'server_verify_failed_legacy', 'plugin_verify_failed']) expect(code(k, 'x'), k).toEqual(['verify_failed']);
    expect(code('other', 'x', 'tlsv1 alert Unknown CA')).toEqual(['client_cert_rejected']);
    expect(code('other', 'SSL connection failed: tlsv1 alert unknown ca')).toEqual(['client_cert_rejected']);
    // every alert counted as a client-certificate rejection in a captured handshake (CLIENT_CERT_REJECTIONS), in
    // OpenSSL 1.1.1's and 3's wording; a Java server (CUCM's Tomcat) sends certificate_unknown
    for (const [id, reason] of [['18', 'tlsv1 alert unknown ca'], ['12', 'sslv3 alert bad certificate'], ['16', 'sslv3 alert certificate unknown'], ['13', 'sslv3 alert unsupported certificate'],
      ['15', 'sslv3 alert certificate expired'], ['14', 'sslv3 alert certificate revoked'], ['19', 'tlsv1 alert access denied']]) {
      expect(code('ssl_connect_failed', 'x', `error:140944${id}:SSL routines:ssl3_read_bytes:${reason}`), reason).toEqual(['client_cert_rejected']);
      expect(code('ssl_connect_failed', 'x', `error:0A0004${id}:SSL routines::${reason}`), reason).toEqual(['client_cert_rejected']);
    }
    // other alerts are not about the client certificate; our own verify failure is not the server's refusal
    expect(code('ssl_connect_failed', 'x', 'error:14094410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure')).toEqual([]);
    expect(code('ssl_connect_failed', 'x', 'error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed')).toEqual([]);
    expect(code('other', 'Hostname (a) not in certificate')).toEqual(['name_mismatch']);
    expect(code('other', 'Core server certificate verification failed')).toEqual(['verify_failed']);
    expect(code('request_sent', 'Detail="Sending Request"')).toEqual([]);
    // the given error takes precedence over the line's words
    expect(code('other', 'tlsv1 alert unknown ca', 'something else')).toEqual([]);
  });

  it('the server, name, error and depth: from the parser\'s fields first, else from the line', () => {
    const f = one({ kind: 'verify_failed', text: core('certificate has expired'), ip: '10.9.9.9', sni: 'sni.lab', error: 'certificate has expired', depth: 0, port: 8443 });
    expect(f.server).toEqual({ ip: '10.9.9.9', port: 8443, name: 'sni.lab' });
    expect(f.reason).toMatch(/^Traffic Server reported "certificate has expired" at depth 0 1 time\(s\) for sni\.lab \(10\.9\.9\.9\)/);
    // SNI (...) in the text; no depth anywhere
    const g = one({ kind: 'sni_mismatch', text: 'WARNING: SNI (10.0.0.1) not in certificate. Action=Terminate server=cucm(10.0.0.2)' });
    expect(g.server).toEqual({ ip: '10.0.0.2', port: null, name: '10.0.0.1' });
    expect(g.title).toBe('10.0.0.1: name not in certificate (Traffic Server log only)');
    expect(g.reason).toBe('Traffic Server reported "name not in certificate" 1 time(s) for 10.0.0.1 (10.0.0.2), but no captured handshake shows that server\'s certificate');
    // the parser's server name, then the server= name
    expect(one({ kind: 'plugin_verify_failed', text: 'plugin failed the origin certificate check for cucm.  Action=Terminate SNI=cucm', server: 'srv.lab' }).server.name).toBe('srv.lab');
    expect(one({ kind: 'verify_failed', text: 'verification failed Error=certificate has expired server=named.lab(10.1.1.1)' }).server).toEqual({ ip: '10.1.1.1', port: null, name: 'named.lab' });
    // nothing known: unknown server, "?"
    const h = one({ kind: 'verify_failed', text: 'certificate verification failed' });
    expect(h.server).toEqual({ ip: null, port: null, name: null });
    expect(h.title).toBe('unknown server: verification failed (Traffic Server log only)');
    expect(h.reason).toBe('Traffic Server reported "verification failed" 1 time(s) for ?, but no captured handshake shows that server\'s certificate');
    // only an address: it names the row
    expect(one({ kind: 'verify_failed', text: 'x', ip: '10.2.2.2' }).title).toBe('10.2.2.2: verification failed (Traffic Server log only)');
    // depth from the line when the parser has none
    expect(one({ kind: 'verify_failed', text: core('certificate has expired', ' depth=3'), depth: null }).reason).toContain('"certificate has expired" at depth 3 1 time(s)');
  });

  it('one row per server, name and error: different errors or servers are apart', () => {
    const rows = logOnlyFindings([
      { kind: 'verify_failed', text: core('certificate has expired') },
      { kind: 'verify_failed', text: core('certificate has expired', ' server=cucm.steven.lab(10.48.36.216) depth=0') },
      { kind: 'verify_failed', text: core('certificate has expired') },
    ], []);
    expect(rows.map((r) => [r.server.ip, r.log_events])).toEqual([['10.48.36.215', 2], ['10.48.36.216', 1]]);
  });

  it('says whether handshakes with that address were captured (visible ones only)', () => {
    const ev = { kind: 'verify_failed', text: core('certificate has expired') };
    const seen = conn({ id: 1, port: 8443, fixture: 'chain_trusted', store: root });
    expect(one(ev, [seen]).reason).toMatch(/, but none of the captured handshakes with that address matched these lines$/);
    const hidden = conn({ id: 2, port: 8443, tls13: true, store: root });
    expect(one(ev, [hidden]).reason).toMatch(/, but no captured handshake shows that server's certificate$/);
    expect(one(ev, [{ ...seen, server: { ip: '10.0.0.1', port: 8443 } }]).reason).toMatch(/no captured handshake shows/);
  });
});
