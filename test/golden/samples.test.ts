/**
 * Golden tests on samples/ (real captures made by samples/make-samples.sh with openssl, tcpdump and
 * Apache Traffic Server 9.2): the verdicts the README promises, every input mode, the bundle, and
 * the Traffic Server log correlation.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { analyze } from '../../src/pipeline.js';
import type { ConnectionOut, Report } from '../../src/report/model.js';

const S = 'samples';
const NOW = new Date('2026-06-01T00:00:00Z');
const schema = JSON.parse(readFileSync('schema/report.schema.json', 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

function byPort(r: Report, ip: string, port: number): ConnectionOut[] {
  return r.connections.filter((c) => c.server.ip === ip && c.server.port === port);
}
/** A stable fingerprint of what a capture shows, independent of the input mode. */
function shape(r: Report): string[] {
  return r.connections.map((c) => [c.client.port, c.server.ip, c.server.port, c.client_hello?.sni, c.server_hello?.version,
    c.server_hello?.cipher_suite?.id, c.certificates.map((x) => x.sha256.slice(0, 12)).join('+'),
    c.client_certificates.map((x) => x.sha256.slice(0, 12)).join('+'), c.validation.status,
    c.validation.errors.map((e) => `${e.code}@${e.depth}`).join(','), c.alerts.map((a) => `${a.from}:${a.description}`).join(',')].join(' '));
}

describe('samples/lab (openssl s_server/s_client, tcpdump on lo)', () => {
  let report: Report;
  beforeAll(async () => {
    report = (await analyze([join(S, 'lab/lab.pcap')], { truststores: [join(S, 'lab/ca.pem')], now: NOW })).report;
  });

  it('8443 presents the CA-signed RSA certificate and is trusted', () => {
    const tls12 = byPort(report, '127.0.10.1', 8443).filter((c) => c.server_hello?.version === 'TLS 1.2');
    expect(tls12.length).toBeGreaterThan(0);
    for (const c of tls12) {
      expect(c.certificates[0].subject_cn).toBe('cucm-ms.steven.lab');
      expect(c.certificates[0].key).toMatchObject({ type: 'RSA', bits: 2048 });
      expect(c.certificates[0].self_signed).toBe(false);
      expect(c.certificates[0].san.dns).toContain('cucm.steven.lab');
      expect(c.validation).toMatchObject({ status: 'trusted', checked_name: 'cucm.steven.lab', errors: [] });
      expect(c.validation.anchor).toBe(c.validation.chain[c.validation.chain.length - 1]);
    }
  });

  it('6972 presents the self-signed ECDSA cucm-EC certificate: self_signed at depth 0, with the fix', () => {
    const conns = byPort(report, '127.0.10.1', 6972);
    expect(conns.length).toBeGreaterThanOrEqual(2);
    for (const c of conns) {
      expect(c.server_hello?.cipher_suite?.name).toMatch(/ECDHE_ECDSA/);
      expect(c.certificates.map((x) => x.subject_cn)).toEqual(['cucm-EC.steven.lab']);
      expect(c.certificates[0].key).toMatchObject({ type: 'ECDSA', curve: 'P-256' });
      expect(c.certificates[0].self_signed).toBe(true);
      expect(c.client_certificate_requested).toBe(true);
      expect(c.validation.status).toBe('untrusted');
      expect(c.validation.errors).toEqual([expect.objectContaining({ code: 'self_signed', depth: 0, message: 'self signed certificate' })]);
    }
    // mutual TLS: the Expressway stand-in's client certificate is seen on one of them
    expect(conns.some((c) => c.client_certificates.some((x) => x.subject_cn === 'vcsc.steven.lab'))).toBe(true);
    const f = report.findings.find((x) => x.server.port === 6972 && x.code === 'self_signed');
    expect(f?.verdict).toBe('untrusted');
    expect(f?.fix.join(' ')).toMatch(/Trusted CA certificate/);
  });

  it('the server addressed by IP fails the Traffic Server name check although it has an IP SAN', () => {
    const conns = byPort(report, '127.0.10.2', 8443);
    expect(conns.length).toBeGreaterThan(0);
    for (const c of conns) {
      expect(c.client_hello?.sni).toBeNull();
      expect(c.certificates[0].san.ip).toContain('127.0.10.2');
      expect(c.validation.checked_name).toBe('127.0.10.2');
      expect(c.validation.errors[0]).toMatchObject({ code: 'name_mismatch', depth: 0, message: 'SNI (127.0.10.2) not in certificate' });
      expect(c.validation.errors[0].detail).toMatch(/ignores IP SANs/);
      expect(c.validation.rfc6125_name_match).toBe(true);
    }
  });

  it('TLS 1.3 hides the certificate: not visible, not checked', () => {
    const c = report.connections.find((x) => x.server_hello?.version === 'TLS 1.3');
    expect(c).toBeDefined();
    expect(c!.certificates_visible).toBe(false);
    expect(c!.validation.status).toBe('not_checked');
    expect(c!.validation.errors.map((e) => e.code)).toEqual(['not_visible']);
  });

  it('an untrusted root sent by the server is self_signed_in_chain at depth 1', () => {
    const c = byPort(report, '127.0.10.3', 8443)[0];
    expect(c.certificates.length).toBe(2);
    expect(c.validation.errors[0]).toMatchObject({ code: 'self_signed_in_chain', depth: 1 });
  });

  it('validates against the JSON schema', () => {
    const ok = validate(JSON.parse(JSON.stringify(report)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('matches the golden JSON', async () => {
    const stable = JSON.parse(JSON.stringify(report)) as Report & { version?: string };
    stable.version = 'X';
    await expect(JSON.stringify(stable, null, 2) + '\n').toMatchFileSnapshot('expected/lab.json');
  });

  it('every input mode gives the same connections (pcap µs/ns, pcapng, gzip, -i any SLL2 and SLL)', async () => {
    const want = shape(report);
    for (const f of ['lab-nano.pcap', 'lab.pcapng', 'lab.pcap.gz', 'lab-any.pcap', 'lab-any-sll.pcap']) {
      const r = (await analyze([join(S, 'lab', f)], { truststores: [join(S, 'lab/ca.pem')], now: NOW })).report;
      // -i any captures the same kind of traffic in a separate run: compare what does not depend on the run
      const got = shape(r);
      if (f.startsWith('lab-any')) expect(got.map((l) => l.split(' ').slice(1).join(' '))).toEqual(want.map((l) => l.split(' ').slice(1).join(' ')));
      else expect(got).toEqual(want);
    }
  });
});

describe('samples/ats (Apache Traffic Server 9.2, policy ENFORCED, with its logs)', () => {
  let report: Report;
  beforeAll(async () => {
    report = (await analyze([join(S, 'ats/ats.pcap')], {
      truststores: [join(S, 'lab/ca.pem')], logs: [join(S, 'ats/diags.log'), join(S, 'ats/error.log')], now: NOW,
    })).report;
  });

  it('attaches every Traffic Server warning to exactly the handshake it came from', () => {
    const warningLines = readFileSync(join(S, 'ats/diags.log'), 'utf8').split('\n')
      .map((t, i) => ({ t, line: i + 1 })).filter((x) => / WARNING: (Core server certificate verification failed|SNI \()/.test(x.t));
    expect(warningLines.length).toBeGreaterThanOrEqual(8);
    const attached = new Map<number, ConnectionOut>();
    for (const c of report.connections) {
      for (const e of c.log_events) {
        if (e.kind !== 'verify_failed' && e.kind !== 'sni_mismatch') continue;
        expect(attached.has(e.line)).toBe(false); // attached once
        attached.set(e.line, c);
      }
    }
    expect([...attached.keys()].sort((a, b) => a - b)).toEqual(warningLines.map((w) => w.line));
    // each failing handshake carries exactly one warning, and it is the one of its moment: the warning
    // (logged with ms precision) falls between that handshake's certificate and the next retry's start
    const failing = report.connections.filter((c) => c.alerts.some((a) => a.from === 'client' && a.level === 'fatal'));
    expect(failing.length).toBe(warningLines.length);
    for (const c of failing) {
      const ws = c.log_events.filter((e) => e.kind === 'verify_failed' || e.kind === 'sni_mismatch');
      expect(ws.length).toBe(1);
      const text = ws[0].text;
      if (c.server.ip === '127.0.10.2') expect(text).toContain('SNI (127.0.10.2) not in certificate');
      else expect(text).toContain(`failed for (${c.client_hello?.sni})`);
      const hs = Date.parse(c.handshake_time!);
      const logged = Date.parse(ws[0].time!);
      expect(logged).toBeGreaterThanOrEqual(Math.floor(hs) - 1);
      const next = report.connections.find((x) => Date.parse(x.start) > Date.parse(c.start) && x.server.ip === c.server.ip && x.server.port === c.server.port);
      if (next) expect(logged).toBeLessThanOrEqual(Date.parse(next.start) + 1);
    }
    expect(report.unmatched_log_events?.filter((e) => e.kind === 'verify_failed' || e.kind === 'sni_mismatch')).toEqual([]);
  });

  it('the log verdicts agree with our own on every failing handshake', () => {
    for (const c of report.connections) {
      const w = c.log_events.find((e) => e.kind === 'verify_failed');
      if (!w) continue;
      const depth = Number(/depth=(\d+)/.exec(w.text)?.[1]);
      expect(c.validation.errors[0].depth).toBe(depth);
    }
    expect(report.findings.some((f) => f.code === 'log_disagrees')).toBe(false);
  });
});

describe('samples/expressway (a diagnostic bundle with Expressway file names)', () => {
  const bundle = readdirSync(join(S, 'expressway')).find((f) => /^diagnostic_log_.*\.tar\.gz$/.test(f));

  it('works with the bundle as its one argument: captures merged, trust store from ca_*.pem, log attached', async () => {
    expect(bundle).toBeDefined();
    const r = (await analyze([join(S, 'expressway', bundle!)], { now: NOW })).report;
    expect(r.captures.length).toBe(2);
    expect(r.captures.every((c) => c.path.includes('!eth0_diagnostic_logging_tcpdump'))).toBe(true);
    expect(r.truststore?.paths.some((p) => /!ca_vcsc_.*\.pem$/.test(p))).toBe(true);
    const ec = r.connections.filter((c) => c.server.port === 6972 && c.certificates.length > 0);
    expect(ec.length).toBeGreaterThan(0);
    // the handshake that straddles the two rotated files is whole
    for (const c of ec) expect(c.validation.errors[0]).toMatchObject({ code: 'self_signed', depth: 0 });
    expect(r.connections.some((c) => c.log_events.length > 0)).toBe(true);
    expect(r.findings.some((f) => f.code === 'self_signed' && f.server.port === 6972)).toBe(true);
  });
});

describe('an extracted bundle folder (Expressway file names around the lab capture)', () => {
  it('reads a rotated series from disk as one capture: the same connections as the whole file, a bad part an anomaly', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { gzipSync } = await import('node:zlib');
    const whole = readFileSync(join(S, 'lab/lab.pcap'));
    // split after the record in the middle, as tcpdump -C does (each part with the global header)
    const offsets: number[] = [];
    for (let o = 24; o + 16 <= whole.length; o += 16 + whole.readUInt32LE(o + 8)) offsets.push(o);
    const cut = offsets[Math.floor(offsets.length / 2)];
    const d = mkdtempSync(join(tmpdir(), 'tlsx-series-'));
    writeFileSync(join(d, 'eth0_diagnostic_logging_tcpdump00_vcsc_2026-11-26_21-11-18.pcap'), whole.subarray(0, cut));
    writeFileSync(join(d, 'eth0_diagnostic_logging_tcpdump01_vcsc_2026-11-26_21-11-18.pcap.gz'), gzipSync(Buffer.concat([whole.subarray(0, 24), whole.subarray(cut)])));
    writeFileSync(join(d, 'eth0_diagnostic_logging_tcpdump02_vcsc_2026-11-26_21-11-18.pcap'), 'not a capture\n');
    const opts = { truststores: [join(S, 'lab/ca.pem')], now: NOW };
    const series = await analyze([d], opts);
    const single = (await analyze([join(S, 'lab/lab.pcap')], opts)).report;
    expect(series.report.captures.map((c) => c.packets)).toEqual([offsets.indexOf(cut), offsets.length - offsets.indexOf(cut)]);
    expect(shape(series.report)).toEqual(shape(single));
    expect(series.diagnostics.count('archive.bad_capture')).toBe(1);
  });

  it('takes ca_*.pem as the trust store and recognises server_*.pem as the client certificate of mutual TLS', async () => {
    const { mkdtempSync, copyFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const d = mkdtempSync(join(tmpdir(), 'tlsx-bundle-'));
    copyFileSync(join(S, 'lab/lab.pcap'), join(d, 'eth0_diagnostic_logging_tcpdump00_vcsc_2026-11-26_21-11-18.pcap'));
    copyFileSync(join(S, 'lab/ca.pem'), join(d, 'ca_vcsc_2026-11-26_21-11-18.pem'));
    copyFileSync(join(S, 'lab/pki/vcsc.crt'), join(d, 'server_vcsc_2026-11-26_21-11-18.pem'));
    const r = (await analyze([d], { now: NOW })).report;
    expect(r.truststore?.certificates.map((c) => c.subject_cn)).toEqual(['steven-DC-CA']);
    const mtls = r.connections.filter((c) => c.client_certificates.length > 0);
    expect(mtls.length).toBeGreaterThan(0);
    for (const c of mtls) expect(c.notes.join(' ')).toMatch(/vcsc\.steven\.lab is the Expressway-C's own certificate \(.*server_vcsc_.*\.pem\)/);
    const others = r.connections.filter((c) => c.client_certificates.length === 0);
    for (const c of others) expect(c.notes.join(' ')).not.toMatch(/own certificate/);
  });
});
