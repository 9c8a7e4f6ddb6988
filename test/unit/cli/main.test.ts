import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../../src/cli/main.js';
import type { AnalyzeFn, AnalyzeOptions } from '../../../src/cli/io.js';
import { ExitCode, UsageError } from '../../../src/errors.js';
import type { Report } from '../../../src/report/model.js';
import { displayWidth } from '../../../src/report/text-width.js';
import { toolVersion } from '../../../src/version.js';
import { sampleReport } from '../../helpers/sample-report.js';
import { renderJson } from '../../../src/report/render-json.js';
import { ConnectionStream, Deferred, type StreamedReport } from '../../../src/report/streamed.js';

class Sink {
  text = '';
  constructor(readonly isTTY = false, readonly columns?: number) {}
  write(s: string): boolean { this.text += s; return true; }
}

interface Run { code: number; out: string; err: string; calls: { inputs: string[]; options?: AnalyzeOptions }[] }

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'tls-extract-cli-'));
  dirs.push(d);
  return d;
}

async function cli(argv: string[], opts: { report?: Report; analyze?: AnalyzeFn; env?: Record<string, string>; tty?: boolean; columns?: number; errTty?: boolean } = {}): Promise<Run> {
  const calls: Run['calls'] = [];
  const stdout = new Sink(opts.tty ?? false, opts.columns);
  const stderr = new Sink(opts.errTty ?? false, 80);
  const io: CliIo = {
    stdout, stderr, env: opts.env ?? {},
    exists: (p) => p.endsWith('.pcap') || p.endsWith('.tar.gz'),
    analyze: opts.analyze ?? (async (inputs, options) => { calls.push({ inputs, options }); return { report: opts.report ?? sampleReport() }; }),
    now: (() => { let t = 0; return () => (t += 1000); })(),
  };
  const code = await main(argv, io);
  return { code, out: stdout.text, err: stderr.text, calls };
}

describe('tls-extract main()', () => {
  it('prints the table to stdout at 80 columns when not a TTY, no colour', async () => {
    const r = await cli(['cap.pcap']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.startsWith('Verdict: 2 untrusted')).toBe(true);
    expect(r.out).not.toContain('\x1b');
    for (const l of r.out.split('\n')) expect(displayWidth(l)).toBeLessThanOrEqual(80);
  });
  it('uses the TTY width and colour on a terminal, unless NO_COLOR or --color never', async () => {
    const tty = await cli(['cap.pcap'], { tty: true, columns: 132 });
    expect(tty.out).toContain('\x1b[31mUNTRUSTED\x1b[39m');
    expect(Math.max(...tty.out.split('\n').map(displayWidth))).toBeGreaterThan(80);
    expect((await cli(['cap.pcap'], { tty: true, columns: 132, env: { NO_COLOR: '1' } })).out).not.toContain('\x1b');
    expect((await cli(['--color', 'never', 'cap.pcap'], { tty: true })).out).not.toContain('\x1b');
    expect((await cli(['--color', 'always', 'cap.pcap'])).out).toContain('\x1b[31m');
    const narrow = await cli(['--width', '60', 'cap.pcap'], { tty: true, columns: 200 });
    for (const l of narrow.out.split('\n')) expect(displayWidth(l)).toBeLessThanOrEqual(60);
  });
  it('passes options through to analyze()', async () => {
    const r = await cli(['--truststore', 'ca.pem', '--log', 'a.log', '--name', 'cucm.lab', '--log-tz', '+02:00', '--window', '250',
      '--security-level', '0', 'cap.pcap', 'b.tar.gz']);
    expect(r.calls[0].inputs).toEqual(['cap.pcap', 'b.tar.gz']);
    expect(r.calls[0].options).toMatchObject({ truststores: ['ca.pem'], logs: ['a.log'], name: 'cucm.lab', logTz: '+02:00', windowMs: 250, securityLevel: 0 });
    expect(typeof r.calls[0].options?.onProgress).toBe('function');
    expect(r.calls[0].options?.hashInputs).toBeUndefined();
    expect((await cli(['--markdown', 'cap.pcap'])).calls[0].options?.hashInputs).toBe(true);
  });
  it('--json prints exactly JSON.stringify(report, null, 2)', async () => {
    const r = await cli(['--json', 'cap.pcap'], { tty: true });
    expect(r.out).toBe(`${JSON.stringify(sampleReport(), null, 2)}\n`);
  });
  it('--json streams a report larger than its buffer, multi-byte text cut anywhere, exactly', async () => {
    const base = sampleReport();
    const first = base.connections[0];
    // ~200 connections with 1-, 2-, 3- and 4-byte UTF-8 text: chunk boundaries fall inside sequences
    const conns = Array.from({ length: 200 }, (_, i) => ({ ...first, id: i, notes: [`é€😀 ${'ü'.repeat(i % 7)} ${'𝄞'.repeat(i % 5)}`, 'x'.repeat(i)] }));
    const report = { ...base, connections: conns } as Report;
    const r = await cli(['--json', 'cap.pcap'], { report });
    expect(r.out.length).toBeGreaterThan(1 << 17);
    expect(r.out).toBe(`${JSON.stringify(report, null, 2)}\n`);
    const file = join(tmp(), 'big.json');
    await cli(['--json', '-o', file, 'cap.pcap'], { report });
    expect(readFileSync(file, 'utf8')).toBe(r.out);
  });
  it('--format markdown prints Markdown; --markdown FILE writes it besides the table', async () => {
    expect((await cli(['--format', 'markdown', 'cap.pcap'])).out.startsWith('# tls-extract report\n')).toBe(true);
    const dir = tmp();
    const file = join(dir, 'case.md');
    const r = await cli(['--markdown', file, 'cap.pcap']);
    expect(r.out.startsWith('Verdict:')).toBe(true);
    expect(readFileSync(file, 'utf8').startsWith('# tls-extract report\n')).toBe(true);
    expect(r.err).toBe(`tls-extract: wrote the Markdown report to ${file}\n`);
    expect((await cli(['--quiet', '--markdown', file, 'cap.pcap'])).err).toBe('');
  });
  it('--output FILE writes there and nothing to stdout', async () => {
    const file = join(tmp(), 'out.json');
    const r = await cli(['--json', '-o', file, 'cap.pcap']);
    expect(r.out).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(sampleReport());
  });
  it('--timeline prints the timeline, filtered', async () => {
    const r = await cli(['--timeline=10.48.36.216', 'cap.pcap']);
    expect(r.out.startsWith('Timeline (times UTC, 2022-07-11) for 10.48.36.216\n')).toBe(true);
    expect(r.out).toContain('── 10.48.36.216:7400 imp.steven.lab');
    expect(r.out).not.toContain('6972');
  });
  it('--redact applies to JSON output and records it', async () => {
    const r = await cli(['--json', '--redact-ips', 'cap.pcap']);
    const j = JSON.parse(r.out) as Report & { redaction: unknown };
    expect(r.out).not.toContain('emusk');
    expect(r.out).not.toContain('10.48.36.215');
    expect(j.redaction).toEqual({ users: 1, ips: 3, pem_removed: true });
  });
  it('--export-certs writes every distinct certificate as a PEM named by CN and hash', async () => {
    const dir = join(tmp(), 'certs');
    const r = await cli(['--export-certs', dir, 'cap.pcap']);
    const files = readdirSync(dir).sort();
    const s = sampleReport().connections;
    const sha = (i: number, k: number): string => s[i].certificates[k].sha256.slice(0, 12);
    expect(files).toEqual([`cucm-EC.steven.lab_${sha(1, 0)}.pem`, `cucm-ms.steven.lab_${sha(0, 0)}.pem`, `steven-DC-CA_${sha(0, 1)}.pem`].sort());
    for (const f of files) expect(new X509Certificate(readFileSync(join(dir, f))).subject).toContain('CN=');
    expect(r.err).toBe(`tls-extract: wrote 3 certificate(s) to ${dir}\n`);
  });
  it('--export-missing writes the self-signed certificate the trust store lacks', async () => {
    const dir = join(tmp(), 'missing');
    const r = await cli(['--export-missing', dir, 'cap.pcap']);
    const files = readdirSync(dir);
    expect(files).toEqual([`cucm-EC.steven.lab_${sampleReport().connections[1].certificates[0].sha256.slice(0, 12)}.pem`]);
    const x = new X509Certificate(readFileSync(join(dir, files[0])));
    expect(x.subject).toContain('CN=cucm-EC.steven.lab');
    expect(r.err).toContain('wrote 1 certificate(s) to add to the trust store');
  });
});

describe('exit codes', () => {
  it('--help and --version exit 0 on stdout', async () => {
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.out).toContain('Usage: tls-extract [options] <capture|bundle|folder>...');
    for (const l of h.out.split('\n')) expect(displayWidth(l), l).toBeLessThanOrEqual(80);
    for (const code of Object.values(ExitCode)) expect(h.out).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
    expect(h.out).toContain('tls-extract --truststore expc-trusted-ca.pem capture.pcap');
    const v = await cli(['--version']);
    expect([v.code, v.out]).toEqual([0, `tls-extract ${toolVersion()}\n`]);
    expect(v.out).toMatch(/^tls-extract \d+\.\d+\.\d+/);
  });
  it('usage errors: one line, a hint, exit 2, analyze not called', async () => {
    const r = await cli(['--bogus', 'cap.pcap']);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toBe("tls-extract: unknown option '--bogus'\nTry 'tls-extract --help' for more information.\n");
    expect(r.out).toBe('');
    expect(r.calls.length).toBe(0);
  });
  it('UsageError from analyze: one line with its exit code, no stack', async () => {
    for (const code of [ExitCode.inputMissing, ExitCode.notCapture, ExitCode.truststore]) {
      const r = await cli(['cap.pcap'], { analyze: async () => { throw new UsageError('cap.pcap: no such file', code); } });
      expect(r.code).toBe(code);
      expect(r.err).toBe('tls-extract: cap.pcap: no such file\n');
      expect(r.out).toBe('');
    }
  });
  it('other errors are internal: exit 1, stack only with TLS_EXTRACT_DEBUG', async () => {
    const boom: AnalyzeFn = async () => { throw new TypeError('x is undefined'); };
    const r = await cli(['cap.pcap'], { analyze: boom });
    expect(r.code).toBe(ExitCode.internal);
    expect(r.err.split('\n')[0]).toBe('tls-extract: internal error: TypeError: x is undefined');
    expect(r.err).not.toContain('    at ');
    const d = await cli(['cap.pcap'], { analyze: boom, env: { TLS_EXTRACT_DEBUG: '1' } });
    expect(d.code).toBe(1);
    expect(d.err).toContain('    at ');
  });
  it('--fail-on-untrusted exits 7 when a finding is untrusted or mixed, after printing', async () => {
    const r = await cli(['--fail-on-untrusted', 'cap.pcap']);
    expect(r.code).toBe(ExitCode.untrusted);
    expect(r.out).toContain('Verdict:');
    const ok = sampleReport();
    ok.findings = ok.findings.filter((f) => f.verdict !== 'untrusted');
    expect((await cli(['--fail-on-untrusted', 'cap.pcap'], { report: ok })).code).toBe(0);
    ok.findings[0].verdict = 'mixed';
    expect((await cli(['--fail-on-untrusted', 'cap.pcap'], { report: ok })).code).toBe(7);
  });
  it('--strict exits 6 on anomalies, not on warnings; 7 wins over 6', async () => {
    expect((await cli(['--strict', 'cap.pcap'])).code).toBe(ExitCode.strict);
    const clean = sampleReport();
    clean.diagnostics = clean.diagnostics?.filter((d) => d.severity === 'warning');
    expect((await cli(['--strict', 'cap.pcap'], { report: clean })).code).toBe(0);
    expect((await cli(['cap.pcap'])).code).toBe(0);
    expect((await cli(['--strict', '--fail-on-untrusted', 'cap.pcap'])).code).toBe(ExitCode.untrusted);
  });
  it('an unwritable --output is a usage error', async () => {
    const r = await cli(['-o', join(tmp(), 'no', 'such', 'dir', 'x.txt'), 'cap.pcap']);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toMatch(/^tls-extract: cannot write .*x\.txt: ENOENT/);
  });
});

describe('progress', () => {
  const big: AnalyzeFn = async (_inputs, options) => {
    for (let b = 0; b <= 200e6; b += 50e6) options?.onProgress?.({ bytesRead: b, totalBytes: 200e6 });
    return { report: sampleReport() };
  };
  it('draws on a TTY stderr for big inputs and clears the line at the end', async () => {
    const r = await cli(['--json', 'cap.pcap'], { analyze: big, errTty: true });
    expect(r.err).toContain('reading 200.0/200.0 MB [');
    expect(r.err.endsWith('\r\x1b[K')).toBe(true);
    expect(r.out.startsWith('{')).toBe(true);
  });
  it('stays silent with --quiet, without a TTY, or for small inputs', async () => {
    expect((await cli(['--quiet', 'cap.pcap'], { analyze: big, errTty: true })).err).toBe('');
    expect((await cli(['cap.pcap'], { analyze: big, errTty: false })).err).toBe('');
    const small: AnalyzeFn = async (_i, o) => { o?.onProgress?.({ bytesRead: 1e6, totalBytes: 1e6 }); return { report: sampleReport() }; };
    expect((await cli(['cap.pcap'], { analyze: small, errTty: true })).err).toBe('');
  });
});

/** `r` as analyzeStream() gives it: connections built (here: handed out) as they are read, findings after. */
function streamed(r: Report, built: number[]): StreamedReport {
  const out: Record<string, unknown> = {};
  let stream: ConnectionStream | null = null;
  for (const [k, v] of Object.entries(r)) {
    if (k === 'connections') {
      stream = new ConnectionStream(r.connections.length, function* () {
        for (const [i, c] of r.connections.entries()) { built.push(i); yield c; }
      });
      out[k] = stream;
    } else if (k === 'findings' || k === 'diagnostics') {
      out[k] = new Deferred(() => { if (!stream!.done) throw new Error(`${k} read before the connections`); return v; });
    } else out[k] = v;
  }
  return out as unknown as StreamedReport;
}

describe('a streamed report (the real analyze of the CLI)', () => {
  it('--json writes it connection by connection: the same text as the whole report; exit codes from its findings', async () => {
    const built: number[] = [];
    const r = await cli(['--json', '--fail-on-untrusted', 'cap.pcap'], { analyze: async () => ({ report: streamed(sampleReport(), built) }) });
    expect(r.out).toBe(renderJson(sampleReport()));
    expect(built).toEqual(sampleReport().connections.map((_c, i) => i));
    expect(r.code).toBe(ExitCode.untrusted);
    const clean = sampleReport();
    clean.diagnostics = clean.diagnostics?.filter((d) => d.severity === 'warning');
    clean.findings = clean.findings.filter((f) => f.verdict !== 'untrusted' && f.verdict !== 'mixed');
    expect((await cli(['--json', '--strict', '--fail-on-untrusted', 'cap.pcap'], { analyze: async () => ({ report: streamed(clean, []) }) })).code).toBe(0);
    expect((await cli(['--json', '--strict', 'cap.pcap'], { analyze: async () => ({ report: streamed(sampleReport(), []) }) })).code).toBe(ExitCode.strict);
  });
  it('every output option gives the same output, files and exit code from a streamed report as from the whole one', async () => {
    const cases: ((dir: string) => string[])[] = [
      () => ['--json', 'cap.pcap'],
      (d) => ['--json', '-o', join(d, 'r.json'), 'cap.pcap'],
      (d) => ['--json', '--markdown', join(d, 'case.md'), 'cap.pcap'],
      (d) => ['--json', '--export-certs', join(d, 'certs'), 'cap.pcap'],
      (d) => ['--json', '--export-missing', join(d, 'missing'), 'cap.pcap'],
      () => ['--json', '--redact', 'cap.pcap'],
      () => ['--json', '--timeline=10.48.36.216', 'cap.pcap'],
      () => ['--format', 'markdown', 'cap.pcap'],
      () => ['--strict', '--fail-on-untrusted', 'cap.pcap'],
    ];
    const files = (d: string): Record<string, string> => {
      const out: Record<string, string> = {};
      const walk = (p: string, rel: string): void => {
        for (const e of readdirSync(p, { withFileTypes: true })) {
          if (e.isDirectory()) walk(join(p, e.name), `${rel}${e.name}/`);
          else out[`${rel}${e.name}`] = readFileSync(join(p, e.name), 'utf8');
        }
      };
      walk(d, '');
      return out;
    };
    for (const argvOf of cases) {
      const [a, b] = [tmp(), tmp()];
      const whole = await cli(argvOf(a));
      const stream = await cli(argvOf(b), { analyze: async () => ({ report: streamed(sampleReport(), []) }) });
      const label = argvOf('D').join(' ');
      expect(stream.out, label).toBe(whole.out);
      expect(stream.err.split(b).join('D'), label).toBe(whole.err.split(a).join('D'));
      expect(stream.code, label).toBe(whole.code);
      expect(files(b), label).toEqual(files(a));
    }
  });
  it('the table, --redact and exports read the whole report: it is built first', async () => {
    const table = await cli(['cap.pcap'], { analyze: async () => ({ report: streamed(sampleReport(), []) }) });
    expect(table.out).toBe((await cli(['cap.pcap'])).out);
    const red = await cli(['--json', '--redact-ips', 'cap.pcap'], { analyze: async () => ({ report: streamed(sampleReport(), []) }) });
    expect(red.out).toBe((await cli(['--json', '--redact-ips', 'cap.pcap'])).out);
    expect(JSON.parse(red.out).redaction.ips).toBeGreaterThan(0);
  });
});
