import { describe, expect, it } from 'vitest';
import { renderBlocks, renderGrid, renderTable, planColumns } from '../../../src/report/render-table.js';
import { makeStyle } from '../../../src/report/summarize.js';
import { displayWidth } from '../../../src/report/text-width.js';
import { HOSTILE, hostileReport, sampleReport } from '../../helpers/sample-report.js';

/** Raw control, bidi, zero-width and separator characters that must never reach a terminal. */
const UNSAFE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/u;

function lines(s: string): string[] {
  return s.replace(/\n$/, '').split('\n');
}

describe('renderTable on the sample report', () => {
  it('is verdict first', () => {
    const out = lines(renderTable(sampleReport(), { width: 80, color: false }));
    expect(out[0]).toBe('Verdict: 2 untrusted · 1 not visible · 1 trusted (4 servers, 5 TLS connections)');
    expect(out[2]).toBe('Findings');
  });
  for (const width of [20, 40, 59, 60, 72, 80, 100, 120, 160, 200]) {
    it(`fits ${width} columns`, () => {
      for (const l of lines(renderTable(sampleReport(), { width, color: false }))) expect(displayWidth(l), l).toBeLessThanOrEqual(width);
    });
  }
  it('has one findings row per finding and every section', () => {
    const out = renderTable(sampleReport(), { width: 120, color: false });
    for (const h of ['Findings', 'Connections (times UTC, 2022-07-11)', 'Trust store', 'Capture']) expect(out).toContain(`\n${h}\n`);
    expect(out).toContain('── 10.48.36.215:6972 cucm.steven.lab · TFTP over HTTPS');
    expect(out.match(/│ (UNTRUSTED|TRUSTED|NOT VISIBLE) /g)?.length).toBe(4);
    expect(out).toContain('line 267  verify_failed');
    expect(out).toContain('Upload cucm-EC.steven.lab');
    expect(out).toContain('└─ steven-DC-CA  [CA, self-signed, trust anchor]');
  });
  it('falls back to key: value blocks below 60 columns', () => {
    const out = renderTable(sampleReport(), { width: 50, color: false });
    expect(out).not.toContain('┌');
    expect(out).toMatch(/^Server\s*: cucm\.steven\.lab$/m);
    expect(out).toMatch(/^Verdict\s*: UNTRUSTED$/m);
  });
  it('has no colour unless asked, and coloured verdicts when asked', () => {
    expect(renderTable(sampleReport(), { width: 100, color: false })).not.toContain('\x1b');
    const coloured = renderTable(sampleReport(), { width: 100, color: true });
    expect(coloured).toContain('\x1b[31mUNTRUSTED\x1b[39m');
    expect(coloured).toContain('\x1b[32mTRUSTED\x1b[39m');
    expect(coloured).toContain('\x1b[33mNOT VISIBLE\x1b[39m');
    for (const l of lines(coloured)) expect(displayWidth(l)).toBeLessThanOrEqual(100);
  });
  it('golden: 80 columns', async () => {
    await expect(renderTable(sampleReport(), { width: 80, color: false })).toMatchFileSnapshot('../../golden/expected/render/sample-table-80.txt');
  });
  it('golden: 120 columns', async () => {
    await expect(renderTable(sampleReport(), { width: 120, color: false })).toMatchFileSnapshot('../../golden/expected/render/sample-table-120.txt');
  });
});

describe('hostile strings in the terminal', () => {
  for (const color of [false, true]) {
    it(`are printed inert (color ${color})`, () => {
      const out = renderTable(hostileReport(), { width: 100, color });
      const withoutOurSgr = out.replace(/\x1b\[\d+m/g, '');
      expect(withoutOurSgr).not.toMatch(UNSAFE);
      expect(out).toContain('cucm\\x1b[2J\\x1b]0;pwned\\x07\\u{202e}gnp.exe');
      expect(out).toContain('\\x9b2J');
      for (const l of lines(out)) expect(displayWidth(l)).toBeLessThanOrEqual(100);
    });
  }
  it('keeps the hostile file name visible', () => {
    expect(renderTable(hostileReport(), { width: 200, color: false })).toContain('etc/\\x1b]8;;http://evil\\x07link');
    expect(HOSTILE.file).toContain('\x1b');
  });
});

describe('grid layout', () => {
  const style = makeStyle(false);
  const cjk = '证书验证失败，表示Expressway-C无法验证TLS握手';
  const emoji = '🔒🔑👨‍👩‍👧🇧🇪 lock key family flag';
  const layout = { columns: [{ header: 'Name' }, { header: 'Value', min: 6 }], rows: [['a', cjk], ['b', emoji], ['c', 'plain ascii text that is long enough to wrap']] };

  it('plans widths that fit, or null when the minimums do not', () => {
    const w = planColumns(layout.columns, layout.rows, 30);
    expect(w).not.toBeNull();
    expect((w ?? []).reduce((a, b) => a + b, 0) + 3 * 2 + 1).toBeLessThanOrEqual(30);
    expect(planColumns([{ header: 'x', min: 40 }, { header: 'y', min: 40 }], [['a'.repeat(50), 'b'.repeat(50)]], 70)).toBeNull();
  });
  for (const width of [60, 64, 71, 80]) {
    it(`wraps CJK and emoji cells without loss at ${width} columns`, () => {
      const out = renderGrid(layout, width, style);
      expect(out).not.toBeNull();
      for (const l of out ?? []) expect(displayWidth(l)).toBeLessThanOrEqual(width);
      // all rows are the same width (aligned borders)
      expect(new Set((out ?? []).map(displayWidth)).size).toBe(1);
      const text = (out ?? []).map((l) => l.replace(/[│┌┐└┘├┤┬┴┼─]/g, '').replace(/ /g, '')).join('');
      expect(text).toContain(cjk.replace(/ /g, ''));
      expect(text).toContain(emoji.replace(/ /g, ''));
    });
  }
  it('key: value blocks wrap and fit too', () => {
    const out = renderBlocks(layout, 30, style);
    for (const l of out) expect(displayWidth(l)).toBeLessThanOrEqual(30);
    expect(out.join('').replace(/\s/g, '')).toContain(cjk.replace(/\s/g, ''));
  });
  it('returns null below the minimum table width', () => {
    expect(renderGrid(layout, 59, style)).toBeNull();
  });
});
