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
});
