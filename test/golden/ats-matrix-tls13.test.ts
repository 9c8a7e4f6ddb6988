/**
 * samples/ats-matrix-tls13: the same 45 certificate cases with TLS 1.3 allowed between Traffic Server and
 * the origins (samples/scripts/ats-matrix.sh with ATS_MATRIX_TLS13=1). The capture cannot show the
 * certificates, so tls-extract cannot validate them; with Traffic Server's diags.log, every server it
 * refused must come out untrusted with the log's reason, and every server it accepted stays "not
 * visible" (no warning proves nothing either way).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline.js';
import type { Report } from '../../src/report/model.js';

const DIR = 'samples/ats-matrix-tls13';
const NOW = new Date('2026-06-01T00:00:00Z');

const cases = readFileSync(join(DIR, 'cases.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
  const [name, addr, , what, code, error] = line.split('\t');
  return { name, ip: addr.split(':')[0], what, code: Number(code), error: error === '-' ? null : error };
});

describe('samples/ats-matrix-tls13: verdicts from the Traffic Server log when TLS 1.3 hides the certificates', () => {
  let withLog: Report;
  let withoutLog: Report;
  beforeAll(async () => {
    const opts = { truststores: [join(DIR, 'ca.pem')], now: NOW };
    withLog = (await analyze([join(DIR, 'matrix.pcap')], { ...opts, logs: [join(DIR, 'diags.log')] })).report;
    withoutLog = (await analyze([join(DIR, 'matrix.pcap')], opts)).report;
  });

  it('every connection is TLS 1.3 with its certificates not visible, and every log line found its handshake', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(cases.filter((c) => c.code === 502).length).toBeGreaterThanOrEqual(10);
    for (const c of withLog.connections) {
      expect(c.server_hello?.version).toBe('TLS 1.3');
      expect(c.certificates_visible).toBe(false);
      expect(c.validation.status).toBe('not_checked');
    }
    expect(withLog.unmatched_log_events ?? []).toEqual([]);
  });

  for (const c of cases) {
    it(`${c.name}: ${c.what} → ${c.code}`, () => {
      const f = withLog.findings.find((x) => x.server.ip === c.ip && x.server.port === 8443);
      expect(f).toBeDefined();
      if (c.code === 200) {
        expect(f!.verdict).toBe('not_visible');
      } else {
        expect(f!.verdict).toBe('untrusted');
        expect(f!.severity).toBe('error');
        expect(f!.reason).toContain(`Traffic Server refused the certificate: ${c.error}`);
        expect(f!.fix.some((l) => l.startsWith('To see the certificate, run openssl s_client'))).toBe(true);
      }
      // without the log nothing can be said
      const g = withoutLog.findings.find((x) => x.server.ip === c.ip && x.server.port === 8443);
      expect(g!.verdict).toBe('not_visible');
    });
  }
});
