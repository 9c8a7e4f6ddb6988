/**
 * check_extensions / check_ca / the ssl_server purpose at their boundaries, against `openssl verify`
 * on chains made at test time (path lengths at and over the limit, a trust anchor that is not a CA,
 * leaf keyUsage and extendedKeyUsage variants, the Netscape certificate type OpenSSL still reads). Only when OpenSSL 3 is on PATH (CI installs it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { validateChain } from '../../../src/trust/validate-chain.js';
import { LivePki, hasOpenssl3, type Made } from './live-openssl.js';

const leafWith = (...lines: string[]) => ['basicConstraints = CA:FALSE', 'subjectAltName = DNS:host.example', 'authorityKeyIdentifier = keyid', ...lines];
const caWith = (...lines: string[]) => ['keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid', ...lines];
const SECTIONS = [
  '[ca_pathlen0]', ...caWith('basicConstraints = critical, CA:TRUE, pathlen:0'),
  '[ca_pathlen1]', ...caWith('basicConstraints = critical, CA:TRUE, pathlen:1'),
  '[ca_pathlen5]', ...caWith('basicConstraints = critical, CA:TRUE, pathlen:5'),
  '[root_not_ca]', ...caWith('basicConstraints = critical, CA:FALSE'),
  // OpenSSL 3.0 keeps the pathLenConstraint of a CA:FALSE certificate (ex_pathlen) and checks it too
  '[not_ca_pathlen0]', ...caWith('basicConstraints = critical, CA:FALSE, pathlen:0'),
  '[root_no_bc_no_ku]', 'subjectKeyIdentifier = hash',
  '[root_no_bc_ku]', 'keyUsage = critical, keyCertSign', 'subjectKeyIdentifier = hash',
  '[leaf_ku_agreement]', ...leafWith('keyUsage = critical, keyAgreement', 'extendedKeyUsage = serverAuth'),
  '[leaf_ku_encipherment]', ...leafWith('keyUsage = critical, keyEncipherment', 'extendedKeyUsage = serverAuth'),
  '[leaf_ku_crlsign]', ...leafWith('keyUsage = critical, cRLSign', 'extendedKeyUsage = serverAuth'),
  '[leaf_ns_sgc]', ...leafWith('extendedKeyUsage = nsSGC'),
  '[leaf_ms_sgc]', ...leafWith('extendedKeyUsage = msSGC'),
  '[leaf_code_signing]', ...leafWith('extendedKeyUsage = codeSigning, emailProtection'),
  '[leaf_no_eku_no_ku]', ...leafWith(),
  '[ca_nokid]', 'basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign', 'subjectKeyIdentifier = none', 'authorityKeyIdentifier = none',
  '[leaf_nokid]', 'basicConstraints = CA:FALSE', 'extendedKeyUsage = serverAuth', 'subjectAltName = DNS:host.example',
  'subjectKeyIdentifier = none', 'authorityKeyIdentifier = none',
  // Netscape certificate type (check_ca 5, check_ssl_ca, ns_reject): a CA by that type alone, and leaves
  '[ca_ns_sslca]', 'nsCertType = sslCA', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid',
  '[ca_ns_objca]', 'nsCertType = objCA, emailCA', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid',
  '[ca_ns_server]', 'nsCertType = server', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid',
  '[leaf_ns_client]', ...leafWith('nsCertType = client, email'),
  '[leaf_ns_server]', ...leafWith('nsCertType = server'),
].join('\n');

describe.skipIf(!hasOpenssl3())('chain checks at their boundaries: the same verdict as openssl verify', () => {
  const pki = new LivePki(SECTIONS);
  afterAll(() => pki.remove());
  const cert = (name: string, issuer: Made | null, ext: string) => pki.cert(name, 'ec:P-256', issuer, 'sha256', ext);
  const root = cert('root', null, 'ca');
  const cases: Record<string, () => { leaf: string; sent: string[]; store: string[] }> = {
    pathlen1_one_intermediate: () => {
      const r = cert('r-pl1', null, 'ca_pathlen1');
      const i1 = cert('i-pl1', r, 'ca');
      return { leaf: cert('l-pl1', i1, 'leaf').name, sent: ['i-pl1'], store: ['r-pl1'] };
    },
    pathlen1_two_intermediates: () => {
      const r = cert('r-pl1b', null, 'ca_pathlen1');
      const i1 = cert('i1-pl1b', r, 'ca');
      const i2 = cert('i2-pl1b', i1, 'ca');
      return { leaf: cert('l-pl1b', i2, 'leaf').name, sent: ['i2-pl1b', 'i1-pl1b'], store: ['r-pl1b'] };
    },
    pathlen0_root_one_intermediate: () => {
      const r = cert('r-pl0', null, 'ca_pathlen0');
      const i1 = cert('i-pl0', r, 'ca');
      return { leaf: cert('l-pl0', i1, 'leaf').name, sent: ['i-pl0'], store: ['r-pl0'] };
    },
    pathlen0_intermediate_over_intermediate: () => {
      const i1 = cert('i1-pl0', root, 'ca_pathlen0');
      const i2 = cert('i2-pl0', i1, 'ca');
      return { leaf: cert('l-pl0b', i2, 'leaf').name, sent: ['i2-pl0', 'i1-pl0'], store: ['root'] };
    },
    not_ca_with_pathlen0_over_intermediate: () => {
      const i2 = cert('i2-ncpl0', root, 'not_ca_pathlen0');
      const i1 = cert('i1-ncpl0', i2, 'ca');
      return { leaf: cert('l-ncpl0', i1, 'leaf').name, sent: ['i1-ncpl0', 'i2-ncpl0'], store: ['root'] };
    },
    not_ca_with_pathlen0_over_leaf: () => {
      const i = cert('i-ncpl0b', root, 'not_ca_pathlen0');
      return { leaf: cert('l-ncpl0b', i, 'leaf').name, sent: ['i-ncpl0b'], store: ['root'] };
    },
    pathlen5_root_two_intermediates: () => {
      const r = cert('r-pl5', null, 'ca_pathlen5');
      const i1 = cert('i1-pl5', r, 'ca');
      const i2 = cert('i2-pl5', i1, 'ca');
      return { leaf: cert('l-pl5', i2, 'leaf').name, sent: ['i2-pl5', 'i1-pl5'], store: ['r-pl5'] };
    },
    anchor_not_ca: () => {
      const r = cert('r-notca', null, 'root_not_ca');
      return { leaf: cert('l-notca', r, 'leaf').name, sent: [], store: ['r-notca'] };
    },
    anchor_without_bc_or_ku: () => {
      const r = cert('r-nobc', null, 'root_no_bc_no_ku');
      return { leaf: cert('l-nobc', r, 'leaf').name, sent: [], store: ['r-nobc'] };
    },
    anchor_without_bc_with_certsign: () => {
      const r = cert('r-nobcku', null, 'root_no_bc_ku');
      return { leaf: cert('l-nobcku', r, 'leaf').name, sent: [], store: ['r-nobcku'] };
    },
    leaf_key_agreement_only: () => ({ leaf: cert('l-agree', root, 'leaf_ku_agreement').name, sent: [], store: ['root'] }),
    leaf_key_encipherment_only: () => ({ leaf: cert('l-enc', root, 'leaf_ku_encipherment').name, sent: [], store: ['root'] }),
    leaf_crl_sign_only: () => ({ leaf: cert('l-crl', root, 'leaf_ku_crlsign').name, sent: [], store: ['root'] }),
    leaf_netscape_sgc: () => ({ leaf: cert('l-nssgc', root, 'leaf_ns_sgc').name, sent: [], store: ['root'] }),
    leaf_microsoft_sgc: () => ({ leaf: cert('l-mssgc', root, 'leaf_ms_sgc').name, sent: [], store: ['root'] }),
    leaf_other_eku: () => ({ leaf: cert('l-code', root, 'leaf_code_signing').name, sent: [], store: ['root'] }),
    leaf_no_eku_no_ku: () => ({ leaf: cert('l-plain', root, 'leaf_no_eku_no_ku').name, sent: [], store: ['root'] }),
    intermediate_netscape_ssl_ca_only: () => {
      const i = cert('i-nsca', root, 'ca_ns_sslca');
      return { leaf: cert('l-nsca', i, 'leaf').name, sent: ['i-nsca'], store: ['root'] };
    },
    anchor_netscape_ssl_ca_only: () => {
      const r = cert('r-nsca', null, 'ca_ns_sslca');
      return { leaf: cert('l-rnsca', r, 'leaf').name, sent: [], store: ['r-nsca'] };
    },
    anchor_netscape_other_ca_only: () => {
      const r = cert('r-nsobj', null, 'ca_ns_objca');
      return { leaf: cert('l-rnsobj', r, 'leaf').name, sent: [], store: ['r-nsobj'] };
    },
    anchor_netscape_not_ca: () => {
      const r = cert('r-nssrv', null, 'ca_ns_server');
      return { leaf: cert('l-rnssrv', r, 'leaf').name, sent: [], store: ['r-nssrv'] };
    },
    leaf_netscape_client_only: () => ({ leaf: cert('l-nsclient', root, 'leaf_ns_client').name, sent: [], store: ['root'] }),
    leaf_netscape_server: () => ({ leaf: cert('l-nsserver', root, 'leaf_ns_server').name, sent: [], store: ['root'] }),
  };

  for (const [name, make] of Object.entries(cases)) {
    it(name, () => {
      const c = make();
      const chain = pki.chain(c.leaf, c.sent, c.store);
      const atSec = Math.floor(Date.now() / 1000);
      const theirs = chain.verify([], atSec);
      const ours = validateChain({
        presented: [chain.leaf, ...chain.sent], store: chain.store, atMs: atSec * 1000, nowMs: atSec * 1000,
        checkedName: null, checkedNameSource: null, visible: true,
      });
      if (name === 'not_ca_with_pathlen0_over_intermediate') {
        expect(theirs).toEqual(['invalid_ca@2', 'invalid_purpose@2', 'invalid_ca@2']);
        expect(ours.errors[2].message).toBe('path length constraint exceeded');
      }
      expect(ours.status).toBe(theirs.length === 0 ? 'trusted' : 'untrusted');
      // openssl verify may stop at its first error; ours holds every error, in the same order
      expect(ours.errors.slice(0, theirs.length).map((e) => `${e.code}@${e.depth}`)).toEqual(theirs);
      expect(ours.errors.length === 0).toBe(theirs.length === 0);
    });
  }

  describe('two same-name issuers without key identifiers (get0_best_issuer: first valid in store order, else the latest notAfter)', () => {
    // twin A (P-256, 10 days) signed the leaf; twin B (P-384, 60 days) has the same name and is the wrong key
    const twin = (file: string, key: string, days: number) =>
      pki.run('req', '-new', '-x509', '-config', 'ext.cnf', '-key', pki.key(key), '-subj', '/CN=twin', '-sha256', '-days', String(days), '-extensions', 'ca_nokid', '-out', `${file}.pem`);
    twin('twinA', 'ec:P-256', 10);
    twin('twinB', 'ec:P-384', 60);
    pki.cert('twin-leaf', 'ec:P-256', { name: 'twinA', key: pki.key('ec:P-256') }, 'sha256', 'leaf_nokid');
    const day = 86_400;
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string[], number][] = [
      ['both valid, A first: A', ['twinA', 'twinB'], now + 5 * day],
      ['both valid, B first: B', ['twinB', 'twinA'], now + 5 * day],
      ['A expired, A first: the valid B', ['twinA', 'twinB'], now + 20 * day],
      ['both expired, A first: the later notAfter (B)', ['twinA', 'twinB'], now + 90 * day],
      ['both expired, B first: the later notAfter (B)', ['twinB', 'twinA'], now + 90 * day],
    ];
    for (const [desc, store, atSec] of cases) {
      it(desc, () => {
        const chain = pki.chain('twin-leaf', [], store);
        const theirs = chain.verify([], atSec);
        const ours = validateChain({
          presented: [chain.leaf], store: chain.store, atMs: atSec * 1000, nowMs: atSec * 1000,
          checkedName: null, checkedNameSource: null, visible: true,
        });
        expect(ours.status).toBe(theirs.length === 0 ? 'trusted' : 'untrusted');
        expect(ours.errors.slice(0, theirs.length).map((e) => `${e.code}@${e.depth}`)).toEqual(theirs);
        expect(ours.errors.length === 0).toBe(theirs.length === 0);
      });
    }
  });
});
