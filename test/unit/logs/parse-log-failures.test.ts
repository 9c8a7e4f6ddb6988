/**
 * parseLog's one catch per entry: a format parser that throws (a DecodeError from a bounded reader,
 * or a bug) costs that entry only, is counted with the file and line, and the next entries parse.
 * The diags parser is wrapped here to throw on chosen lines.
 */
import { describe, expect, it, vi } from 'vitest';
import { DecodeError } from '../../../src/diagnostics/decode-error.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { DEFAULT_LIMITS } from '../../../src/options.js';
import { parseLog } from '../../../src/logs/parse-log.js';

vi.mock(import('../../../src/logs/formats/ats-diags.js'), async (importOriginal) => {
  const mod = await importOriginal();
  return {
    ...mod,
    parseDiagsEntry: (e, ctx) => {
      if (e.first.includes('(decode.lab)')) throw new DecodeError('bad_length', 'log', 'field of 70000 bytes');
      if (e.first.includes('(bug.lab)')) throw new TypeError('x is undefined');
      return mod.parseDiagsEntry(e, ctx);
    },
  };
});

const line = (sni: string) => `[Nov 26 20:59:21.000] [ET_NET 0] WARNING: SNI (${sni}) not in certificate. Action=Terminate server=${sni}(10.0.0.1)`;

describe('parseLog: an entry whose parser throws', () => {
  it('a DecodeError is an anomaly under log.<code>, any other error is internal; both with file:line; the other entries parse', async () => {
    const diag = new Diagnostics();
    const text = [line('a.lab'), line('decode.lab'), line('b.lab'), line('bug.lab'), line('c.lab')].join('\n') + '\n';
    const r = await parseLog((async function* () { yield new TextEncoder().encode(text); })(), { name: 'd.log', limits: DEFAULT_LIMITS, diag, yearHint: 2026 });
    expect(r.events.map((e) => `${e.line}:${e.sni}`)).toEqual(['1:a.lab', '3:b.lab', '5:c.lab']);
    const entry = (k: string) => diag.list().find((d) => d.key === k);
    expect(entry('log.bad_length')).toMatchObject({ severity: 'anomaly', count: 1, samples: [{ detail: 'd.log:2 field of 70000 bytes' }] });
    expect(entry('internal.logs.parse')).toMatchObject({ severity: 'internal', count: 1 });
    // the sample says where (file:line) and what; it used to hold only the error, the line was lost
    expect(entry('internal.logs.parse')?.samples[0].detail).toBe('d.log:4: TypeError: x is undefined');
    expect(diag.list().map((d) => d.key).sort()).toEqual(['internal.logs.parse', 'log.bad_length']);
  });
});
