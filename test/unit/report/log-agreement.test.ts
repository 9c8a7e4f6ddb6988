import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { errorText, logClaim } from '../../../src/report/log-agreement.js';
import type { LogEventOut } from '../../../src/report/model.js';

const regexVersion = (t: string): string => {
  const a = t.indexOf('Error=');
  return a < 0 ? t : (/^Error=(.*?)\s+server=/.exec(t.slice(a))?.[1] ?? t);
};

describe('errorText', () => {
  it('reads the Error= text of the Traffic Server warnings', () => {
    const line = 'WARNING: Core server certificate verification failed for (cucm.steven.lab). Action=Terminate Error=self signed certificate server=cucm.steven.lab(127.0.10.1) depth=0';
    expect(errorText(line)).toBe('self signed certificate');
    expect(errorText('Error=  server=x')).toBe('');
    expect(errorText('no error field')).toBe('no error field');
  });

  it('agrees with the regular expression (from the first Error=) on any short line', () => {
    const piece = fc.constantFrom('Error=', 'server=', ' ', '\t', '\n', '\r', '\u2028', '\u00a0', 'x', 'self signed', '=', 'serv', 'Error=server=');
    fc.assert(fc.property(fc.array(piece, { maxLength: 14 }).map((a) => a.join('')), (t) => {
      expect(errorText(t)).toBe(regexVersion(t));
    }), { numRuns: 5000 });
  });

  it('stays linear on a hostile line of blanks (the regular expression took seconds)', () => {
    const t = `Error=${' '.repeat(200_000)}x`;
    expect(errorText(t)).toBe(t);
    const e: LogEventOut = { file: 'f', line: 1, time: null, kind: 'verify_failed', txn_id: null, text: `${t} depth=0` };
    expect(logClaim(e)).toBeNull();
  });
});

describe('logClaim', () => {
  const warn = (error: string, depth: number): LogEventOut => ({
    file: 'diag.log', line: 7, time: null, kind: 'verify_failed', txn_id: null,
    text: `WARNING: Core server certificate verification failed for (cucm.lab). Action=Terminate Error=${error} server=cucm.lab(10.0.0.5) depth=${depth}`,
  });

  it('reads each name-constraints error OpenSSL prints as name_constraints, and the date format errors as bad_time_format, at the logged depth', () => {
    for (const text of ['permitted subtree violation', 'excluded subtree violation', 'name constraints minimum and maximum not supported',
      'unsupported name constraint type', 'unsupported or invalid name syntax']) {
      expect(logClaim(warn(text, 1)), text).toEqual({ code: 'name_constraints', depth: 1 });
    }
    expect(logClaim(warn('unhandled critical extension', 0))).toEqual({ code: 'unhandled_critical', depth: 0 });
    expect(logClaim(warn("format error in certificate's notAfter field", 0))).toEqual({ code: 'bad_time_format', depth: 0 });
    expect(logClaim(warn("format error in certificate's notBefore field", 2))).toEqual({ code: 'bad_time_format', depth: 2 });
    expect(logClaim(warn('subtree violation', 0))).toBeNull();
  });
});
