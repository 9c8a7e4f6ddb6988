import { describe, it, expect } from 'vitest';
import { caseNames, loadCase } from './chain-fixtures.js';
import { validateChain } from '../../../src/trust/validate-chain.js';
import { ValidationCache } from '../../../src/trust/validation-cache.js';

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
