/**
 * Validity times OpenSSL refuses as written (X509_cmp_time: only YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ of a
 * real date), against `openssl verify`: error 13 / 14 at the certificate's depth, whatever the time of
 * the check, and both date errors when notBefore is after notAfter. Certificates built in memory
 * (test/unit/x509/build-cert.ts), Ed25519-signed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validateChain } from '../../../src/trust/validate-chain.js';
import { analyzeCertificate } from '../../../src/x509/analyze.js';
import { trustStoreFromTexts } from '../../../src/trust/trust-store.js';
import { toPem } from '../../../src/x509/analyze.js';
import { bcExt, buildCert, cnName, d, kuExt, sanExt, spkiOf } from '../x509/build-cert.js';
import { hasOpenssl3, verifyBothWays } from './live-openssl.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const spki = spkiOf(publicKey);
const AT = Date.UTC(2030, 5, 15) / 1000; // checked at 2030-06-15
const root = buildCert({ subject: cnName('time-root'), spki, extensions: [bcExt(true), kuExt([5, 6])], signKey: privateKey, digest: null });
const inter = (notBefore?: Uint8Array, notAfter?: Uint8Array) => buildCert({
  subject: cnName('time-inter'), issuer: cnName('time-root'), serialHex: '02', notBefore, notAfter, spki,
  extensions: [bcExt(true), kuExt([5, 6])], signKey: privateKey, digest: null,
});
const leaf = (issuer: string, notBefore?: Uint8Array, notAfter?: Uint8Array) => buildCert({
  subject: cnName('time-leaf'), issuer: cnName(issuer), serialHex: '03', notBefore, notAfter, spki,
  extensions: [sanExt(['host.example'])], signKey: privateKey, digest: null,
});
const utc = d.utcTime, gen = d.genTime;

describe.skipIf(!hasOpenssl3())('malformed validity times: the same errors as openssl verify', () => {
  // `openssl verify` goes on after some errors only (expired, invalid CA, ...), not after these: where it
  // stops, ours must begin with its error; the rest is what a callback that continues sees (the C code
  // checks notAfter after notBefore whatever notBefore gave), given as `more`
  const cases: [string, Uint8Array, Uint8Array[], string[], string[]?][] = [
    ['well-formed UTCTime and GeneralizedTime', leaf('time-root', utc('200101000000Z'), gen('20400101000000Z')), [], []],
    ['a GeneralizedTime notAfter before 2050 (allowed by OpenSSL)', leaf('time-root', gen('20200101000000Z'), gen('20400101000000Z')), [], []],
    ['29 February of a leap year', leaf('time-root', utc('200229000000Z'), gen('20400229235959Z')), [], []],
    ['a fraction of a second in notAfter', leaf('time-root', utc('200101000000Z'), gen('20400101000000.5Z')), [], ['bad_time_format@0']],
    ['no seconds in notBefore', leaf('time-root', utc('2001010000Z'), gen('20400101000000Z')), [], ['bad_time_format@0']],
    ['a time-zone offset in notBefore', leaf('time-root', utc('200101000000+0100'), gen('20400101000000Z')), [], ['bad_time_format@0']],
    ['30 February in notAfter', leaf('time-root', utc('200101000000Z'), gen('20400230000000Z')), [], ['bad_time_format@0']],
    ['29 February of a year that is not leap', leaf('time-root', utc('210229000000Z'), gen('20400101000000Z')), [], ['bad_time_format@0']],
    // the Gregorian rule whole: 2000 is leap (divisible by 400), 2100 is not (by 100 only)
    ['29 February 2000', leaf('time-root', gen('20000229000000Z'), gen('20400101000000Z')), [], []],
    ['29 February 2100 in notAfter', leaf('time-root', utc('200101000000Z'), gen('21000229000000Z')), [], ['bad_time_format@0']],
    ['31 April in notBefore', leaf('time-root', utc('200431000000Z'), gen('20400101000000Z')), [], ['bad_time_format@0']],
    ['the last second of a year and of a 30-day month', leaf('time-root', utc('191231235959Z'), gen('20400630235959Z')), [], []],
    ['hour 24 in notAfter', leaf('time-root', utc('200101000000Z'), gen('20400101240000Z')), [], ['bad_time_format@0']],
    ['minute 60 in notBefore', leaf('time-root', utc('200101006000Z'), gen('20400101000000Z')), [], ['bad_time_format@0']],
    ['month 0 in notBefore', leaf('time-root', utc('200001000000Z'), gen('20400101000000Z')), [], ['bad_time_format@0']],
    ['day 0 in notAfter', leaf('time-root', utc('200101000000Z'), gen('20400100000000Z')), [], ['bad_time_format@0']],
    ['month 13 in notAfter', leaf('time-root', utc('200101000000Z'), gen('20401301000000Z')), [], ['bad_time_format@0']],
    ['a UTCTime notAfter of 13 characters that is not YYMMDDHHMMSSZ', leaf('time-root', utc('200101000000Z'), utc('40010100000Z0')), [], ['bad_time_format@0']],
    ['second 60 in notAfter', leaf('time-root', utc('200101000000Z'), gen('20401231235960Z')), [], ['bad_time_format@0']],
    ['both fields malformed', leaf('time-root', utc('2001010000Z'), gen('20400101000000.25Z')), [], ['bad_time_format@0'], ['bad_time_format@0']],
    ['a malformed notBefore and an expired notAfter', leaf('time-root', utc('2001010000Z'), gen('20250101000000Z')), [], ['bad_time_format@0'], ['expired@0']],
    ['notBefore after notAfter, checked between them', leaf('time-root', gen('20350101000000Z'), gen('20250101000000Z')), [], ['not_yet_valid@0'], ['expired@0']],
    ['an expired intermediate (openssl goes on) above a leaf with a malformed notAfter', leaf('time-inter', utc('200101000000Z'), gen('20400101000000.000Z')),
      [inter(utc('200101000000Z'), gen('20250101000000Z'))], ['expired@1', 'bad_time_format@0']],
    ['a malformed intermediate', leaf('time-inter'), [inter(utc('200101000000Z'), gen('20400101000000.000Z'))], ['bad_time_format@1']],
  ];
  for (const [name, cert, sent, want, more = []] of cases) {
    it(name, () => {
      const r = verifyBothWays({ leaf: cert, sent, store: [root], atSec: AT });
      expect(r.theirs, 'the case proves what it says (openssl)').toEqual(want);
      expect(r.ours).toEqual([...r.theirs, ...more]);
      expect(r.oursStatus).toBe(want.length === 0 ? 'trusted' : 'untrusted');
    });
  }

  it('names the field, the time as written and the forms OpenSSL accepts', () => {
    const cert = leaf('time-root', utc('200101000000Z'), gen('20400101000000.5Z'));
    const v = validateChain({
      presented: [analyzeCertificate(cert, true)], store: trustStoreFromTexts([{ name: 'ca.pem', data: Buffer.from(toPem(root)) }]),
      atMs: AT * 1000, nowMs: AT * 1000, checkedName: null, checkedNameSource: null, visible: true,
    });
    expect(v.errors).toEqual([{
      code: 'bad_time_format', depth: 0, message: "format error in certificate's notAfter field",
      detail: 'CN=time-leaf\'s notAfter is written "20400101000000.5Z": OpenSSL accepts only YYMMDDHHMMSSZ (UTCTime) or YYYYMMDDHHMMSSZ (GeneralizedTime) of a real date, and refuses the certificate at any time',
    }]);
    expect(v.valid_now).toBe(false);
  });
});
