/**
 * Untrusted input: analyzeCertificate, the trust-store container reader and validateChain never
 * throw, whatever the bytes (random, truncated or mutated real certificates).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCertContainer } from '../../../src/trust/cert-container.js';
import { validateChain } from '../../../src/trust/validate-chain.js';
import { analyzeCertificate } from '../../../src/x509/analyze.js';
import { decodeCertSkeleton } from '../../../src/x509/tbs.js';
import { DecodeError } from '../../../src/diagnostics/decode-error.js';
import { loadCase } from '../trust/chain-fixtures.js';

const c = loadCase('chain_trusted');
const seeds = [c.leaf.der, c.untrusted[0].der, loadCase('ecdsa_p256').leaf.der, loadCase('ed25519').leaf.der];

const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat())
  .map(([der, edits, cut]) => {
    const b = Uint8Array.from(der);
    for (const [i, v] of edits) b[i % b.length] = v;
    return b.subarray(0, Math.max(1, b.length - (cut % 64)));
  });

describe('robustness', () => {
  it('analyzeCertificate never throws and keeps the contract shape', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 600 }), mutated), fc.boolean(), (bytes, complete) => {
        const pc = analyzeCertificate(bytes, complete);
        expect(typeof pc.facts.subject).toBe('string');
        expect(typeof pc.facts.key.type).toBe('string');
        expect(pc.facts.complete).toBe(complete);
      }),
      { numRuns: 300 },
    );
  });

  it('the DER skeleton decoder throws only DecodeError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), mutated), (bytes) => {
        try {
          decodeCertSkeleton(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('readCertContainer never throws on text or bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string().map((s) => new TextEncoder().encode(`-----BEGIN CERTIFICATE-----\n${s}\n-----END CERTIFICATE-----\n`)), fc.uint8Array()), (bytes) => {
        const r = readCertContainer(bytes);
        expect(r.ders.length + r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('validateChain never throws on mangled chains', () => {
    fc.assert(
      fc.property(fc.array(mutated, { minLength: 1, maxLength: 3 }), (ders) => {
        const presented = ders.map((d) => analyzeCertificate(d, true));
        const v = validateChain({ presented, store: c.store, atMs: Date.parse('2025-06-01T00:00:00Z'), nowMs: Date.parse('2026-01-01T00:00:00Z'), checkedName: 'cucm.steven.lab', checkedNameSource: 'sni', visible: true });
        expect(['trusted', 'untrusted', 'not_checked']).toContain(v.status);
      }),
      { numRuns: 100 },
    );
  });
});
