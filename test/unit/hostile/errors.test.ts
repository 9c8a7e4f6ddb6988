/**
 * Issue #6: inputs that cannot be used stop the run with a UsageError carrying the documented exit
 * code (src/errors.ts) and a one-line message that names the path; inputs that are merely damaged
 * (a truncated last record, one bad trust store entry) are analysed with a warning.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyze, type AnalyzeOptions } from '../../../src/pipeline.js';
import { UsageError, ExitCode } from '../../../src/errors.js';
import { baseCapture, baseTruststore, loadPems } from '../../../scripts/fuzz/seeds.js';
import { ascii, derToPem } from '../../../scripts/fuzz/bytes.js';

let dir = '';
let capture = '';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tls-extract-errors-'));
  capture = join(dir, 'good.pcap');
  writeFileSync(capture, baseCapture());
});
afterAll(() => {
  try {
    chmodSync(join(dir, 'locked.pcap'), 0o644);
  } catch {
    // not created (root)
  }
  rmSync(dir, { recursive: true, force: true });
});

async function usageError(inputs: string[], opts?: AnalyzeOptions): Promise<UsageError> {
  const e = await analyze(inputs, opts).then(() => null, (x: unknown) => x);
  if (!(e instanceof UsageError)) throw new Error(`expected a UsageError, got ${e === null ? 'a report' : String(e)}`);
  return e;
}

function expectOneLineNaming(e: UsageError, path: string): void {
  expect(e.message).toContain(path);
  expect(e.message).not.toMatch(/[\r\n]/);
}

describe('unusable inputs → UsageError with the documented exit code', () => {
  it('missing file → inputMissing', async () => {
    const p = join(dir, 'nope.pcap');
    const e = await usageError([p]);
    expect(e.exitCode).toBe(ExitCode.inputMissing);
    expectOneLineNaming(e, p);
  });

  it('a path through a regular file (ENOTDIR) → inputMissing', async () => {
    const p = join(capture, 'child.pcap');
    const e = await usageError([p]);
    expect(e.exitCode).toBe(ExitCode.inputMissing);
    expectOneLineNaming(e, p);
  });

  it.skipIf(isRoot)('permission denied (chmod 000) → inputMissing [skipped as root: root ignores file modes, EACCES never happens]', async () => {
    const p = join(dir, 'locked.pcap');
    writeFileSync(p, baseCapture());
    chmodSync(p, 0o000);
    const e = await usageError([p]);
    expect(e.exitCode).toBe(ExitCode.inputMissing);
    expectOneLineNaming(e, p);
    expect(e.message).toMatch(/permission/i);
  });

  it('a folder without captures → inputMissing', async () => {
    const d = join(dir, 'empty-folder');
    mkdirSync(d);
    writeFileSync(join(d, 'notes.txt'), 'nothing to see\n');
    const e = await usageError([d]);
    expect(e.exitCode).toBe(ExitCode.inputMissing);
    expectOneLineNaming(e, d);
  });

  it('an empty file → notCapture', async () => {
    const p = join(dir, 'empty.pcap');
    writeFileSync(p, new Uint8Array(0));
    const e = await usageError([p]);
    expect(e.exitCode).toBe(ExitCode.notCapture);
    expectOneLineNaming(e, p);
  });

  it('not a capture (binary junk) → notCapture', async () => {
    const p = join(dir, 'junk.pcap');
    writeFileSync(p, new Uint8Array(1000).fill(7));
    const e = await usageError([p]);
    expect(e.exitCode).toBe(ExitCode.notCapture);
    expectOneLineNaming(e, p);
  });

  it('not a capture (text) → notCapture, saying where a log belongs', async () => {
    const p = join(dir, 'readme.pcap');
    writeFileSync(p, 'this is not a capture\n'.repeat(100));
    const e = await usageError([p]);
    expect(e.exitCode).toBe(ExitCode.notCapture);
    expectOneLineNaming(e, p);
    expect(e.message).toContain('not a capture');
    expect(e.message).toContain('--log');
  });

  it('not a capture (a PEM file alone) → notCapture, pointing to --truststore', async () => {
    const p = join(dir, 'ca-only.pem');
    writeFileSync(p, readFileSync(resolve(import.meta.dirname, '../../../samples/lab/ca.pem')));
    const e = await usageError([p]);
    expect(e.exitCode).toBe(ExitCode.notCapture);
    expectOneLineNaming(e, p);
    expect(e.message).toContain('--truststore');
  });

  it('a missing log file → inputMissing naming the log', async () => {
    const p = join(dir, 'missing.log');
    const e = await usageError([capture], { logs: [p] });
    expect(e.exitCode).toBe(ExitCode.inputMissing);
    expectOneLineNaming(e, p);
  });

  it('a missing trust store → a UsageError naming it (inputMissing or truststore)', async () => {
    const p = join(dir, 'missing-ca.pem');
    const e = await usageError([capture], { truststores: [p] });
    expect([ExitCode.inputMissing, ExitCode.truststore]).toContain(e.exitCode);
    expectOneLineNaming(e, p);
  });

  it('a trust store none of whose entries can be read → truststore', async () => {
    const p = join(dir, 'junk-ca.pem');
    writeFileSync(p, '-----BEGIN CERTIFICATE-----\nnot base64 at all!!\n-----END CERTIFICATE-----\n');
    const e = await usageError([capture], { truststores: [p] });
    expect(e.exitCode).toBe(ExitCode.truststore);
    expectOneLineNaming(e, p);
  });
});

describe('damaged but usable inputs → analysed, with a warning', () => {
  it('a truncated last record: warning, the rest analysed', async () => {
    const full = baseCapture();
    const p = join(dir, 'cut.pcap');
    writeFileSync(p, full.subarray(0, full.length - 10));
    const { report } = await analyze([p]);
    expect(report.captures[0].truncated).toBe(true);
    expect(report.connections.length).toBe(1);
    expect(report.connections[0].certificates.length).toBe(2);
    expect((report.diagnostics ?? []).find((d) => d.key === 'capture.truncated')?.severity).toMatch(/warning|anomaly/);
  });

  it('one unreadable trust store entry: reported with file and entry index, the others used', async () => {
    const p = join(dir, 'mixed-ca.pem');
    const pems = loadPems();
    const broken = derToPem(pems.root.slice(0, 60));
    writeFileSync(p, ascii(derToPem(pems.root) + broken + derToPem(pems.inter)));
    const { report } = await analyze([capture], { truststores: [p] });
    const ts = report.truststore!;
    expect(ts.certificates.length).toBe(2);
    expect(ts.errors?.length).toBe(1);
    expect(ts.errors![0].file).toBe(p);
    expect(ts.errors![0].index).toBe(1);
    expect(ts.errors![0].reason.length).toBeGreaterThan(0);
  });

  it('the seed trust store validates the seed chain (baseline for the test above)', async () => {
    const p = join(dir, 'ca.pem');
    writeFileSync(p, baseTruststore());
    const { report } = await analyze([capture], { truststores: [p], now: new Date(Date.UTC(2030, 0, 1)) });
    expect(report.connections[0].validation.status).toBe('trusted');
  });
});
