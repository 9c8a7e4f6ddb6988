/**
 * Issue #6: logs are attacker-controlled text. NUL bytes and a 10 MB line are counted (log.*
 * diagnostics, lines/skipped), never fatal; lines after them still parse.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../src/pipeline.js';
import { writeRecipe } from '../../../scripts/fuzz/materialize.js';
import { baseCapture, baseLog } from '../../../scripts/fuzz/seeds.js';
import { concat, ascii } from '../../../scripts/fuzz/bytes.js';

let dir = '';
let capture = '';
let events0 = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tls-extract-log-'));
  capture = join(dir, 'c.pcap');
  writeFileSync(capture, baseCapture());
  const plain = join(dir, 'plain.log');
  writeFileSync(plain, baseLog());
  const { report } = await analyze([capture], { logs: [plain] });
  events0 = report.logs![0].events;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hostile logs', () => {
  it('the clean seed log yields events (baseline for the checks below)', () => {
    expect(events0).toBeGreaterThanOrEqual(3);
  });

  it('a 10 MB line between two copies of the log: truncated and counted, both copies parsed', async () => {
    const p = join(dir, 'long.log');
    await writeRecipe({ gen: 'hugeLogLine', params: { mib: 10, nul: 0 } }, p);
    const { report } = await analyze([capture], { logs: [p] });
    const log = report.logs![0];
    expect(log.path).toBe(p);
    expect(log.events).toBeGreaterThanOrEqual(2 * events0);
    expect((report.diagnostics ?? []).find((d) => d.key === 'log.line_truncated')?.count).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('NUL bytes: a binary line is counted, the rest parsed', async () => {
    const p = join(dir, 'nul.log');
    const base = baseLog();
    writeFileSync(p, concat([base, ascii('2027-03-01T14:58:20.000+02:00 expc1 x: '), new Uint8Array(5000), ascii('\n'), base]));
    const { report } = await analyze([capture], { logs: [p] });
    expect(report.logs![0].events).toBeGreaterThanOrEqual(2 * events0);
    const keys = (report.diagnostics ?? []).map((d) => d.key);
    expect(keys.some((k) => k === 'log.binary_line' || k === 'log.unparsed_line'), keys.join(', ')).toBe(true);
    expect(keys.some((k) => k.startsWith('internal'))).toBe(false);
  }, 60_000);

  it('a 10 MB line made only of NUL bytes, with no newline at the end of the file', async () => {
    const p = join(dir, 'nul-long.log');
    writeFileSync(p, concat([baseLog(), new Uint8Array(10 * 1048576)]));
    const { report } = await analyze([capture], { logs: [p] });
    expect(report.logs![0].events).toBeGreaterThanOrEqual(events0);
    expect(report.logs![0].lines).toBeGreaterThan(0);
  }, 60_000);
});
