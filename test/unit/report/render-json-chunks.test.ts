import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ByteBatcher, numberText, renderJson, renderJsonChunks } from '../../../src/report/render-json.js';
import { sampleReport } from '../../helpers/sample-report.js';
import type { Report } from '../../../src/report/model.js';

describe('renderJsonChunks', () => {
  it('streams exactly the bytes of renderJson, one piece per connection', () => {
    const r = sampleReport();
    const chunks = [...renderJsonChunks(r)];
    expect(chunks.join('')).toBe(renderJson(r));
    expect(chunks.length).toBeGreaterThan(r.connections.length);
  });

  it('handles empty arrays, nulls, undefined fields and odd strings like JSON.stringify', () => {
    const r = { ...sampleReport(), connections: [], truststore: null, diagnostics: undefined, inputs: [{ path: 'a\n"b"\u2028', sha256: null, kind: 'x' }] } as unknown as Report;
    expect([...renderJsonChunks(r)].join('')).toBe(renderJson(r));
    expect(JSON.parse([...renderJsonChunks(r)].join(''))).toEqual(JSON.parse(renderJson(r)));
  });

  it('splices shared certificate objects (stringified once) exactly where JSON.stringify puts them', () => {
    const r = sampleReport();
    const [first] = r.connections;
    const cert = first.certificates[0];
    // the placeholder text inside strings, a raw newline in a certificate field, a cert shared by
    // both lists and by several connections, and a connection with empty lists
    const odd = { ...cert, subject: 'CN=x\n      "certificates": []', issuer: '\u2028"' };
    const conns = [
      { ...first, certificates: [odd, cert, odd], client_certificates: [cert], client_hello: first.client_hello === null ? null : { ...first.client_hello, sni: '\n      "certificates": []' } },
      { ...first, certificates: [], client_certificates: [odd] },
      { ...first, certificates: [odd], client_certificates: [] },
    ];
    const big = { ...r, connections: [...conns, ...r.connections, ...conns] } as Report;
    expect([...renderJsonChunks(big)].join('')).toBe(renderJson(big));
    // a second render (cache warm) is the same, and a changed copy is not served from the cache
    expect([...renderJsonChunks(big)].join('')).toBe(renderJson(big));
    const changed = { ...big, connections: [{ ...first, certificates: [{ ...odd, subject: 'CN=changed' }] }] } as Report;
    const text = [...renderJsonChunks(changed)].join('');
    expect(text).toBe(renderJson(changed));
    expect(text).toContain('CN=changed');
  });

  it('writes a certificate list shared by many connections exactly as JSON.stringify does, and a cycle in it as its TypeError', () => {
    const r = sampleReport();
    const [first] = r.connections;
    const cert = first.certificates[0];
    const shared = [cert, { ...cert, subject: 'CN=é\u2028"x"' }, cert];
    const other = [{ ...cert, serial: '01' }];
    const conns = [0, 1, 2, 3].map((i) => ({ ...first, id: i, certificates: i % 2 === 0 ? shared : other, client_certificates: i === 3 ? shared : [] }));
    const rep = { ...r, connections: conns } as Report;
    const text = [...renderJsonChunks(rep)].join('');
    expect(text).toBe(renderJson(rep));
    expect(text.split(JSON.stringify('CN=é\u2028"x"')).length - 1).toBe(3); // in connections 0 and 2, and 3's client list
    // a cycle inside a shared list is still the TypeError JSON.stringify throws, on every use
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { back: loop };
    const bad = [{ ...cert, loop }];
    const cyc = { ...r, connections: [0, 1, 2].map((i) => ({ ...first, id: i, certificates: bad })) } as unknown as Report;
    expect(() => [...renderJsonChunks(cyc)]).toThrow(TypeError);
  });

  it('writes odd connection objects exactly as JSON.stringify does (undefined, functions, symbols, toJSON, integer keys)', () => {
    const r = sampleReport();
    const first = r.connections[0];
    const odd: unknown[] = [
      { ...first, extra: undefined, fn: () => 1, [Symbol('s')]: 1, 10: 'ten', 2: 'two', when: new Date(0), nan: Number.NaN, inf: -Infinity, neg0: -0 },
      { ...first, validation: { ...first.validation, toJSON: () => 'replaced' } },
      { ...first, certificates: [{ ...first.certificates[0], toJSON: () => ({ only: 1 }) }] },
      { toJSON: () => ({ whole: 'connection' }) },
      {},
      null,
      { ...first, certificates: [null, undefined, first.certificates[0]] },
    ];
    const rep = { ...r, connections: [...odd, ...odd] } as unknown as Report;
    expect([...renderJsonChunks(rep)].join('')).toBe(renderJson(rep));
    // BigInt: both throw the same TypeError
    const big = { ...r, connections: [{ ...first, id: 10n }] } as unknown as Report;
    expect(() => renderJson(big)).toThrow(TypeError);
    expect(() => [...renderJsonChunks(big)]).toThrow(TypeError);
  });
});

describe('writeJsonReport: JSON.stringify(value, null, 2) on any value', () => {
  // JSON-ish values with the odd corners JSON.stringify has: toJSON (called with its key), boxed
  // primitives, undefined / functions / symbols (omitted in objects, null in arrays), non-finite
  // numbers, -0, integer-like keys (listed first), lone surrogates and multi-byte text
  const leaf = fc.oneof(
    fc.string({ unit: 'binary' }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined),
    fc.constant(() => 1), fc.constant(Symbol('s')), fc.constant(-0), fc.constant(new Date(0)),
    fc.string().map((s) => new String(s)), fc.double().map((n) => new Number(n)), fc.boolean().map((b) => new Boolean(b)),
    fc.string().map((s) => ({ toJSON: (k: string) => `${s}@${k}` })),
  );
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, leaf, tie('arr'), tie('obj')),
    arr: fc.array(tie('v'), { maxLength: 5 }),
    obj: fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('0', '10', '2', 'certificates', 'validation', 'toJSONx')), tie('v'), { maxKeys: 6 }),
  })).v;

  it('as a connection, a certificate, a shared field or a top-level entry', () => {
    const base = sampleReport();
    const first = base.connections[0];
    fc.assert(fc.property(value, value, value, (a, b, c) => {
      const conn = { ...first, odd: a, validation: b, certificates: [first.certificates[0], c, c] };
      const r = { ...base, extra: a, connections: [conn, a, { ...first, client_hello: b }, conn] } as unknown as Report;
      expect([...renderJsonChunks(r)].join('')).toBe(renderJson(r));
    }), { numRuns: 300 });
  });

  it('throws the TypeError JSON.stringify throws on a cycle, anywhere', () => {
    const r = sampleReport();
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { back: loop };
    const cert = { ...r.connections[0].certificates[0], loop };
    for (const bad of [
      { ...r, extra: loop },
      { ...r, connections: [{ ...r.connections[0], notes: [loop] }] },
      { ...r, connections: [{ ...r.connections[0], certificates: [cert] }] },
    ]) {
      expect(() => renderJson(bad as unknown as Report)).toThrow(TypeError);
      expect(() => [...renderJsonChunks(bad as unknown as Report)]).toThrow(TypeError);
    }
  });
});

describe('ByteBatcher', () => {
  it('writes text and byte pieces in order, whole, whatever the buffer size (multi-byte text included)', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => ({ t: s })),
      fc.string({ unit: 'grapheme-ascii', minLength: 50, maxLength: 80 }).map((s) => ({ t: s })), // around the direct-copy limit
      fc.string({ unit: 'grapheme-ascii', maxLength: 63 }).map((s) => ({ t: `${s}\u00e9` })), // non-ASCII at the end of a short piece
      fc.string({ unit: 'grapheme', maxLength: 300 }).map((s) => ({ b: Buffer.from(s, 'utf8') })),
      fc.constant({ t: 'é€😀'.repeat(3000) }),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 30 }), fc.integer({ min: 1, max: 5000 }), (pieces, size) => {
      const got: Buffer[] = [];
      const out = new ByteBatcher((b) => got.push(Buffer.from(b)), size);
      const want: Buffer[] = [];
      for (const p of pieces) {
        if ('t' in p) { out.text(p.t); want.push(Buffer.from(p.t, 'utf8')); }
        else { out.bytes(p.b); want.push(p.b); }
      }
      out.flush();
      expect(Buffer.concat(got).equals(Buffer.concat(want))).toBe(true);
      // the buffer is reused: a flush never hands out more than the buffer (pieces larger go alone)
      for (const g of got) expect(g.length).toBeGreaterThan(0);
    }), { numRuns: 300 });
  });
});

describe('numberText (integers spelled without the number-string cache)', () => {
  it('writes every number as JSON.stringify does', () => {
    for (const n of [0, -0, 1, 9, 10, 99, 100, 101, 1000, 1005, 65535, 0x7fffffff, 0x80000000, 2 ** 53, -1, -100, 0.5, 1e21, 1e-7, 123.456]) {
      expect(numberText(n)).toBe(JSON.stringify(n));
    }
    fc.assert(fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (n) => numberText(n) === String(n)), { numRuns: 5000 });
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => numberText(n) === JSON.stringify(n)), { numRuns: 2000 });
  });

  it('quoted(s) writes exactly JSON.stringify(s), in order with the other pieces', () => {
    const str = fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 70 }), fc.string({ unit: 'binary', maxLength: 20 }),
      fc.constantFrom('', '"', '\\', '\u007f', '\u0000', 'a\nb', '\ud800', 'x'.repeat(64), 'x'.repeat(65)));
    fc.assert(fc.property(fc.array(str, { maxLength: 20 }), fc.integer({ min: 1, max: 300 }), (strings, size) => {
      const got: Buffer[] = [];
      const out = new ByteBatcher((b) => got.push(Buffer.from(b)), size);
      for (const s of strings) { out.quoted(s); out.text(','); }
      out.flush();
      expect(Buffer.concat(got).toString('utf8')).toBe(strings.map((s) => `${JSON.stringify(s)},`).join(''));
    }), { numRuns: 500 });
  });
});
