/**
 * SmtpUTF8Mailbox names (RFC 8398) under rfc822Name constraints, against `openssl verify` (OpenSSL 3.0
 * nc_email_eai): the base is turned into U-labels and compared with the host of the mailbox. OpenSSL 3.0
 * hands a `.domain` base to ossl_a2ulabel with its leading '.', so the label it compares is '..domain':
 * a mailbox at a host *below* the domain is outside it, only one whose host ends in '..domain' is inside.
 * Certificates built in memory (openssl req cannot write UTF-8 into an otherName).
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bcExt, buildCert, cnName, d, ext, kuExt, spkiOf } from '../x509/build-cert.js';
import { hasOpenssl3, verifyBothWays } from './live-openssl.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const spki = spkiOf(publicKey);
const AT = Date.UTC(2030, 5, 15) / 1000;
const ia5 = (s: string) => Buffer.from(s, 'latin1');
/** nameConstraints permitting one rfc822Name base */
const ncExt = (base: string) => ext('2.5.29.30', d.seq(d.tlv(0xa0, d.seq(d.tlv(0x81, ia5(base))))), true);
/** subjectAltName holding one SmtpUTF8Mailbox otherName */
const smtpUtf8San = (mailbox: string) =>
  ext('2.5.29.17', d.seq(d.tlv(0xa0, d.oid('1.3.6.1.5.5.7.8.9'), d.explicit(0, d.utf8(mailbox)))));

describe.skipIf(!hasOpenssl3())('SmtpUTF8Mailbox names under rfc822Name constraints: the same errors as openssl verify', () => {
  const cases: [string, string, string[]][] = [
    ['plain.test', 'u@plain.test', []],
    ['plain.test', 'u@PLAIN.Test', []],
    ['plain.test', 'u@a.plain.test', ['name_constraints@0']],
    ['xn--bcher-kva.test', 'u@bücher.test', []],
    ['xn--bcher-kva.test', 'u@xn--bcher-kva.test', ['name_constraints@0']],
    ['.plain.test', 'u@a.plain.test', ['name_constraints@0']],
    ['.plain.test', 'u@a..plain.test', []],
    ['.xn--bcher-kva.test', 'u@mail.bücher.test', ['name_constraints@0']],
    ['.xn--bcher-kva.test', 'u@mail..bücher.test', []],
  ];
  cases.forEach(([base, mailbox, want], i) => {
    it(`permitted email:${base}, SmtpUTF8Mailbox ${mailbox}`, () => {
      const root = buildCert({
        subject: cnName('eai-root'), serialHex: '01', spki, signKey: privateKey, digest: null,
        extensions: [bcExt(true), kuExt([5, 6]), ncExt(base)],
      });
      const leaf = buildCert({
        subject: cnName('eai-leaf'), issuer: cnName('eai-root'), serialHex: (i + 2).toString(16).padStart(2, '0'), spki,
        signKey: privateKey, digest: null, extensions: [smtpUtf8San(mailbox)],
      });
      const r = verifyBothWays({ leaf, store: [root], atSec: AT });
      expect(r.theirs, 'the case proves what it says (openssl)').toEqual(want);
      expect(r.ours).toEqual(r.theirs);
    });
  });
});
