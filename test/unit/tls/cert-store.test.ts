// CertStore (src/x509/cert-store.ts) is owned by the TLS/TCP work: it receives DER from the TLS layer.
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { CertStore } from '../../../src/x509/cert-store.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { resolveLimits } from '../../../src/options.js';
import * as B from '../../helpers/tls-builder.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('CertStore', () => {
  it('dedupes by SHA-256 and copies the caller’s view', () => {
    const store = new CertStore(resolveLimits(), new Diagnostics());
    const der = B.fakeDer(500, 1);
    const buf = B.concat(new Uint8Array(7), der);
    const view = buf.subarray(7);
    const a = store.add(view, 500);
    buf.fill(0); // the caller reuses its buffer
    const b = store.add(B.fakeDer(500, 1), 500);
    expect(a).toEqual({ sha256: sha(der), complete: true, declaredLength: 500, capturedLength: 500 });
    expect(b.sha256).toBe(a.sha256);
    expect(store.size).toBe(1);
    expect([...store.get(a.sha256)!.der]).toEqual([...der]);
  });

  it('keeps a cut certificate as incomplete, hashed over the captured bytes', () => {
    const store = new CertStore(resolveLimits(), new Diagnostics());
    const part = B.fakeDer(500, 2).subarray(0, 200);
    const e = store.add(part, 500);
    expect(e).toEqual({ sha256: sha(part), complete: false, declaredLength: 500, capturedLength: 200 });
    expect(store.get(e.sha256)?.complete).toBe(false);
  });

  it('tells apart certificates with equal length and equal tails', () => {
    const store = new CertStore(resolveLimits(), new Diagnostics());
    const x = B.fakeDer(300, 3), y = Uint8Array.from(x);
    y[10] ^= 1;
    expect(store.add(x, 300).sha256).not.toBe(store.add(y, 300).sha256);
    expect(store.size).toBe(2);
  });

  it('crafted certificates sharing length and tail: each still recognised, in linear time', () => {
    const store = new CertStore(resolveLimits(), new Diagnostics());
    const base = B.fakeDer(400, 9);
    const variant = (i: number): Uint8Array => {
      const d = Uint8Array.from(base);
      d[20] = i & 255; d[21] = i >> 8; // differ early, same length and the same last 24 bytes
      return d;
    };
    const n = 5000;
    const first = Array.from({ length: n }, (_, i) => store.add(variant(i), 400).sha256);
    expect(new Set(first).size).toBe(n);
    expect(store.size).toBe(n);
    const compares = vi.spyOn(Buffer, 'compare');
    // seen again: found (by bytes among the first few, else by hash), same answers
    for (let i = n - 1; i >= 0; i--) expect(store.add(variant(i), 400).sha256).toBe(first[i]);
    expect(store.size).toBe(n);
    // a byte comparison with every earlier certificate of that fingerprint would be ~12.5 M of them
    expect(compares.mock.calls.length).toBeGreaterThan(0);
    expect(compares.mock.calls.length).toBeLessThanOrEqual(8 * n);
    compares.mockRestore();
  });

  it('stops keeping DER beyond maxCertificates but still returns the hash, with a diagnostic', () => {
    const diag = new Diagnostics();
    const store = new CertStore(resolveLimits({ maxCertificates: 2 }), diag);
    const entries = [1, 2, 3].map((i) => store.add(B.fakeDer(100, i), 100));
    expect(store.size).toBe(2);
    expect(entries[2].sha256).toBe(sha(B.fakeDer(100, 3)));
    expect(store.get(entries[2].sha256)).toBeUndefined();
    expect(diag.count('limit.certificates')).toBe(1);
    expect([...store.entries()].map(([h]) => h)).toEqual([entries[0].sha256, entries[1].sha256]);
  });

  it('stops keeping DER beyond maxCertificateBytes in all (a small one still fits), with a diagnostic each time', () => {
    const diag = new Diagnostics();
    const store = new CertStore(resolveLimits({ maxCertificateBytes: 1000 }), diag);
    const [a, big, b, c] = [[400, 1], [700, 2], [600, 3], [700, 4]].map(([n, i]) => store.add(B.fakeDer(n, i), n));
    expect(store.size).toBe(2); // 400 + 600 = 1000: the 700-byte ones do not fit
    expect([...store.entries()].map(([h]) => h)).toEqual([a.sha256, b.sha256]);
    expect(store.get(big.sha256)).toBeUndefined();
    expect(store.get(c.sha256)).toBeUndefined();
    expect(c.sha256).toBe(sha(B.fakeDer(700, 4)));
    expect(diag.count('limit.certificates')).toBe(2);
    // a certificate kept before is still recognised (no new bytes)
    expect(store.add(B.fakeDer(400, 1), 400).sha256).toBe(a.sha256);
    expect(diag.count('limit.certificates')).toBe(2);
  });
});
