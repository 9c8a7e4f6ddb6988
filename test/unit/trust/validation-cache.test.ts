import { generateKeyPairSync } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { caseNames, loadCase } from './chain-fixtures.js';
import { validateChain, type ValidateInput } from '../../../src/trust/validate-chain.js';
import { ValidationCache } from '../../../src/trust/validation-cache.js';
import { trustStoreFromTexts } from '../../../src/trust/trust-store.js';
import { analyzeCertificate } from '../../../src/x509/analyze.js';
import { bcExt, buildCert, cnName, d, kuExt, sanExt, spkiOf } from '../x509/build-cert.js';

describe('ValidationCache', () => {
  it('gives exactly what validateChain gives, at and around every validity boundary of every fixture chain', () => {
    let checked = 0;
    for (const name of caseNames()) {
      const k = loadCase(name);
      const cache = new ValidationCache(k.store);
      const presented = [k.leaf, ...k.untrusted];
      const bounds = [...presented, ...k.store.certs].flatMap((c) => [c.facts.not_before, c.facts.not_after])
        .filter((t): t is string => t !== null).map((t) => Date.parse(t));
      const times = [k.meta.attime * 1000, ...bounds.flatMap((b) => [b - 1, b, b + 1])];
      // twice over: the second pass is served from the cache
      for (const pass of [0, 1]) {
        for (const atMs of times) {
          const input = { presented, store: k.store, atMs, nowMs: 1_800_000_000_000, checkedName: k.meta.name, checkedNameSource: 'sni' as const, visible: true };
          expect(cache.validate(input), `${name} at ${atMs} pass ${pass}`).toEqual(validateChain(input));
          checked++;
        }
      }
      expect(cache.hits).toBeGreaterThan(0);
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('keys on the name: a different checked name is validated anew', () => {
    const k = loadCase('chain_trusted');
    const cache = new ValidationCache(k.store);
    const base = { presented: [k.leaf, ...k.untrusted], store: k.store, atMs: k.meta.attime * 1000, nowMs: k.meta.attime * 1000, checkedNameSource: 'sni' as const, visible: true };
    const a = cache.validate({ ...base, checkedName: k.meta.name });
    const b = cache.validate({ ...base, checkedName: 'wrong.example' });
    expect(a.errors.some((e) => e.code === 'name_mismatch')).toBe(false);
    expect(b.errors.some((e) => e.code === 'name_mismatch')).toBe(true);
    expect(cache.misses).toBe(2);
  });

  it('keys on no name vs an empty name and on where the name came from, and on tls13/visible', () => {
    const k = loadCase('chain_trusted');
    const cache = new ValidationCache(k.store);
    const base = { presented: [k.leaf, ...k.untrusted], store: k.store, atMs: k.meta.attime * 1000, nowMs: k.meta.attime * 1000, visible: true };
    const inputs = [
      { ...base, checkedName: null, checkedNameSource: null },
      { ...base, checkedName: '', checkedNameSource: null },
      { ...base, checkedName: k.meta.name, checkedNameSource: 'sni' as const },
      { ...base, checkedName: k.meta.name, checkedNameSource: 'log' as const },
      { ...base, checkedName: k.meta.name, checkedNameSource: 'log' as const, visible: false },
      { ...base, checkedName: k.meta.name, checkedNameSource: 'log' as const, tls13: true },
    ];
    for (const i of inputs) expect(cache.validate(i)).toEqual(validateChain(i));
    expect(cache.misses).toBe(inputs.length);
    for (const i of inputs) expect(cache.validate(i)).toEqual(validateChain(i));
    expect(cache.hits).toBe(inputs.length);
  });
});

describe('ValidationCache: what the key must tell apart', () => {
  const pemOf = (der: Uint8Array) => new TextEncoder().encode(analyzeCertificate(der, true).facts.pem!);
  const storeOf = (...ders: Uint8Array[]) => trustStoreFromTexts(ders.map((der, i) => ({ name: `${i}.pem`, data: pemOf(der) })));
  const input = (over: Partial<ValidateInput> & Pick<ValidateInput, 'presented' | 'store' | 'atMs'>): ValidateInput =>
    ({ nowMs: 1_800_000_000_000, checkedName: null, checkedNameSource: null, visible: true, ...over });

  // validateChain compares dates in whole seconds (certTime drops a fraction); the cache must draw its lines there
  // too. (OpenSSL 3.0 itself refuses such a GeneralizedTime: error 13/14, not emulated.)
  it('a notBefore / notAfter with a fraction of a second: the cache agrees with validateChain on either side of the whole second', () => {
    const k = generateKeyPairSync('ed25519');
    const der = buildCert({
      subject: cnName('fraction'), spki: spkiOf(k.publicKey), signKey: k.privateKey,
      notBefore: d.genTime('20250101000000.750Z'), notAfter: d.genTime('20260101000000.500Z'),
    });
    const store = storeOf(der);
    const presented = [store.certs[0]];
    const nb = Date.parse('2025-01-01T00:00:00Z'), na = Date.parse('2026-01-01T00:00:00Z');
    const cache = new ValidationCache(store);
    // each pair: the first time's verdict is cached, the second one falls in the same second-range of the old key
    for (const [first, second] of [[nb + 800, nb + 100], [na - 1, na + 200]]) {
      const a = cache.validate(input({ presented, store, atMs: first }));
      expect(a).toEqual(validateChain(input({ presented, store, atMs: first })));
      expect(cache.validate(input({ presented, store, atMs: second }))).toEqual(validateChain(input({ presented, store, atMs: second })));
    }
    // OpenSSL refuses such times as written (X509_cmp_time), whatever the time of the check
    for (const at of [nb - 1, nb + 100, na + 200]) {
      expect(validateChain(input({ presented, store, atMs: at })).errors.map((e) => e.message)).toEqual(
        ["format error in certificate's notBefore field", "format error in certificate's notAfter field"]);
    }
  });

  it('a store certificate whose validity ends first: the issuer chosen changes at its notAfter with no date error in the verdict', () => {
    // twins A and B, one name, no key identifiers; the leaf is signed by A. While A is valid it is taken (trusted);
    // from its notAfter on the valid B is taken, and the leaf's signature fails with B's key
    const kA = generateKeyPairSync('ed25519'), kB = generateKeyPairSync('ed25519'), kLeaf = generateKeyPairSync('ed25519');
    const twin = (k: typeof kA, serial: string, notAfter: string) => buildCert({
      subject: cnName('twin'), serialHex: serial, spki: spkiOf(k.publicKey), signKey: k.privateKey, extensions: [bcExt(true), kuExt([5, 6])],
      notBefore: d.genTime('20200101000000Z'), notAfter: d.genTime(notAfter),
    });
    const store = storeOf(twin(kA, '0a', '20260101000000Z'), twin(kB, '0b', '20400101000000Z'));
    const leaf = analyzeCertificate(buildCert({
      subject: cnName('leaf'), issuer: cnName('twin'), serialHex: '0c', spki: spkiOf(kLeaf.publicKey), signKey: kA.privateKey,
      extensions: [sanExt(['host.example'])], notBefore: d.genTime('20200101000000Z'), notAfter: d.genTime('20400101000000Z'),
    }), true);
    const cache = new ValidationCache(store);
    const before = input({ presented: [leaf], store, atMs: Date.parse('2025-06-01T00:00:00Z') });
    const after = input({ presented: [leaf], store, atMs: Date.parse('2027-06-01T00:00:00Z') });
    expect(cache.validate(before).status).toBe('trusted');
    const v = cache.validate(after);
    expect(v.errors.map((e) => `${e.code}@${e.depth}`)).toEqual(['bad_signature@0']);
    expect(v).toEqual(validateChain(after));
  });

  it('two chains of the same length do not share verdicts; a new array of the same certificates does', () => {
    const a = loadCase('chain_trusted'), b = loadCase('self_signed_leaf');
    const store = trustStoreFromTexts([...a.store.certs, ...b.store.certs].map((c, i) => ({ name: `${i}.pem`, data: new TextEncoder().encode(c.facts.pem!) })));
    const cache = new ValidationCache(store);
    const at = a.meta.attime * 1000;
    const ia = input({ presented: [a.leaf], store, atMs: at }), ib = input({ presented: [b.leaf], store, atMs: at });
    expect(cache.validate(ia)).toEqual(validateChain(ia));
    expect(cache.validate(ib)).toEqual(validateChain(ib));
    expect(cache.validate(ia).chain).not.toEqual(cache.validate(ib).chain);
    expect([cache.hits, cache.misses]).toEqual([2, 2]);
    expect(cache.validate({ ...ia, presented: [a.leaf] })).toBe(cache.validate(ia));
    expect(cache.hits).toBe(4);
  });

  it('without a trust store, and for another store or security level than its own: the same as validateChain', () => {
    const c = loadCase('chain_trusted');
    const at = c.meta.attime * 1000;
    const presented = [c.leaf, ...c.untrusted];
    const none = new ValidationCache(null);
    const i0 = input({ presented, store: null, atMs: at });
    expect(none.validate(i0)).toEqual(validateChain(i0));
    expect(none.validate(i0).status).toBe('not_checked');
    const cache = new ValidationCache(c.store);
    const own = input({ presented, store: c.store, atMs: at });
    expect(cache.validate(own).status).toBe('trusted');
    const other = input({ presented, store: trustStoreFromTexts([]), atMs: at });
    expect(cache.validate(other)).toEqual(validateChain(other));
    expect(cache.validate(other).status).toBe('untrusted');
    // security level 5 refuses the fixture's keys: the cache's level-2 verdict must not be served
    const strict = { ...own, securityLevel: 5 };
    expect(cache.validate(strict)).toEqual(validateChain(strict));
    expect(cache.validate(strict).status).toBe('untrusted');
    expect(cache.misses).toBe(1);
  });
});
