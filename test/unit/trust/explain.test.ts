/**
 * The plain-words detail of each validation error (trust/explain.ts), on the OpenSSL differential
 * fixtures (test/fixtures/chains/): the error code and depth are those openssl verify reported for
 * the case (meta.json), the detail names the certificate and the cause.
 */
import { describe, expect, it } from 'vitest';
import { validateChain } from '../../../src/trust/validate-chain.js';
import { explain, certLabel, INVALID_EXTENSION_WORDS } from '../../../src/trust/explain.js';
import { X509_ERR } from '../../../src/trust/verify-errors.js';
import { analyzeCertificate } from '../../../src/x509/analyze.js';
import { loadCase } from './chain-fixtures.js';
import { bcExt, buildCert, cnName, d, ext, kuExt, sanExt, spkiOf } from '../x509/build-cert.js';
import { generateKeyPairSync } from 'node:crypto';

function errorsOf(name: string) {
  const c = loadCase(name);
  const at = c.meta.attime * 1000;
  const v = validateChain({
    presented: [c.leaf, ...c.untrusted], store: c.store, atMs: at, nowMs: at,
    checkedName: c.meta.name, checkedNameSource: c.meta.name ? 'sni' : null, visible: true,
  });
  return { c, v, errors: v.errors.map((e) => [e.code, e.depth, e.detail]) };
}

describe('explain: the detail of each error, on the OpenSSL fixtures', () => {
  it.each([
    ['chain_untrusted_root_sent', [['self_signed_in_chain', 2, 'the chain ends at the self-signed root CN=steven-DC-CA, which the server sent but which is not in the trust store']]],
    ['client_auth_only_eku', [['invalid_purpose', 0, "CN=client.steven.lab's extended key usage (clientAuth) does not include serverAuth (TLS Web Server Authentication)"]]],
    ['expired_intermediate', [['expired', 1, 'CN=Steven Expired CA expired on 2025-01-01 (checked at 2025-06-01T00:00:00.000Z)']]],
    ['not_yet_valid', [['not_yet_valid', 0, 'CN=cucm.steven.lab is not valid before 2030-01-01 (checked at 2025-06-01T00:00:00.000Z)']]],
    ['intermediate_no_basic_constraints', [['invalid_ca', 1, 'CN=Steven No BC CA issues certificates in this chain but it has no basicConstraints CA:TRUE (required below the root)']]],
    ['intermediate_not_ca', [
      ['invalid_ca', 1, 'CN=Steven Not A CA issues certificates in this chain but its basicConstraints say CA:FALSE'],
      ['invalid_purpose', 1, 'CN=Steven Not A CA is not a CA certificate'],
    ]],
    ['intermediate_no_keycertsign', [
      ['invalid_ca', 1, "CN=Steven No CertSign CA issues certificates in this chain but its keyUsage does not include keyCertSign; OpenSSL 1.1.1 does not even accept it as the issuer and reports 'unable to get local issuer certificate' at depth 0"],
      ['invalid_purpose', 1, 'CN=Steven No CertSign CA is not a CA certificate'],
      ['invalid_ca', 1, 'CN=Steven No CertSign CA signed the certificate below it but its keyUsage does not include keyCertSign'],
    ]],
    ['path_length_exceeded', [['invalid_ca', 2, 'CN=Pathlen0 Root allows 0 intermediate CA certificate(s) below it; the chain has more']]],
    ['intermediate_in_store_root_missing', [['unknown_issuer', 1,
      'the trust store holds CN=Steven Issuing CA but not its issuer "CN=steven-DC-CA,O=Steven Lab,C=US" (key id f03d150acdea37390facd32e4c0b20bee2d4d949); ' +
      "a certificate that is not self-signed is not a trust anchor on its own (OpenSSL partial chains are off), and the server's own copies are no longer searched"]]],
    ['missing_intermediate', [['unknown_issuer', 0,
      'the issuer of CN=cucm-ms.steven.lab, "CN=Steven Issuing CA,O=Steven Lab" (key id b8d47f04b43098ee788841512f077fc5981f9455), was not sent by the server and is not in the trust store']]],
    ['tampered_intermediate', [['bad_signature', 1, 'the signature of CN=Steven Issuing CA does not verify with the key of CN=steven-DC-CA']]],
    ['self_signed_leaf', [['self_signed', 0, 'the server certificate CN=cucm-EC.steven.lab is self-signed and is not in the trust store']]],
  ] as const)('%s', (name, expected) => {
    const { c, errors } = errorsOf(name);
    expect(errors).toEqual(expected);
    // the codes and depths are what openssl verify said (the fixture's recorded verdict)
    expect(errors.map((e) => e[1])).toEqual(c.meta.openssl.errors.map((e) => e.depth));
  });

  it('a self-signed leaf whose subject the store holds under another key names that certificate and the bug', () => {
    const { c, v } = errorsOf('self_signed_mimic_in_store');
    const other = c.store.certs.find((s) => s.facts.subject === c.leaf.facts.subject && s.sha256 !== c.leaf.sha256)!;
    expect(v.errors[0].detail).toBe(
      'the server certificate CN=cucm-EC.steven.lab is self-signed and is not in the trust store; ' +
      `the trust store holds a different certificate with the same subject (sha256 ${other.sha256.slice(0, 16)}…): ` +
      'the lookup is by name, so two certificates with the same subject cannot both be trusted (CSCwa12894 / CSCwa12905)',
    );
  });

  it('a bad signature through one of two same-subject CAs names the other, by its hash', () => {
    const { c, v } = errorsOf('twin_ca_no_aki');
    const right = c.untrusted.find((u) => u.sha256 !== v.chain[1])!;
    expect(v.errors[0].detail).toBe(
      `the signature of CN=twin2.steven.lab does not verify with the key of CN=Twin2 CA; another certificate with the same subject (sha256 ${right.sha256.slice(0, 16)}…) ` +
      'does verify it: issuers are picked by name and key identifier, not by signature',
    );
  });
});

describe('explain: labels and edge cases', () => {
  const ec = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const selfSigned = (subject: Uint8Array, extensions: Uint8Array[], validity: { notBefore?: Uint8Array; notAfter?: Uint8Array } = {}) => {
    const k = ec();
    return analyzeCertificate(buildCert({
      subject, serialHex: '01', ...validity, spki: spkiOf(k.publicKey), extensions, signKey: k.privateKey, sigOid: '1.2.840.10045.4.3.2', digest: 'sha256',
    }), true);
  };
  const ctx = (chain: ReturnType<typeof selfSigned>[]) => ({ chain, known: chain, mimics: [], atMs: Date.parse('2026-01-01T00:00:00Z'), securityLevel: 2 });

  it('a certificate is named by its CN, else its subject, else its hash', () => {
    const cn = selfSigned(cnName('a.example'), []);
    expect(certLabel(cn)).toBe('CN=a.example');
    const noSubject = selfSigned(new Uint8Array([0x30, 0]), []);
    expect(certLabel(noSubject)).toBe(`sha256 ${noSubject.sha256.slice(0, 16)}`);
  });

  it('a self-signed leaf whose keyUsage lacks keyCertSign: the OpenSSL 1.1.1 wording is named; with keyCertSign it is not', () => {
    const noSign = selfSigned(cnName('ku.example'), [kuExt([0])]);
    expect(explain({ err: X509_ERR.DEPTH_ZERO_SELF_SIGNED_CERT, depth: 0 }, ctx([noSign]))).toBe(
      "the server certificate CN=ku.example is self-signed and is not in the trust store; OpenSSL 1.1.1 reports this certificate as 'unable to get local issuer certificate' because its keyUsage lacks keyCertSign",
    );
    const sign = selfSigned(cnName('ku.example'), [kuExt([0, 5])]);
    expect(explain({ err: X509_ERR.DEPTH_ZERO_SELF_SIGNED_CERT, depth: 0 }, ctx([sign]))).toBe('the server certificate CN=ku.example is self-signed and is not in the trust store');
    const none = selfSigned(cnName('ku.example'), []);
    expect(explain({ err: X509_ERR.DEPTH_ZERO_SELF_SIGNED_CERT, depth: 0 }, ctx([none]))).toBe('the server certificate CN=ku.example is self-signed and is not in the trust store');
  });

  it('an error at a depth past the chain describes its top certificate', () => {
    const top = selfSigned(cnName('top.example'), []);
    expect(explain({ err: X509_ERR.SELF_SIGNED_CERT_IN_CHAIN, depth: 5 }, ctx([top]))).toBe(
      'the chain ends at the self-signed root CN=top.example, which the server sent but which is not in the trust store',
    );
  });

  it('no basicConstraints on a self-signed CA: said so (a root needs none)', () => {
    const root = selfSigned(cnName('root.example'), []);
    expect(explain({ err: X509_ERR.INVALID_CA, depth: 0 }, ctx([root]))).toBe('CN=root.example issues certificates in this chain but it has no basicConstraints extension');
    const valid = selfSigned(cnName('ok.example'), [bcExt(true), kuExt([5, 6])]);
    expect(explain({ err: X509_ERR.INVALID_CA, depth: 0 }, ctx([valid]))).toBe('CN=ok.example issues certificates in this chain but it is not a valid CA');
  });

  it('an unhandled critical extension is named, or given as its OID, one or several', () => {
    const one = selfSigned(cnName('crit.example'), [ext('1.2.3.4', new Uint8Array([0x05, 0x00]), true)]);
    expect(explain({ err: X509_ERR.UNHANDLED_CRITICAL_EXTENSION, depth: 0 }, ctx([one]))).toBe(
      "CN=crit.example marks the extension 1.2.3.4 critical, which OpenSSL's verification does not process",
    );
    const two = selfSigned(cnName('crit.example'), [ext('1.2.3.4', new Uint8Array([0x05, 0x00]), true), ext('2.5.29.46', new Uint8Array([0x30, 0x00]), true)]);
    expect(explain({ err: X509_ERR.UNHANDLED_CRITICAL_EXTENSION, depth: 0 }, ctx([two]))).toBe(
      "CN=crit.example marks the extensions 1.2.3.4, freshestCRL critical, which OpenSSL's verification does not process",
    );
  });

  it('the leaf keyUsage case of an unsuitable purpose, and a chain too long', () => {
    const leaf = selfSigned(cnName('leaf.example'), [kuExt([5, 6])]);
    expect(explain({ err: X509_ERR.INVALID_PURPOSE, depth: 0 }, ctx([leaf]))).toBe(
      "CN=leaf.example's keyUsage (keyCertSign, cRLSign) allows neither digitalSignature, keyEncipherment nor keyAgreement",
    );
    expect(explain({ err: X509_ERR.CERT_CHAIN_TOO_LONG, depth: 0 }, ctx([leaf]))).toBe("the chain is longer than OpenSSL's default depth limit (100)");
    expect(explain({ err: 9999, depth: 0 }, ctx([leaf]))).toBe('');
  });

  it('a malformed validity date: the field and the text as written', () => {
    const badBefore = selfSigned(cnName('t.example'), [], { notBefore: d.utcTime('2001010000Z') });
    expect(explain({ err: X509_ERR.ERROR_IN_CERT_NOT_BEFORE_FIELD, depth: 0 }, ctx([badBefore]))).toBe(
      'CN=t.example\'s notBefore is written "2001010000Z": OpenSSL accepts only YYMMDDHHMMSSZ (UTCTime) or YYYYMMDDHHMMSSZ (GeneralizedTime) of a real date, and refuses the certificate at any time',
    );
    const badAfter = selfSigned(cnName('t.example'), [], { notAfter: d.genTime('20400101000000.5Z') });
    expect(explain({ err: X509_ERR.ERROR_IN_CERT_NOT_AFTER_FIELD, depth: 0 }, ctx([badAfter]))).toMatch(/^CN=t\.example's notAfter is written "20400101000000\.5Z": /);
    // a well-formed date has no bad text
    const good = selfSigned(cnName('t.example'), []);
    expect(explain({ err: X509_ERR.ERROR_IN_CERT_NOT_AFTER_FIELD, depth: 0 }, ctx([good]))).toMatch(/^CN=t\.example's notAfter is written "\?": /);
  });

  it('several malformed or repeated extensions are all named, in the plural; an issuer without key id is named by its DN', () => {
    const bad = selfSigned(cnName('dup.example'), [sanExt(['a.example']), sanExt(['b.example']), kuExt([0]), kuExt([0])]);
    expect(explain({ err: X509_ERR.UNABLE_TO_GET_ISSUER_CERT_LOCALLY, depth: 0 }, ctx([bad]))).toBe(
      'CN=dup.example has a malformed or repeated subjectAltName, keyUsage extensions: OpenSSL 3 then takes it for a certificate of no issuer (and no issuer of others), whatever the server sent or the trust store holds',
    );
    const plain = selfSigned(cnName('p.example'), []);
    expect(explain({ err: X509_ERR.UNABLE_TO_GET_ISSUER_CERT_LOCALLY, depth: 0 }, ctx([plain]))).toBe(
      'the issuer of CN=p.example, "CN=p.example", was not sent by the server and is not in the trust store',
    );
  });

  it('the words advice.ts looks for are those of the explanation', () => {
    expect(INVALID_EXTENSION_WORDS).toBe('a malformed or repeated');
  });
});
