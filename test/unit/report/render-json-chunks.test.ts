import { describe, it, expect } from 'vitest';
import { renderJson, renderJsonChunks } from '../../../src/report/render-json.js';
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
