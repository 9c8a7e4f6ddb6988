/**
 * "unhandled critical extension" (X509_V_ERR 34): a certificate with a critical extension that
 * OpenSSL's verification does not process is refused (src/x509/oids.ts OPENSSL_SUPPORTED_EXTENSIONS;
 * a real Traffic Server refused samples/ats-matrix case c30 so). Live differential test against
 * `openssl verify` on chains made at test time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { validateChain } from '../../../src/trust/validate-chain.js';
import { LivePki, hasOpenssl3 } from './live-openssl.js';

const leafBase = [
  'basicConstraints = CA:FALSE', 'keyUsage = critical, digitalSignature, keyEncipherment',
  'extendedKeyUsage = serverAuth', 'subjectAltName = DNS:host.example',
];
const SECTIONS = [
  '[ski_critical]', ...leafBase, 'subjectKeyIdentifier = critical, hash', 'authorityKeyIdentifier = keyid',
  '[aki_critical]', ...leafBase, 'authorityKeyIdentifier = critical, keyid',
  '[aia_critical]', ...leafBase, 'authorityInfoAccess = critical, OCSP;URI:http://ocsp.example/',
  '[crldp_critical]', ...leafBase, 'crlDistributionPoints = critical, URI:http://crl.example/ca.crl',
  '[policies_critical]', ...leafBase, 'certificatePolicies = critical, 2.23.140.1.2.1',
  '[unknown_critical]', ...leafBase, '1.3.6.1.4.1.99999.1 = critical, ASN1:NULL',
  '[unknown_not_critical]', ...leafBase, '1.3.6.1.4.1.99999.1 = ASN1:NULL',
  '[ca_unknown_critical]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign',
  'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid', '1.3.6.1.4.1.99999.2 = critical, ASN1:NULL',
].join('\n');

describe.skipIf(!hasOpenssl3())('critical extensions: the same verdict as openssl verify', () => {
  const pki = new LivePki(SECTIONS);
  afterAll(() => pki.remove());
  const root = pki.cert('root', 'ec:P-256', null, 'sha256', 'ca');
  const oddCa = pki.cert('odd-ca', 'ec:P-256', root, 'sha256', 'ca_unknown_critical');
  const cases: Record<string, { ext: string; issuer: typeof root; sent: string[]; fails: boolean }> = {
    ski_critical: { ext: 'ski_critical', issuer: root, sent: [], fails: true },
    aki_critical: { ext: 'aki_critical', issuer: root, sent: [], fails: true },
    aia_critical: { ext: 'aia_critical', issuer: root, sent: [], fails: true },
    crldp_critical: { ext: 'crldp_critical', issuer: root, sent: [], fails: false },
    policies_critical: { ext: 'policies_critical', issuer: root, sent: [], fails: false },
    unknown_critical: { ext: 'unknown_critical', issuer: root, sent: [], fails: true },
    unknown_not_critical: { ext: 'unknown_not_critical', issuer: root, sent: [], fails: false },
    intermediate_unknown_critical: { ext: 'leaf', issuer: oddCa, sent: ['odd-ca'], fails: true },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      pki.cert(name, 'ec:P-256', c.issuer, 'sha256', c.ext);
      const chain = pki.chain(name, c.sent, ['root']);
      const atSec = Math.floor(Date.now() / 1000);
      const theirs = chain.verify([], atSec);
      expect(theirs.length > 0).toBe(c.fails);
      const ours = validateChain({
        presented: [chain.leaf, ...chain.sent], store: chain.store, atMs: atSec * 1000, nowMs: atSec * 1000,
        checkedName: null, checkedNameSource: null, visible: true,
      });
      expect(ours.status).toBe(c.fails ? 'untrusted' : 'trusted');
      expect(ours.errors.slice(0, 1).map((e) => `${e.code}@${e.depth}`)).toEqual(theirs.slice(0, 1));
      if (c.fails) {
        expect(ours.errors[0].message).toBe('unhandled critical extension');
        expect(ours.errors[0].detail).toMatch(/critical, which OpenSSL's verification does not process/);
      }
    });
  }
});
