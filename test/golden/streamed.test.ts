/**
 * The streamed report (analyzeStream, report/streamed.ts) against the whole one (analyze) on the
 * samples: the same JSON text, byte for byte, whether written connection by connection or through
 * JSON.stringify; findings computed from the slim shared views (FindingsViews) equal the findings of
 * the full connections; and the stream's rules (read once, connections before findings).
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { analyze, analyzeStream } from '../../src/pipeline.js';
import { renderJson, renderJsonChunks } from '../../src/report/render-json.js';
import { buildFindings, FindingsViews } from '../../src/report/findings.js';
import { logDisagreementFindings, LogDisagreements } from '../../src/report/log-agreement.js';
import { isStreamedReport, materializeReport } from '../../src/report/streamed.js';
import type { ConnectionOut } from '../../src/report/model.js';

const S = 'samples';
const NOW = new Date('2026-06-01T00:00:00Z');

const CASES: { name: string; inputs: string[]; opts: Parameters<typeof analyze>[1] }[] = [
  { name: 'lab with trust store and log', inputs: [join(S, 'lab/lab.pcap')], opts: { truststores: [join(S, 'lab/ca.pem')], logs: [join(S, 'expressway/seed-lab.loggingsnapshot.txt')], now: NOW } },
  { name: 'lab without trust store', inputs: [join(S, 'lab/lab.pcapng')], opts: { now: NOW } },
  { name: 'Expressway bundle (trust store, logs, server_*.pem from the archive)', inputs: [join(S, 'expressway/diagnostic_log_vcsc_2026-11-26_21-11-18.tar.gz')], opts: { now: NOW } },
  { name: 'Traffic Server capture with its logs', inputs: [join(S, 'ats/ats.pcap')], opts: { truststores: [join(S, 'lab/ca.pem')], logs: [join(S, 'ats/diags.log'), join(S, 'ats/error.log')], now: NOW } },
];

describe('streamed report = whole report', () => {
  for (const c of CASES) {
    it(`${c.name}: the same --json text, streamed or whole, and JSON.stringify of the stream`, async () => {
      const whole = (await analyze(c.inputs, c.opts)).report;
      expect(whole.connections.length).toBeGreaterThan(0);
      const streamed = (await analyzeStream(c.inputs, c.opts)).report;
      expect(isStreamedReport(streamed)).toBe(true);
      const chunks = [...renderJsonChunks(streamed)];
      expect(chunks.length).toBeGreaterThan(whole.connections.length); // written a connection at a time
      const expected = renderJson(whole);
      expect(chunks.join('')).toBe(expected);
      const again = (await analyzeStream(c.inputs, c.opts)).report;
      expect(`${JSON.stringify(again, null, 2)}\n`).toBe(expected);
      expect(materializeReport((await analyzeStream(c.inputs, c.opts)).report)).toEqual(whole);
    });

    it(`${c.name}: findings of the shared views (with ids beside them) = findings of the connections`, async () => {
      const { report, certificates, truststore } = await analyze(c.inputs, c.opts);
      const full = buildFindings({ connections: report.connections, certificates, store: truststore });
      const views = new FindingsViews();
      report.connections.forEach((conn, i) => views.add(conn, i));
      expect(Array.from(views.ids)).toEqual(report.connections.map((x, i) => x.id ?? i));
      const slim = buildFindings({ connections: views.connections, ids: views.ids, certificates, store: truststore });
      expect(slim).toEqual(full);
      const acc = new LogDisagreements();
      report.connections.forEach((conn, i) => acc.add(conn, i));
      expect(acc.findings()).toEqual(logDisagreementFindings(report.connections));
    });
  }

  it('the lab and bundle findings are not trivial (the comparison above could fail)', async () => {
    const { report } = await analyze(CASES[0].inputs, CASES[0].opts);
    expect(report.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['self_signed', 'ok']));
    expect(report.findings.some((f) => f.connections.length > 1)).toBe(true);
  });
});

describe('FindingsViews', () => {
  it('connections of one server with one result share one view; ids are kept per connection', async () => {
    const { report } = await analyze(CASES[1].inputs, CASES[1].opts);
    const views = new FindingsViews();
    const many: ConnectionOut[] = [];
    for (let k = 0; k < 50; k++) for (const conn of report.connections) many.push({ ...conn, id: many.length + 1000 });
    many.forEach((conn, i) => views.add(conn, i));
    expect(views.connections).toHaveLength(many.length);
    expect(Array.from(views.ids)).toEqual(many.map((x) => x.id));
    const distinct = new Set(views.connections);
    // without alerts, log lines or an expiry to watch, a view depends only on shared objects
    expect(distinct.size).toBeLessThanOrEqual(report.connections.length);
    expect(distinct.size * 10).toBeLessThan(many.length);
    for (const v of distinct) if (v.alerts.length === 0 && v.log_events.length === 0 && v.handshake_time === null) expect(v.id).toBeUndefined();
  });

  it('connections share a view only when every field findings read is the same object or value', async () => {
    const { report } = await analyze(CASES[1].inputs, CASES[1].opts);
    const shareable = (c: ConnectionOut) => c.log_events.length === 0 && !c.alerts.some((a) => a.from === 'server' && a.level === 'fatal');
    const base = report.connections.find((c) => shareable(c) && c.certificates.length > 0 && c.client_hello !== null && c.server_hello !== null)!;
    const other = report.connections.find((c) => c.certificates !== base.certificates && c.certificates.length > 0)!;
    expect(base).toBeDefined();
    expect(other).toBeDefined();
    const variants: Partial<ConnectionOut>[] = [
      { server: { ...base.server } }, { certificates: [...base.certificates] }, { client_certificates: other.certificates },
      { client_hello: { ...base.client_hello! } }, { server_hello: { ...base.server_hello! } },
      { certificates_visible: !base.certificates_visible }, { client_certificate_requested: !base.client_certificate_requested },
    ];
    for (const v of variants) {
      const views = new FindingsViews();
      views.add(base, 0);
      views.add({ ...base, id: 99 }, 1);
      views.add({ ...base, ...v, id: 100 }, 2);
      const [a, b, c] = views.connections;
      expect(a, Object.keys(v)[0]).toBe(b);
      expect(a, Object.keys(v)[0]).not.toBe(c);
      expect(Array.from(views.ids)).toEqual([base.id, 99, 100]);
    }
  });

  it('a view keeps only the fatal alerts from the server', () => {
    const views = new FindingsViews();
    const base = { id: 7, server: { ip: '10.0.0.1', port: 6972 }, handshake_time: null, client_hello: null, server_hello: null, certificates_visible: false,
      certificates: [], client_certificate_requested: false, client_certificates: [], validation: { status: 'not_checked', checked_name: null, errors: [], chain: [], anchor: null }, log_events: [] } as unknown as ConnectionOut;
    views.add({ ...base, alerts: [{ from: 'client', level: 'warning', description: 'close_notify' }] }, 0);
    views.add({ ...base, alerts: [{ from: 'client', level: 'fatal', description: 'unknown_ca' }, { from: 'server', level: 'fatal', description: 'bad_certificate' }] }, 1);
    expect(views.connections[0].alerts).toEqual([]);
    expect(views.connections[1].alerts).toEqual([{ from: 'server', level: 'fatal', description: 'bad_certificate' }]);
    expect(views.connections[0]).not.toBe(views.connections[1]);
  });
});

describe('ConnectionStream rules', () => {
  it('findings and diagnostics wait for the connections; the connections are read once', async () => {
    const { report } = await analyzeStream(CASES[1].inputs, CASES[1].opts);
    expect(() => report.findings.get()).toThrow(/before the connections/);
    expect(() => report.diagnostics.get()).toThrow(/before the connections/);
    const n = [...report.connections].length;
    expect(n).toBe(report.connections.length);
    expect(() => [...report.connections]).toThrow(/only once/);
    expect(report.findings.get().length).toBeGreaterThan(0);
    expect(report.findings.get()).toBe(report.findings.get());
  });
});
