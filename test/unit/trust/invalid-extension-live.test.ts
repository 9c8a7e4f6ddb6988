/**
 * Certificates OpenSSL 3.0 flags invalid (EXFLAG_INVALID: an extension it decodes up front repeated or not
 * decoding, a negative pathLenConstraint): x509_likely_issued fails for them as subject and as issuer, so
 * `openssl verify` finds no issuer ("unable to get local issuer certificate") wherever such a certificate
 * sits, even when it is in the trust store. Certificates built in memory, against openssl verify.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateChain } from '../../../src/trust/validate-chain.js';
import { trustStoreFromTexts } from '../../../src/trust/trust-store.js';
import { analyzeCertificate, toPem } from '../../../src/x509/analyze.js';
import { bcExt, buildCert, cnName, d, ext, kuExt, sanExt, spkiOf } from '../x509/build-cert.js';
import { hasOpenssl3, verifyBothWays } from './live-openssl.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const spki = spkiOf(publicKey);
const AT = Date.UTC(2030, 5, 15) / 1000;
const mk = (name: string, issuer: string, exts: Uint8Array[], serial: string) =>
  buildCert({ subject: cnName(name), issuer: cnName(issuer), serialHex: serial, spki, extensions: exts, signKey: privateKey, digest: null });
const BAD_SAN = ext('2.5.29.17', Uint8Array.of(0x30, 0x05, 0x82, 0x09, 0x61));
const root = mk('x-root', 'x-root', [bcExt(true), kuExt([5, 6])], '01');
const inter = mk('x-inter', 'x-root', [bcExt(true), kuExt([5, 6])], '02');
const leafWith = (exts: Uint8Array[]) => mk('x-leaf', 'x-root', exts, '03');

const ncDns = (s: string) => d.tlv(0x82, Buffer.from(s, 'latin1'));
/** a leaf with a good subjectAltName and a nameConstraints extension of these parts */
const withNc = (...parts: Uint8Array[]) => [sanExt(['a.example']), ext('2.5.29.30', d.seq(...parts))];
/** nameConstraints that openssl's d2i refuses, or accepts, for its structure: parts and subtree fields unknown, repeated or out of order */
const ncStructureCases: [string, Uint8Array[], string[]][] = [
  ['nameConstraints with a part other than [0] and [1]', withNc(d.tlv(0xa0, d.seq(ncDns('a.example'))), d.tlv(0xa2, d.seq(ncDns('x')))), ['unknown_issuer@0']],
  ['nameConstraints with [1] before [0]', withNc(d.tlv(0xa1, d.seq(ncDns('b.example'))), d.tlv(0xa0, d.seq(ncDns('a.example')))), ['unknown_issuer@0']],
  ['nameConstraints with [0] twice', withNc(d.tlv(0xa0, d.seq(ncDns('a.example'))), d.tlv(0xa0, d.seq(ncDns('a.example')))), ['unknown_issuer@0']],
  ['nameConstraints with a primitive [0]', withNc(d.tlv(0x80, Uint8Array.of(1))), ['unknown_issuer@0']],
  ['nameConstraints whose subtree has a field other than [0] and [1] after its base', withNc(d.tlv(0xa0, d.seq(ncDns('a.example'), d.tlv(0x82, Uint8Array.of(1))))), ['unknown_issuer@0']],
  ['nameConstraints whose subtree has its maximum before its minimum',
    withNc(d.tlv(0xa0, d.seq(ncDns('a.example'), d.tlv(0x81, Uint8Array.of(1)), d.tlv(0x80, Uint8Array.of(0))))), ['unknown_issuer@0']],
  ['nameConstraints whose subtree is a SET', withNc(d.tlv(0xa0, d.tlv(0x31, ncDns('a.example')))), ['unknown_issuer@0']],
  ['nameConstraints that is an empty SEQUENCE (control)', withNc(), []],
  ['nameConstraints with an empty [0] and an excluded subtree with a minimum of 256 (control)',
    withNc(d.tlv(0xa0), d.tlv(0xa1, d.seq(ncDns('b.example'), d.tlv(0x80, Uint8Array.of(1, 0))))), []],
];

describe.skipIf(!hasOpenssl3())('a certificate with an invalid extension has no issuer and issues nothing, as in openssl verify', () => {
  const leafCases: [string, Uint8Array[], string[], string[]?][] = [
    ['a well-formed leaf (control)', [sanExt(['a.example'])], []],
    ['subjectAltName whose DER is cut', [BAD_SAN], ['unknown_issuer@0']],
    ['subjectAltName that is not a SEQUENCE', [ext('2.5.29.17', Uint8Array.of(0x04, 0x00))], ['unknown_issuer@0']],
    ['subjectAltName twice', [sanExt(['a.example']), sanExt(['b.example'])], ['unknown_issuer@0']],
    ['basicConstraints whose DER is cut', [ext('2.5.29.19', Uint8Array.of(0x30, 0x03, 0x02, 0x01))], ['unknown_issuer@0']],
    ['basicConstraints with a negative pathLenConstraint', [ext('2.5.29.19', d.seq(Uint8Array.of(0x01, 0x01, 0xff), Uint8Array.of(0x02, 0x01, 0xff)))], ['unknown_issuer@0']],
    ['basicConstraints with an element other than cA and pathLenConstraint', [ext('2.5.29.19', d.seq(Uint8Array.of(0x01, 0x01, 0xff), Uint8Array.of(0x04, 0x01, 0x00)))], ['unknown_issuer@0']],
    ['basicConstraints with pathLenConstraint before cA', [ext('2.5.29.19', d.seq(Uint8Array.of(0x02, 0x01, 0x01), Uint8Array.of(0x01, 0x01, 0xff)))], ['unknown_issuer@0']],
    ['basicConstraints with cA twice', [ext('2.5.29.19', d.seq(Uint8Array.of(0x01, 0x01, 0xff), Uint8Array.of(0x01, 0x01, 0xff)))], ['unknown_issuer@0']],
    ['basicConstraints whose cA BOOLEAN has two octets', [ext('2.5.29.19', d.seq(Uint8Array.of(0x01, 0x02, 0xff, 0xff)))], ['unknown_issuer@0']],
    ['basicConstraints with an empty pathLenConstraint INTEGER', [ext('2.5.29.19', d.seq(Uint8Array.of(0x01, 0x01, 0xff), Uint8Array.of(0x02, 0x00)))], ['unknown_issuer@0']],
    ['basicConstraints with only a pathLenConstraint (control)', [ext('2.5.29.19', d.seq(Uint8Array.of(0x02, 0x01, 0x03)))], []],
    ['basicConstraints that is a SET', [ext('2.5.29.19', Uint8Array.of(0x31, 0x03, 0x01, 0x01, 0xff))], ['unknown_issuer@0']],
    ['basicConstraints of a leaf with bytes after its SEQUENCE (control: OpenSSL reads the SEQUENCE only)', [ext('2.5.29.19', Uint8Array.of(0x30, 0x00, 0x05, 0x00))], []],
    ['keyUsage that is not a BIT STRING', [ext('2.5.29.15', Uint8Array.of(0x05, 0x00))], ['unknown_issuer@0']],
    ['extKeyUsage holding an INTEGER (not refused for its purpose: the callback never sees that check fail)', [ext('2.5.29.37', Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01))], ['unknown_issuer@0']],
    ['authorityKeyIdentifier whose DER is cut', [ext('2.5.29.35', Uint8Array.of(0x30, 0x03, 0x80, 0x05, 0x01))], ['unknown_issuer@0']],
    ['nameConstraints whose DER is cut', [sanExt(['a.example']), ext('2.5.29.30', Uint8Array.of(0x30, 0x02, 0xa0, 0x05))], ['unknown_issuer@0']],
    ...ncStructureCases,
    ['an unknown non-critical extension that does not decode (not looked at)', [sanExt(['a.example']), ext('1.2.3.4', Uint8Array.of(0x30, 0x05))], []],
  ];
  for (const [name, exts, want] of leafCases) {
    it(`leaf: ${name}`, () => {
      const r = verifyBothWays({ leaf: leafWith(exts), store: [root], atSec: AT });
      expect(r.theirs, 'the case proves what it says (openssl)').toEqual(want);
      expect(r.ours).toEqual(r.theirs);
    });
  }

  const badInter = mk('x-inter', 'x-root', [bcExt(true), kuExt([5, 6]), BAD_SAN], '02');
  const badRoot = mk('x-root', 'x-root', [bcExt(true), kuExt([5, 6]), BAD_SAN], '01');
  const below = mk('x-leaf', 'x-inter', [sanExt(['a.example'])], '03');
  const selfBad = mk('x-self', 'x-self', [BAD_SAN], '04');
  const chainCases: [string, Uint8Array, Uint8Array[], Uint8Array[], string[]][] = [
    ['an invalid intermediate sent by the server', below, [badInter], [root], ['unknown_issuer@0']],
    ['an invalid intermediate in the trust store', below, [], [badInter, root], ['unknown_issuer@0']],
    ['an invalid root in the trust store', below, [inter], [badRoot], ['unknown_issuer@1']],
    ['an invalid self-signed leaf, not trusted', selfBad, [], [root], ['unknown_issuer@0']],
    ['an invalid self-signed leaf, in the trust store itself', selfBad, [], [selfBad], ['unknown_issuer@0']],
  ];
  for (const [name, leaf, sent, store, want] of chainCases) {
    it(name, () => {
      const r = verifyBothWays({ leaf, sent, store, atSec: AT });
      expect(r.theirs, 'the case proves what it says (openssl)').toEqual(want);
      expect(r.ours).toEqual(r.theirs);
    });
  }

  it('says why no issuer was found: the certificate\'s own extension, or its issuer\'s', () => {
    const store = trustStoreFromTexts([{ name: 'ca.pem', data: Buffer.from(toPem(root)) }]);
    const v = validateChain({
      presented: [analyzeCertificate(leafWith([BAD_SAN]), true)], store, atMs: AT * 1000, nowMs: AT * 1000,
      checkedName: null, checkedNameSource: null, visible: true,
    });
    expect(v.errors).toEqual([{
      code: 'unknown_issuer', depth: 0, message: 'unable to get local issuer certificate',
      detail: 'CN=x-leaf has a malformed or repeated subjectAltName extension: OpenSSL 3 then takes it for a certificate of no issuer (and no issuer of others), whatever the server sent or the trust store holds',
    }]);
    const w = validateChain({
      presented: [analyzeCertificate(below, true), analyzeCertificate(badInter, true)], store, atMs: AT * 1000, nowMs: AT * 1000,
      checkedName: null, checkedNameSource: null, visible: true,
    });
    expect(w.errors[0].detail).toMatch(/^the issuer of CN=x-leaf, "CN=x-inter", is there \(sha256 [0-9a-f]{16}…\) but has a malformed or repeated subjectAltName extension: OpenSSL 3 does not take such a certificate as anyone's issuer$/);
  });

  it('lists the offending extensions once each in the certificate meta', () => {
    const m = analyzeCertificate(leafWith([BAD_SAN, sanExt(['b.example']), ext('2.5.29.15', Uint8Array.of(0x05, 0x00))]), true).meta!;
    expect(m.invalidExtensions).toEqual(['2.5.29.17', '2.5.29.15']);
    expect(analyzeCertificate(leafWith([sanExt(['a.example']), kuExt([0])]), true).meta!.invalidExtensions).toEqual([]);
  });
});
