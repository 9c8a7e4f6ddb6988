/**
 * build_chain's depth limit (X509_VERIFY_PARAM depth 100, so at most 101 certificates above the leaf):
 * a leaf below a line of 100 or 101 CA certificates, all in the trust store, against `openssl verify`.
 * The chains are built in memory (Ed25519, one key) and verified by openssl once per case; only where
 * OpenSSL 3 is on PATH (CI installs it).
 */
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { bcExt, buildCert, cnName, d, kuExt, sanExt, spkiOf } from '../x509/build-cert.js';
import { hasOpenssl3, verifyBothWays } from './live-openssl.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const spki = spkiOf(publicKey);
const now = Math.floor(Date.now() / 1000);
const utc = (sec: number) => d.utcTime(new Date(sec * 1000).toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z');
const validity = { notBefore: utc(now - 86_400), notAfter: utc(now + 30 * 86_400) };

/** c0 (self-signed root) … cN, each issued by the one before; the leaf issued by cN. */
function line(n: number): { cas: Uint8Array[]; leaf: Uint8Array } {
  const cas: Uint8Array[] = [];
  for (let i = 0; i <= n; i++) {
    cas.push(buildCert({
      subject: cnName(`c${i}`), issuer: cnName(`c${Math.max(0, i - 1)}`), serialHex: (i + 1).toString(16).padStart(2, '0'), ...validity,
      spki, extensions: [bcExt(true), kuExt([5, 6])], signKey: privateKey, digest: null,
    }));
  }
  const leaf = buildCert({
    subject: cnName('leaf'), issuer: cnName(`c${n}`), serialHex: 'ff', ...validity,
    spki, extensions: [sanExt(['host.example'])], signKey: privateKey, digest: null,
  });
  return { cas, leaf };
}

describe.skipIf(!hasOpenssl3())('chain depth limit: the same verdict as openssl verify', () => {
  for (const [n, want] of [[99, []], [100, []], [101, ['chain_too_long@101']]] as const) {
    it(`a leaf below ${n + 1} CA certificates: ${want.length === 0 ? 'trusted' : want[0]}`, () => {
      const { cas, leaf } = line(n);
      const r = verifyBothWays({ leaf, store: cas, atSec: now });
      expect(r.theirs).toEqual(want);
      expect(r.oursStatus).toBe(want.length === 0 ? 'trusted' : 'untrusted');
      expect(r.ours.slice(0, 1)).toEqual(want);
      if (want.length === 0) expect(r.oursChainLength).toBe(n + 2);
    });
  }
});

describe.skipIf(!hasOpenssl3())('chain depth limit on the certificates the server sent: the same verdict as openssl verify', () => {
  // the whole line sent by the server, an unrelated store: the untrusted search goes on while the chain has
  // at most 101 certificates (num > max_depth stops it), and the chain is too long only above 101
  const unrelated = buildCert({
    subject: cnName('unrelated root'), serialHex: '7f', ...validity, spki, extensions: [bcExt(true), kuExt([5, 6])], signKey: privateKey, digest: null,
  });
  // 102 sent CAs: the search stops at 102 certificates, below c0 (which would be the self-signed end)
  for (const [n, want, length] of [[99, 'self_signed_in_chain@100', 101], [100, 'chain_too_long@101', 102], [101, 'chain_too_long@101', 102]] as const) {
    it(`a leaf below ${n + 1} sent CA certificates: ${want}`, () => {
      const { cas, leaf } = line(n);
      const r = verifyBothWays({ leaf, sent: [...cas].reverse(), store: [unrelated], atSec: now });
      expect(r.theirs).toEqual([want]);
      expect(r.oursStatus).toBe('untrusted');
      expect(r.ours.slice(0, 1)).toEqual([want]);
      expect(r.oursChainLength).toBe(length);
    });
  }
});
