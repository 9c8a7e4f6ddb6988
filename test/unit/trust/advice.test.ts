/**
 * What each validation error tells the Expressway-C administrator to do (trust/advice.ts), on
 * connections built from the OpenSSL differential fixtures (test/fixtures/chains/).
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionOut, ValidationError } from '../../../src/report/model.js';
import { CLIENT_CERT_REJECTIONS, TRUST_STORE_MENU, adviceFor, clientRejectAdvice, serverCertificateName } from '../../../src/trust/advice.js';
import { uploadList, type UploadFile } from '../../../src/trust/upload-list.js';
import { conn } from '../findings/conn.js';
import { loadCase } from './chain-fixtures.js';

const storeOf = (fixture: string) => loadCase(fixture).store;
const root = storeOf('chain_trusted');
const none: ReadonlyMap<string, UploadFile> = new Map();
const uploadsOf = (c: ConnectionOut) => new Map(uploadList([c]).map((u) => [u.sha256, u]));
const err = (code: ValidationError['code'], depth: number | null, message: string, detail?: string): ValidationError =>
  ({ code, depth, message, ...(detail === undefined ? {} : { detail }) });
const NODES = `${TRUST_STORE_MENU} on every Expressway-C cluster node`;

describe('serverCertificateName', () => {
  it('names the CUCM / IM&P certificate usually behind the port, -ECDSA for an ECDSA leaf', () => {
    const rsa = loadCase('chain_trusted').leaf.facts;
    const ec = loadCase('ecdsa_p256').leaf.facts;
    expect([5061, 5091, 7400, 8443, 6972, 443].map((p) => serverCertificateName(p, rsa))).toEqual(['CallManager', 'CallManager', 'cup-xmpp', 'tomcat', 'tomcat', 'tomcat']);
    expect([5061, 7400, 8443].map((p) => serverCertificateName(p, ec))).toEqual(['CallManager-ECDSA', 'cup-xmpp-ECDSA', 'tomcat-ECDSA']);
    expect(serverCertificateName(5061, undefined)).toBe('CallManager');
  });
});

describe('adviceFor: trust', () => {
  it('self-signed leaf: upload that certificate (the exported file when there is one), or have it CA-signed', () => {
    const c = conn({ id: 1, port: 6972, fixture: 'self_signed_leaf', store: root });
    const e = c.validation.errors[0];
    expect(adviceFor(e, c, uploadsOf(c))).toEqual({
      reason: e.detail,
      fix: [
        `Upload cucm-EC.steven.lab.pem (the server's self-signed tomcat certificate, exported by tls-extract) to ${NODES}`,
        "Or have the server's tomcat certificate signed by a CA the Expressway-C already trusts (CUCM: Cisco Unified OS Administration > Security > Certificate Management > Generate CSR)",
      ],
    });
    const plain = adviceFor(err('self_signed', 0, 'self signed certificate'), c, none);
    expect(plain.reason).toBe('the server presents a self-signed certificate CN=cucm-EC.steven.lab that is not in the Expressway-C trust store');
    expect(plain.fix[0]).toBe(`Upload the server's self-signed tomcat certificate to ${NODES}`);
  });

  it('a certificate without CN is named by its subject, and without either as "the certificate"', () => {
    const c = conn({ id: 1, port: 5061, fixture: 'self_signed_leaf', store: root });
    const e = err('self_signed', 0, 'self signed certificate');
    c.certificates = [{ ...c.certificates[0], subject_cn: null }];
    expect(adviceFor(e, c, none).reason).toBe('the server presents a self-signed certificate CN=cucm-EC.steven.lab,OU=TAC,O=Cisco,C=US that is not in the Expressway-C trust store');
    c.certificates = [{ ...c.certificates[0], subject_cn: null, subject: '' }];
    expect(adviceFor(e, c, none).reason).toBe('the server presents a self-signed certificate the certificate that is not in the Expressway-C trust store');
    c.certificates = [];
    expect(adviceFor(e, c, none).fix[1]).toMatch(/^Or have the server's CallManager certificate signed/);
  });

  it('root sent but not trusted: upload that root', () => {
    const store = storeOf('leaf_untrusted_root_sent');
    const c = conn({ id: 3, port: 8443, fixture: 'leaf_untrusted_root_sent', store, name: 'cucm-ms.steven.lab' });
    const e = c.validation.errors[0];
    expect(e).toMatchObject({ code: 'self_signed_in_chain', depth: 1 });
    expect(adviceFor(e, c, uploadsOf(c))).toEqual({
      reason: e.detail,
      fix: [`Upload steven-DC-CA.pem (the root CA certificate CN=steven-DC-CA, exported by tls-extract) to ${NODES}`],
    });
    expect(adviceFor({ ...e, detail: undefined }, c, none)).toEqual({
      reason: 'the chain ends at the root CA CN=steven-DC-CA, which the server sent but the Expressway-C does not trust',
      fix: [`Upload the root CA certificate CN=steven-DC-CA to ${NODES}`],
    });
  });

  it('issuer neither sent nor trusted: names the missing CA, what was sent, and where to get the CA', () => {
    const c = conn({ id: 2, port: 8443, fixture: 'root_unknown_intermediate_sent', store: storeOf('root_unknown_intermediate_sent') });
    const e = c.validation.errors[0];
    expect(e).toMatchObject({ code: 'unknown_issuer', depth: 1, message: 'unable to get local issuer certificate' });
    const aki = c.certificates[1].aki!;
    const issuer = `"CN=steven-DC-CA,O=Steven Lab,C=US" (key identifier ${aki})`;
    expect(adviceFor(e, c, none)).toEqual({
      reason: `the CA ${issuer} that issued CN=Steven Issuing CA is neither sent by the server nor in the Expressway-C trust store; ` +
        'the server sent 2 certificates: CN=cucm-ms.steven.lab → CN=Steven Issuing CA (their PEM is in the report)',
      fix: [`Get the CA certificate ${issuer} (and any intermediate CAs) from the CA administrator or from the server's trust store (CUCM: tomcat-trust), and upload it to ${NODES}`],
    });
    // a single certificate sent; no key identifier; an ECDSA CallManager certificate is in CallManager-trust
    const lone = conn({ id: 3, port: 5061, fixture: 'ecdsa_p256', store: root });
    lone.certificates = [{ ...lone.certificates[0], aki: null }];
    const f = adviceFor(err('unknown_issuer', 0, 'unable to get local issuer certificate'), lone, none);
    const dn = lone.certificates[0].issuer;
    expect(f.reason).toBe(`the CA "${dn}" that issued CN=cucm-EC.steven.lab is neither sent by the server nor in the Expressway-C trust store; the server sent 1 certificate: CN=cucm-EC.steven.lab (their PEM is in the report)`);
    expect(f.fix).toEqual([`Get the CA certificate "${dn}" (and any intermediate CAs) from the CA administrator or from the server's trust store (CUCM: CallManager-trust), and upload it to ${NODES}`]);
    // no depth: no certificate to name
    expect(adviceFor(err('unknown_issuer', null, 'unable to get local issuer certificate'), lone, none).reason)
      .toMatch(/^the CA the issuing CA that issued the certificate is neither sent/);
  });

  it('an intermediate in the store without its root: says so, and asks for the root too', () => {
    const store = storeOf('intermediate_in_store_root_missing');
    const c = conn({ id: 4, port: 8443, fixture: 'intermediate_in_store_root_missing', store, name: null });
    const e = c.validation.errors[0];
    expect(e).toMatchObject({ code: 'unknown_issuer', depth: 1, message: 'unable to get issuer certificate' });
    const a = adviceFor(e, c, none);
    expect(a.reason).toContain(`is neither sent by the server nor in the Expressway-C trust store (${e.detail}); the server sent`);
    expect(a.fix).toHaveLength(2);
    expect(a.fix[1]).toBe('An intermediate CA in the trust store is not enough: its root CA must be uploaded too');
    expect(adviceFor({ ...e, detail: undefined }, c, none).reason).toContain('trust store (an intermediate CA is in the trust store without its root); the server sent');
  });

  it('an invalid extension as the cause: a re-issue, whatever the detail says beyond that', () => {
    const c = conn({ id: 5, port: 8443, fixture: 'chain_trusted', store: root });
    const detail = 'CN=x has a malformed or repeated keyUsage extension: OpenSSL 3 then takes it for a certificate of no issuer';
    expect(adviceFor(err('unknown_issuer', 0, 'unable to get local issuer certificate', detail), c, none)).toEqual({
      reason: detail,
      fix: ['Have the certificate named there re-issued with each extension present once and well formed (check it with openssl x509 -text: OpenSSL 3 refuses to build any chain through it)'],
    });
    // the words must be the explanation's, spaced: another detail is no invalid extension
    const other = adviceFor(err('unknown_issuer', 0, 'unable to get local issuer certificate', 'a malformed or repeatedly sent chain'), c, none);
    expect(other.reason).toMatch(/^the CA /);
  });

  it('bad signature: the stale CA is to be replaced', () => {
    const c = conn({ id: 6, port: 8443, fixture: 'tampered_intermediate', store: storeOf('tampered_intermediate') });
    const e = c.validation.errors[0];
    expect(e).toMatchObject({ code: 'bad_signature', depth: 1 });
    expect(adviceFor(e, c, none).reason).toBe(e.detail);
    expect(adviceFor({ ...e, detail: undefined }, c, none)).toEqual({
      reason: "the signature of CN=Steven Issuing CA does not verify with its issuer's key",
      fix: ['Check that the trust store and the server hold the current CA certificate (a re-issued CA with the same name and a new key breaks old chains); replace the stale one'],
    });
  });
});

describe('adviceFor: dates', () => {
  it('an expired leaf is renewed; an expired CA replaced', () => {
    const leaf = conn({ id: 7, port: 8443, fixture: 'expired_at_capture_valid_now', store: root, handshakeTime: '2027-09-01T00:00:00.000Z' });
    expect(adviceFor(leaf.validation.errors[0], leaf, none)).toEqual({
      reason: 'CN=cucm.steven.lab had expired (valid until 2027-06-01T00:00:00.000Z) when the handshake was captured',
      fix: ["Renew the server's tomcat certificate and restart the services that use it (CUCM: Cisco Tomcat, Cisco TFTP / HAProxy, CallManager)"],
    });
    const ca = conn({ id: 8, port: 8443, fixture: 'expired_intermediate', store: storeOf('expired_intermediate'), name: null });
    expect(ca.validation.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['expired@1']);
    expect(adviceFor(ca.validation.errors[0], ca, none)).toEqual({
      reason: 'CN=Steven Expired CA had expired (valid until 2025-01-01T00:00:00.000Z) when the handshake was captured',
      fix: [`Replace the expired CA certificate CN=Steven Expired CA with its renewed version on the server and in ${TRUST_STORE_MENU}`],
    });
    expect(adviceFor(err('expired', null, 'certificate has expired'), ca, none).reason)
      .toBe('the certificate had expired (valid until unknown) when the handshake was captured');
  });

  it('not yet valid: the clocks', () => {
    const c = conn({ id: 9, port: 8443, fixture: 'not_yet_valid', store: storeOf('not_yet_valid') });
    expect(adviceFor(c.validation.errors[0], c, none)).toEqual({
      reason: 'CN=cucm.steven.lab was not yet valid (valid from 2030-01-01T00:00:00.000Z) when the handshake was captured',
      fix: ['Check the clocks (NTP) of the server and of the Expressway-C, or wait until the certificate becomes valid'],
    });
    expect(adviceFor(err('not_yet_valid', 3, 'certificate is not yet valid'), c, none).reason)
      .toBe('the certificate was not yet valid (valid from unknown) when the handshake was captured');
  });

  it('a malformed validity date: re-issue the leaf, or replace the CA', () => {
    const c = conn({ id: 10, port: 8443, fixture: 'chain_trusted', store: root });
    expect(adviceFor(err('bad_time_format', 0, 'format error in certificate\'s notAfter field'), c, none)).toEqual({
      reason: "CN=cucm-ms.steven.lab: format error in certificate's notAfter field",
      fix: ["Re-issue the server's tomcat certificate: its validity dates must be written as RFC 5280 requires (UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ, no fractions of a second or time-zone offsets), which OpenSSL, and so Traffic Server, insists on"],
    });
    expect(adviceFor(err('bad_time_format', 1, 'x', 'the detail'), c, none)).toEqual({
      reason: 'the detail',
      fix: [`Replace the CA certificate CN=Steven Issuing CA by one whose validity dates are written as RFC 5280 requires (YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ), on the server and in ${TRUST_STORE_MENU}`],
    });
  });
});

describe('adviceFor: a chain member the server did not send', () => {
  it('is named from the lookup (the trust-store anchor), else "the certificate"', () => {
    const k = loadCase('expired_root_in_store');
    const at = new Date(k.meta.attime * 1000).toISOString();
    const c = conn({ id: 21, port: 8443, fixture: 'expired_root_in_store', store: k.store, handshakeTime: at, name: null });
    const e = c.validation.errors[0];
    expect(e).toMatchObject({ code: 'expired', depth: 2 });
    const facts = new Map(k.store.certs.map((x) => [x.sha256, x.facts]));
    expect(adviceFor(e, c, none, (sha) => facts.get(sha)).reason).toBe('CN=Old Root CA had expired (valid until 2025-01-01T00:00:00.000Z) when the handshake was captured');
    expect(adviceFor(e, c, none).reason).toBe('the certificate had expired (valid until unknown) when the handshake was captured');
    // a certificate the server sent is taken from the connection, not the lookup
    const sent = adviceFor(err('expired', 0, 'certificate has expired'), c, none, () => ({ ...c.certificates[1], subject_cn: 'wrong' }));
    expect(sent.reason).toMatch(/^CN=oldroot\.steven\.lab had expired/);
  });
});

describe('adviceFor: certificate contents', () => {
  const c = conn({ id: 11, port: 8443, fixture: 'chain_trusted', store: root });

  it('an unhandled critical extension: re-issue without it critical, the leaf by its service name', () => {
    const why = '(OpenSSL, and so Traffic Server, refuses a certificate with a critical extension it does not process)';
    expect(adviceFor(err('unhandled_critical', 0, 'unhandled critical extension'), c, none)).toEqual({
      reason: 'CN=cucm-ms.steven.lab: unhandled critical extension',
      fix: [`Have the server's tomcat certificate re-issued without marking that extension critical ${why}`],
    });
    expect(adviceFor(err('unhandled_critical', 1, 'unhandled critical extension'), c, none).fix).toEqual([`Have CN=Steven Issuing CA re-issued without marking that extension critical ${why}`]);
  });

  it('an unsuitable purpose on the leaf is the serverAuth EKU; on a CA, and an invalid CA, the CA flags', () => {
    const ca = (cn: string) => `Have the CA re-issue ${cn} with basicConstraints CA:TRUE and keyUsage keyCertSign (and no path length limit that the chain exceeds)`;
    expect(adviceFor(err('invalid_purpose', 0, 'unsupported certificate purpose'), c, none)).toEqual({
      reason: 'CN=cucm-ms.steven.lab: unsupported certificate purpose',
      fix: ['Re-issue the server\'s tomcat certificate with Extended Key Usage "TLS Web Server Authentication" (serverAuth)'],
    });
    expect(adviceFor(err('invalid_purpose', 1, 'unsupported certificate purpose'), c, none).fix).toEqual([ca('CN=Steven Issuing CA')]);
    expect(adviceFor(err('invalid_ca', 0, 'invalid CA certificate'), c, none).fix).toEqual([ca('CN=cucm-ms.steven.lab')]);
    expect(adviceFor(err('chain_too_long', 1, 'certificate chain too long', 'd'), c, none)).toEqual({ reason: 'd', fix: [ca('CN=Steven Issuing CA')] });
  });

  it('weak keys and digests: what to re-issue with, and the security level note', () => {
    const level = 'Security level 2 is the default of OpenSSL 3 (Traffic Server on a current Linux) and of tls-extract; an Expressway on OpenSSL 1.1.1 (level 1) still accepts 1024-bit RSA keys and SHA-1 signatures: --security-level 0 shows the verdict without these checks';
    expect(adviceFor(err('weak_key', 0, 'EE certificate key too weak'), c, none)).toEqual({
      reason: 'CN=cucm-ms.steven.lab: EE certificate key too weak',
      fix: ["Re-issue the server's tomcat certificate with a 2048-bit (or larger) RSA key or an ECDSA P-256 key (CUCM: regenerate it or sign a new CSR)", level],
    });
    expect(adviceFor(err('weak_digest', 0, 'CA signature digest algorithm too weak'), c, none).fix[0])
      .toBe("Re-issue the server's tomcat certificate with a SHA-256 signature (CUCM: regenerate it or sign a new CSR)");
    expect(adviceFor(err('weak_key', 1, 'CA certificate key too weak'), c, none).fix).toEqual([
      `Replace the CA certificate CN=Steven Issuing CA by one with a 2048-bit (or larger) RSA key or an ECDSA key, on the server and in ${TRUST_STORE_MENU}`, level,
    ]);
    expect(adviceFor(err('weak_digest', 1, 'CA signature digest algorithm too weak'), c, none).fix).toEqual([
      `Have CN=Steven Issuing CA re-signed by its CA with SHA-256 (or replaced), on the server and in ${TRUST_STORE_MENU}`, level,
    ]);
  });

  it('name constraints: both fixes and the reminder that every CA\'s constraints apply', () => {
    const a = adviceFor(err('name_constraints', 1, 'excluded subtree violation'), c, none);
    expect(a).toEqual({
      reason: 'CN=Steven Issuing CA: excluded subtree violation',
      fix: [
        'Have CN=Steven Issuing CA issued under a CA whose name constraints cover it, or have the constraining CA re-issued with constraints that include these names',
        'OpenSSL (and so Traffic Server) enforces the nameConstraints of every CA in the chain, the trust anchor included, on every certificate below it',
      ],
    });
  });

  it('any other code: its detail, else its message, and nothing to fix', () => {
    expect(adviceFor(err('incomplete', 0, 'certificate bytes incomplete in the capture', 'only 200 bytes'), c, none)).toEqual({ reason: 'only 200 bytes', fix: [] });
    expect(adviceFor(err('incomplete', 0, 'certificate bytes incomplete in the capture'), c, none)).toEqual({ reason: 'certificate bytes incomplete in the capture', fix: [] });
  });
});

describe('adviceFor: name mismatch', () => {
  const mismatch = (c: ConnectionOut) => adviceFor(c.validation.errors.find((e) => e.code === 'name_mismatch')!, c, none);

  it('names where the checked name came from', () => {
    const sources = { option: 'given with --name', sni: 'sent as SNI', log: 'named in the Traffic Server log', ip: 'the server IP address' } as const;
    for (const [source, words] of Object.entries(sources)) {
      const c = conn({ id: 12, port: 8443, fixture: 'chain_trusted', store: root, name: 'other.steven.lab', nameSource: source as keyof typeof sources });
      expect(mismatch(c).reason).toMatch(new RegExp(`^Traffic Server checked the name other\\.steven\\.lab \\(${words}\\) but`));
    }
    // no source recorded, no name: the server IP
    const c = conn({ id: 13, port: 8443, fixture: 'chain_trusted', store: root, name: 'other.steven.lab' });
    c.validation = { ...c.validation, checked_name: null, checked_name_source: undefined };
    expect(mismatch(c).reason).toMatch(/^Traffic Server checked the name 10\.48\.36\.215 \(the server IP address\) but the certificate holds DNS:cucm\.steven\.lab/);
    expect(mismatch(c).fix[0]).toMatch(/^Put 10\.48\.36\.215 in the Subject Alternative Names/);
  });

  it('lists at most 8 DNS and 4 IP SANs, then the CN', () => {
    const c = conn({ id: 14, port: 8443, fixture: 'chain_trusted', store: root, name: 'other.steven.lab' });
    const dns = Array.from({ length: 10 }, (_, i) => `n${i}.lab`);
    const ip = Array.from({ length: 6 }, (_, i) => `10.0.0.${i}`);
    c.certificates = [{ ...c.certificates[0], san: { dns, ip } }, ...c.certificates.slice(1)];
    const a = mismatch(c);
    expect(a.reason).toBe(
      `Traffic Server checked the name other.steven.lab (sent as SNI) but the certificate holds ${dns.slice(0, 8).map((d) => `DNS:${d}`).join(', ')}, ` +
      `${ip.slice(0, 4).map((i) => `IP:${i}`).join(', ')}, CN=cucm-ms.steven.lab`,
    );
    expect(a.fix).toEqual([
      "Put other.steven.lab in the Subject Alternative Names of the server's tomcat certificate (re-issue it; a multi-SAN certificate can list every node)",
      'Or advertise the name that is in the certificate: on CUCM, System > Server, define this node as n0.lab (an FQDN the Expressway-C resolves)',
      'An IP-address SAN does not help: Traffic Server ignores IP SANs; use an FQDN',
    ]);
  });

  it('a wildcard SAN is not offered as the name to advertise: the CN is', () => {
    const c = conn({ id: 15, port: 8443, fixture: 'wildcard_san', store: storeOf('wildcard_san'), name: 'a.b.steven.lab' });
    expect(mismatch(c).fix[1]).toBe('Or advertise the name that is in the certificate: on CUCM, System > Server, define this node as wildcard.steven.lab (an FQDN the Expressway-C resolves)');
    expect(mismatch(c).fix).toHaveLength(2);
  });

  it('a certificate without names, or no certificate: says so, and a generic advertise line', () => {
    const c = conn({ id: 16, port: 8443, fixture: 'chain_trusted', store: root, name: 'other.steven.lab' });
    c.certificates = [{ ...c.certificates[0], san: { dns: [], ip: [] }, subject_cn: null }, ...c.certificates.slice(1)];
    const a = mismatch(c);
    expect(a.reason).toBe('Traffic Server checked the name other.steven.lab (sent as SNI) but the certificate holds no names');
    expect(a.fix).toEqual([
      "Put other.steven.lab in the Subject Alternative Names of the server's tomcat certificate (re-issue it; a multi-SAN certificate can list every node)",
      'Or advertise the node under System > Server with an FQDN that the certificate contains',
    ]);
    c.certificates = [];
    expect(mismatch(c).reason).toBe('Traffic Server checked the name other.steven.lab (sent as SNI) but the certificate holds no names');
  });

  it('an IP-address SAN for the name: the detail is added, and the fix says it does not help', () => {
    const c = conn({ id: 17, port: 8443, fixture: 'ip_only_san', store: root, name: '10.48.36.215', nameSource: 'ip' });
    const e = c.validation.errors.find((x) => x.code === 'name_mismatch')!;
    const a = mismatch(c);
    expect(a.reason).toBe(`Traffic Server checked the name 10.48.36.215 (the server IP address) but the certificate holds IP:10.48.36.215, CN=cucm: ${e.detail}`);
    expect(a.fix.at(-1)).toBe('An IP-address SAN does not help: Traffic Server ignores IP SANs; use an FQDN');
    // another detail is not repeated
    expect(adviceFor({ ...e, detail: 'something else' }, c, none).reason).toBe('Traffic Server checked the name 10.48.36.215 (the server IP address) but the certificate holds IP:10.48.36.215, CN=cucm');
  });
});

describe('clientRejectAdvice', () => {
  it('the server\'s trust store to fix is CallManager-trust for SIP, tomcat-trust otherwise', () => {
    const sip = conn({ id: 18, port: 5091, fixture: 'chain_trusted', store: root, clientCertificateRequested: true });
    expect(clientRejectAdvice(sip, 'unknown_ca')).toEqual({
      reason: 'the server ended the handshake with a fatal unknown_ca alert: it does not accept the Expressway-C client certificate it asked for (mutual TLS)',
      fix: ["Upload the CA that signed the Expressway-C server certificate (or the certificate itself if self-signed) to the server's CallManager-trust (CUCM: Cisco Unified OS Administration > Security > Certificate Management > Upload Certificate), then restart the affected services"],
    });
    const tftp = conn({ id: 19, port: 6972, fixture: 'chain_trusted', store: root });
    const a = clientRejectAdvice(tftp, 'bad_certificate');
    expect(a.reason).toBe('the server ended the handshake with a fatal bad_certificate alert: it does not accept the Expressway-C client certificate (mutual TLS)');
    expect(a.fix[0]).toContain("to the server's tomcat-trust (CUCM:");
    expect(clientRejectAdvice(conn({ id: 20, port: 5061, fixture: 'chain_trusted', store: root }), 'unknown_ca').fix[0]).toContain("server's CallManager-trust");
  });

  it('the alerts that mean a rejected client certificate', () => {
    expect([...CLIENT_CERT_REJECTIONS].sort()).toEqual([
      'access_denied', 'bad_certificate', 'certificate_expired', 'certificate_revoked', 'certificate_unknown', 'unknown_ca', 'unsupported_certificate',
    ]);
  });
});
