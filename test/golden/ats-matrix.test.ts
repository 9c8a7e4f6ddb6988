/**
 * Real Traffic Server verdicts: samples/ats-matrix (samples/scripts/ats-matrix.sh) holds one connection
 * per certificate case that Apache Traffic Server 9.2 (Debian) made as Expressway-C's proxy, the HTTP
 * status it answered (200 accepted, 502 refused) and the reason it logged. tls-extract, from the capture
 * and the trust store alone (and again with the log), must reach the same verdict, and when Traffic
 * Server refused, the same first reason at the same depth.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline.js';
import type { Report } from '../../src/report/model.js';

const DIR = 'samples/ats-matrix';
const NOW = new Date('2026-06-01T00:00:00Z');

interface Case { name: string; ip: string; port: number; as: string; what: string; code: number; error: string | null; depth: number | null }

const cases: Case[] = readFileSync(join(DIR, 'cases.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
  const [name, addr, as, what, code, error, depth] = line.split('\t');
  const [ip, port] = addr.split(':');
  return { name, ip, port: Number(port), as, what, code: Number(code), error: error === '-' ? null : error, depth: depth === '-' ? null : Number(depth) };
});

describe('samples/ats-matrix: the recorded Traffic Server outcomes', () => {
  it('hold enough accepted and refused cases to mean something', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(cases.filter((c) => c.code === 200).length).toBeGreaterThanOrEqual(10);
    expect(cases.filter((c) => c.code === 502).length).toBeGreaterThanOrEqual(10);
    for (const c of cases) {
      expect([200, 502], c.name).toContain(c.code);
      // every refusal was logged with a reason
      if (c.code === 502) expect(c.error, c.name).not.toBeNull();
    }
  });
});

for (const withLog of [false, true]) {
  describe(`samples/ats-matrix: tls-extract agrees with Traffic Server${withLog ? ' (with its diags.log)' : ''}`, () => {
    let report: Report;
    beforeAll(async () => {
      report = (await analyze([join(DIR, 'matrix.pcap')], {
        truststores: [join(DIR, 'ca.pem')], logs: withLog ? [join(DIR, 'diags.log')] : [], now: NOW,
      })).report;
    });

    for (const c of cases) {
      it(`${c.name}: ${c.what} → ${c.code}${c.error ? ` (${c.error})` : ''}`, () => {
        const conns = report.connections.filter((x) => x.server.ip === c.ip && x.server.port === c.port);
        expect(conns.length).toBeGreaterThanOrEqual(1);
        for (const conn of conns) {
          const v = conn.validation;
          expect(v.checked_name).toBe(c.as);
          expect(v.status).toBe(c.code === 200 ? 'trusted' : 'untrusted');
          if (c.code === 200) {
            expect(v.errors).toEqual([]);
            continue;
          }
          const first = v.errors[0];
          expect([first.message, first.message_openssl3]).toContain(c.error);
          expect(first.depth).toBe(c.depth ?? 0);
        }
        if (withLog) {
          // the warning is attached to this connection and agrees with our verdict
          const events = conns.flatMap((x) => x.log_events);
          if (c.code === 502) expect(events.some((e) => e.text.includes(`(${c.ip})`))).toBe(true);
        }
      });
    }

    if (withLog) {
      it('every log event found its handshake, and no finding says the log disagrees', () => {
        expect(report.unmatched_log_events ?? []).toEqual([]);
        expect(report.findings.filter((f) => f.code === 'log_disagrees')).toEqual([]);
      });
    }
  });
}

describe('samples/ats-matrix at securityLevel 0', () => {
  it('only the weak-key and weak-digest cases change verdict, and the report says which level was used', async () => {
    const opts = { truststores: [join(DIR, 'ca.pem')], now: NOW };
    const at2 = (await analyze([join(DIR, 'matrix.pcap')], opts)).report;
    const at0 = (await analyze([join(DIR, 'matrix.pcap')], { ...opts, securityLevel: 0 })).report;
    expect(at2.truststore?.security_level).toBe(2);
    expect(at0.truststore?.security_level).toBe(0);
    const weak = new Set(cases.filter((c) => c.error !== null && /too weak/.test(c.error)).map((c) => c.ip));
    expect(weak.size).toBe(2);
    for (const c of at0.connections) {
      const before = at2.connections.find((x) => x.client.port === c.client.port && x.server.ip === c.server.ip)!;
      if (weak.has(c.server.ip)) {
        expect(before.validation.status).toBe('untrusted');
        expect(c.validation.status).toBe('trusted');
      } else {
        expect(c.validation).toEqual(before.validation);
      }
    }
  });
});
