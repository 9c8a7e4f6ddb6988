/**
 * Which of two same-name issuers build_chain takes (ossl_x509_likely_issued), wherever each sits in the
 * store: one whose key cannot have made the subject's signature algorithm (check_sig_alg_match: an RSA
 * key for an ECDSA signature) is passed over, and so is one that the subject's authority key identifier
 * rules out by its issuer name or serial (X509_check_akid). And a self-issued leaf signed by another key
 * of its name (a server certificate regenerated under the old one), with and without key identifiers,
 * the leaf among the untrusted certificates as libssl passes them. Against `openssl verify`, with
 * certificates built in memory; only where OpenSSL 3 is on PATH.
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { akiExt, bcExt, buildCert, cnName, d, ext, kuExt, sanExt, skiExt, spkiOf } from '../x509/build-cert.js';
import { hasOpenssl3, verifyBothWays } from './live-openssl.js';

const now = Math.floor(Date.now() / 1000);
const utc = (sec: number) => d.utcTime(new Date(sec * 1000).toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z');
const validity = { notBefore: utc(now - 86_400), notAfter: utc(now + 30 * 86_400) };
const ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const RSA_SHA256 = '1.2.840.113549.1.1.11';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ca = (k: typeof rsa, sigOid: string, serial: string) => buildCert({
  subject: cnName('twin'), serialHex: serial, ...validity, spki: spkiOf(k.publicKey), extensions: [bcExt(true), kuExt([5, 6])],
  signKey: k.privateKey, sigOid, digest: 'sha256',
});
const caRsa = ca(rsa, RSA_SHA256, '01');
const caEc = ca(ec, ECDSA_SHA256, '02');
const leafOf = (k: typeof rsa, sigOid: string) => buildCert({
  subject: cnName('leaf'), issuer: cnName('twin'), serialHex: '0a', ...validity, spki: spkiOf(ec.publicKey),
  extensions: [sanExt(['host.example'])], signKey: k.privateKey, sigOid, digest: 'sha256',
});

describe.skipIf(!hasOpenssl3())('a same-name issuer whose key type cannot have signed: the same choice as openssl verify', () => {
  const cases: [string, Uint8Array, Uint8Array[]][] = [
    ['ECDSA-signed leaf, the RSA twin first in the store', leafOf(ec, ECDSA_SHA256), [caRsa, caEc]],
    ['ECDSA-signed leaf, the EC twin first', leafOf(ec, ECDSA_SHA256), [caEc, caRsa]],
    ['RSA-signed leaf, the EC twin first', leafOf(rsa, RSA_SHA256), [caEc, caRsa]],
    ['ECDSA-signed leaf, only the RSA twin', leafOf(ec, ECDSA_SHA256), [caRsa]],
  ];
  cases.forEach(([desc, leaf, cas], i) => {
    it(desc, () => {
      const r = verifyBothWays({ leaf, store: cas, atSec: now });
      expect(r.oursStatus).toBe(r.theirs.length === 0 ? 'trusted' : 'untrusted');
      expect(r.ours.slice(0, r.theirs.length)).toEqual(r.theirs);
      // the first three are trusted through the matching twin; the last has no issuer of the right type
      expect(r.theirs.length === 0).toBe(i < 3);
    });
  });
});

describe.skipIf(!hasOpenssl3())('same-name issuers told apart by the authority key identifier\'s issuer and serial (X509_check_akid)', () => {
  // two EC twins named "twin" (self-signed, no key identifiers), serials 0x21 and 0x22, different keys
  const k1 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const k2 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const twin = (k: typeof k1, serial: string, issuerName: string) => buildCert({
    subject: cnName('twin'), issuer: cnName(issuerName), serialHex: serial, ...validity, spki: spkiOf(k.publicKey),
    extensions: [bcExt(true), kuExt([5, 6])], signKey: k.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  const t1 = twin(k1, '21', 'twin');
  const t2 = twin(k2, '22', 'twin');
  /** AuthorityKeyIdentifier with authorityCertIssuer [1] { directoryName [4] } and authorityCertSerialNumber [2] */
  const akid = (issuerName: string, serial: string) =>
    ext('2.5.29.35', d.seq(d.tlv(0xa1, d.tlv(0xa4, cnName(issuerName))), d.tlv(0x82, Buffer.from(serial, 'hex'))));
  const leaf = (k: typeof k1, aki: Uint8Array) => buildCert({
    subject: cnName('leaf'), issuer: cnName('twin'), serialHex: '0b', ...validity, spki: spkiOf(k1.publicKey),
    extensions: [sanExt(['host.example']), aki], signKey: k.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  const cases: [string, Uint8Array, Uint8Array[], boolean][] = [
    ['signed by twin 2, its serial in the AKID, twin 1 first in the store', leaf(k2, akid('twin', '22')), [t1, t2], true],
    ['signed by twin 1, its serial in the AKID, twin 2 first', leaf(k1, akid('twin', '21')), [t2, t1], true],
    ['signed by twin 2, the AKID naming twin 1\'s serial', leaf(k2, akid('twin', '21')), [t1, t2], false],
    ['the AKID\'s issuer name matches neither twin\'s issuer', leaf(k2, akid('other', '22')), [t1, t2], false],
  ];
  cases.forEach(([desc, l, cas, trusted]) => {
    it(desc, () => {
      const r = verifyBothWays({ leaf: l, store: cas, atSec: now });
      expect(r.theirs.length === 0).toBe(trusted);
      expect(r.oursStatus).toBe(trusted ? 'trusted' : 'untrusted');
      expect(r.ours.slice(0, r.theirs.length)).toEqual(r.theirs);
    });
  });
});

describe.skipIf(!hasOpenssl3())('a self-issued leaf signed by another key of the same name (a server certificate regenerated under the old one)', () => {
  const kOld = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const kNew = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const idOld = new Uint8Array(20).fill(0xaa), idNew = new Uint8Array(20).fill(0xbb);
  const cert = (k: typeof kOld, signer: typeof kOld, cn: string, serial: string, ids: Uint8Array[]) => buildCert({
    subject: cnName(cn), serialHex: serial, ...validity, spki: spkiOf(k.publicKey),
    extensions: [bcExt(false), sanExt(['cucm.lab']), ...ids], signKey: signer.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  for (const withIds of [false, true]) {
    const old = cert(kOld, kOld, 'cucm.lab', '31', withIds ? [skiExt(idOld)] : []);
    // its issuer name is its own name; signed by the old key (its AKID, when there, names the old key)
    const regenerated = cert(kNew, kOld, 'cucm.lab', '32', withIds ? [skiExt(idNew), akiExt(idOld)] : []);
    const other = cert(kOld, kOld, 'other', '33', []);
    // [description, sent after the leaf, trust store, openssl verify's first error]. Without key identifiers
    // OpenSSL 3.0 counts the leaf as self-signed (EXFLAG_SS: self-issued and "likely issued" by itself; the
    // signature is not checked there), so all three fail as a self-signed leaf
    const cases: [string, Uint8Array[], Uint8Array, string][] = [
      ['alone, an unrelated store', [], other, withIds ? 'unknown_issuer@0' : 'self_signed@0'],
      ['with the old certificate sent, an unrelated store', [old], other, withIds ? 'self_signed_in_chain@1' : 'self_signed@0'],
      ['the old certificate (not a CA) in the store', [], old, withIds ? 'invalid_ca@1' : 'self_signed@0'],
    ];
    for (const [desc, sent, storeCert, first] of cases) {
      it(`${withIds ? 'with' : 'without'} key identifiers: ${desc}`, () => {
        // libssl hands the whole peer chain, the leaf included, as the untrusted certificates
        const r = verifyBothWays({ leaf: regenerated, sent, store: [storeCert], atSec: now, leafUntrusted: true });
        expect(r.theirs[0]).toBe(first);
        expect(r.oursStatus).toBe('untrusted');
        expect(r.ours.slice(0, r.theirs.length)).toEqual(r.theirs);
      });
    }
  }
});

describe.skipIf(!hasOpenssl3())('same-name issuers, none valid at the time, that expire at the same second: the first one is taken', () => {
  // get0_best_issuer_sk: no candidate valid, so the one that expires last; on a tie the first (store order,
  // or the order the server sent them in). The leaf is signed by twin 2: taking twin 1 means a bad signature
  const k1 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const k2 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const kRoot = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const expired = { notBefore: utc(now - 90 * 86_400), notAfter: utc(now - 86_400) };
  const twin = (k: typeof k1, serial: string, signer: typeof k1, issuer: string) => buildCert({
    subject: cnName('twin'), issuer: cnName(issuer), serialHex: serial, ...expired, spki: spkiOf(k.publicKey), extensions: [bcExt(true), kuExt([5, 6])],
    signKey: signer.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  const leaf = buildCert({
    subject: cnName('leaf'), issuer: cnName('twin'), serialHex: '0c', ...validity, spki: spkiOf(k1.publicKey),
    extensions: [sanExt(['host.example'])], signKey: k2.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  const root = buildCert({
    subject: cnName('tie root'), serialHex: '40', ...validity, spki: spkiOf(kRoot.publicKey), extensions: [bcExt(true), kuExt([5, 6])],
    signKey: kRoot.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  const [s1, s2] = [twin(k1, '41', k1, 'twin'), twin(k2, '42', k2, 'twin')]; // self-signed, in the store
  const [i1, i2] = [twin(k1, '43', kRoot, 'tie root'), twin(k2, '44', kRoot, 'tie root')]; // sent by the server
  const cases: [string, { sent?: Uint8Array[]; store: Uint8Array[] }, string[]][] = [
    ['in the store, the wrong one first', { store: [s1, s2] }, ['expired@1', 'bad_signature@0']],
    ['in the store, the right one first', { store: [s2, s1] }, ['expired@1']],
    ['sent by the server, the wrong one first', { sent: [i1, i2], store: [root] }, ['expired@1', 'bad_signature@0']],
    ['sent by the server, the right one first', { sent: [i2, i1], store: [root] }, ['expired@1']],
  ];
  for (const [desc, o, expected] of cases) {
    it(desc, () => {
      const r = verifyBothWays({ leaf, ...o, atSec: now });
      expect(r.theirs).toEqual(expected);
      expect(r.ours).toEqual(r.theirs);
    });
  }
});

describe.skipIf(!hasOpenssl3())('a self-signed root the server sent is the end of its search, even when another sent certificate of that name could issue it', () => {
  // R1 and R2: one key, one name, different subject key identifiers (a re-issued root). The leaf's AKID names
  // R1, so R2 in the store is not the leaf's issuer; R1 (sent) is, and being self-signed it ends the search
  // among the sent certificates: R2, also sent, is never put above it, and R2 in the store is only a mimic of
  // R1 (the same name, not the same certificate). openssl verify: self-signed certificate in the chain
  const k = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const root = (serial: string, id: number) => buildCert({
    subject: cnName('reissued root'), serialHex: serial, ...validity, spki: spkiOf(k.publicKey),
    extensions: [bcExt(true), kuExt([5, 6]), skiExt(Uint8Array.from(Array(20).fill(id)))], signKey: k.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  const r1 = root('61', 0x11), r2 = root('62', 0x22);
  const leaf = buildCert({
    subject: cnName('leaf'), issuer: cnName('reissued root'), serialHex: '63', ...validity, spki: spkiOf(ec.publicKey),
    extensions: [sanExt(['host.example']), akiExt(Uint8Array.from(Array(20).fill(0x11)))], signKey: k.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  it('R1 and R2 sent, R2 in the store: self_signed_in_chain at depth 1, the chain ending at R1', () => {
    const r = verifyBothWays({ leaf, sent: [r1, r2], store: [r2], atSec: now });
    expect(r.theirs).toEqual(['self_signed_in_chain@1']);
    expect(r.ours).toEqual(r.theirs);
    expect(r.oursChainLength).toBe(2);
  });
  it('R1 sent and in the store: trusted through the store copy', () => {
    const r = verifyBothWays({ leaf, sent: [r1, r2], store: [r1], atSec: now });
    expect(r.theirs).toEqual([]);
    expect([r.oursStatus, r.oursChainLength]).toEqual(['trusted', 2]);
  });
});

describe.skipIf(!hasOpenssl3())('X509_check_akid when one side has no key identifier, and the name match for the certificates the server sent', () => {
  // a root in the store, an intermediate "ica" under it (with or without a subject key identifier), a leaf under ica
  const kRoot = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const kIca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const root = buildCert({
    subject: cnName('akid root'), serialHex: '71', ...validity, spki: spkiOf(kRoot.publicKey), extensions: [bcExt(true), kuExt([5, 6])],
    signKey: kRoot.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  const ica = (ids: Uint8Array[]) => buildCert({
    subject: cnName('ica'), issuer: cnName('akid root'), serialHex: '72', ...validity, spki: spkiOf(kIca.publicKey),
    extensions: [bcExt(true), kuExt([5, 6]), ...ids], signKey: kRoot.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  const leaf = (ids: Uint8Array[]) => buildCert({
    subject: cnName('leaf'), issuer: cnName('ica'), serialHex: '73', ...validity, spki: spkiOf(ec.publicKey),
    extensions: [sanExt(['host.example']), ...ids], signKey: kIca.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  const id = Uint8Array.from(Array(20).fill(0x5a));
  /** AuthorityKeyIdentifier without a keyIdentifier: only authorityCertIssuer and authorityCertSerialNumber */
  const akidIssuerSerial = ext('2.5.29.35', d.seq(d.tlv(0xa1, d.tlv(0xa4, cnName('akid root'))), d.tlv(0x82, Buffer.from('72', 'hex'))));
  // a CA certificate of another name and key, with no key identifiers, sent before the leaf's real issuer
  const decoy = buildCert({
    subject: cnName('decoy'), issuer: cnName('akid root'), serialHex: '74', ...validity, spki: spkiOf(kRoot.publicKey),
    extensions: [bcExt(true), kuExt([5, 6])], signKey: kRoot.privateKey, sigOid: ECDSA_SHA256, digest: 'sha256',
  });
  const cases: [string, Uint8Array, Uint8Array[], string[]][] = [
    ['the leaf\'s AKID has a key id, the issuer no subject key identifier: the key id is not compared', leaf([akiExt(id)]), [ica([])], []],
    ['the leaf\'s AKID has only issuer and serial, the issuer has a subject key identifier', leaf([akidIssuerSerial]), [ica([skiExt(id)])], []],
    ['the leaf\'s AKID key id differs from the issuer\'s subject key identifier', leaf([akiExt(id)]), [ica([skiExt(Uint8Array.from(Array(20).fill(0x5b)))])], ['unknown_issuer@0']],
    ['another CA of a different name sent first: issuers are found by name', leaf([]), [decoy, ica([])], []],
  ];
  for (const [desc, l, sent, want] of cases) {
    it(desc, () => {
      const r = verifyBothWays({ leaf: l, sent, store: [root], atSec: now });
      expect(r.theirs).toEqual(want);
      expect(r.ours).toEqual(want);
      expect(r.oursStatus).toBe(want.length === 0 ? 'trusted' : 'untrusted');
      if (want.length === 0) expect(r.oursChainLength).toBe(3);
    });
  }
});
