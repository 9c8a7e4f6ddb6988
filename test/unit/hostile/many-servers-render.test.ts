/**
 * A capture of thousands of servers (a scan, a busy bundle) gives a report of thousands of findings:
 * every renderer must produce it without spreading a long list into function arguments (`push(...lines)`
 * overflowed the call stack: RangeError, exit 1, on 200,000 servers) and without looking every finding
 * up against every connection (20,000 servers took 193 s for the table). The renderers run from the
 * compiled package in a child process with a small stack (100 KB: a spread of ~12,000 items overflows),
 * so 6,000 servers are enough to catch a spread, and the time limit catches a quadratic lookup. The text
 * outputs show the worst DISPLAY_LIMITS servers and connections and count the rest.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sampleReport } from '../../helpers/sample-report.js';
import { DIST_ENTRY, ensureDist } from '../../package/ensure-dist.js';
import type { Report } from '../../../src/report/model.js';
import { DISPLAY_LIMITS } from '../../../src/report/summarize.js';

const SERVERS = 6_000;

function manyServers(): Report {
  const base = sampleReport();
  const conn = base.connections[0];
  const finding = base.findings.find((f) => f.connections.length > 0) ?? base.findings[0];
  const connections = [];
  const findings = [];
  for (let i = 0; i < SERVERS; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    connections.push({ ...conn, id: i, server: { ip, port: 8443 } });
    findings.push({ ...finding, server: { ...finding.server, ip, name: `srv${i}.example`, port: 8443 }, connections: [i] });
  }
  return { ...base, connections, findings } as Report;
}

describe('renderers on a report of thousands of servers', () => {
  let dir: string;
  beforeAll(() => {
    ensureDist();
    dir = mkdtempSync(join(tmpdir(), 'tls-extract-many-'));
  }, 300_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('table, Markdown and timeline: no stack overflow, linear time', () => {
    const file = join(dir, 'report.json');
    writeFileSync(file, JSON.stringify(manyServers()));
    const script = `
      import { readFileSync } from 'node:fs';
      const { renderTable, renderMarkdown, renderTimeline } = await import(${JSON.stringify(pathToFileURL(DIST_ENTRY).href)});
      const report = JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8'));
      const table = renderTable(report, { width: 100, color: false });
      const markdown = renderMarkdown(report);
      const timeline = renderTimeline(report, { width: 100, color: false });
      process.stdout.write(JSON.stringify({ table, markdown, timeline }));
    `;
    const r = spawnSync(process.execPath, ['--stack-size=100', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { table: string; markdown: string; timeline: string };
    const { serverRows, serverSections, connectionRows } = DISPLAY_LIMITS;
    // the worst servers are shown, the rest counted with where to see them
    for (const text of [out.table, out.markdown]) {
      expect(text).toContain(`… ${SERVERS - serverRows} more servers (--json lists every one)`);
      expect(text).toContain(`${SERVERS - serverSections} more servers`);
      expect(text).toContain(`… ${SERVERS - connectionRows} more connections (--json lists every one)`);
      expect(text).toContain('srv0.example');
      expect(text).not.toContain(`srv${SERVERS - 1}.example`);
    }
    expect(out.table.split('\n').length).toBeLessThan(100 * serverSections + 6 * (serverRows + connectionRows)); // uncut: ~50 lines per server
    // the cut notes are wrapped like every other line (ASCII and box drawing here: one column per unit)
    expect(out.table.split('\n').reduce((w, l) => Math.max(w, l.length), 0)).toBeLessThanOrEqual(100);
    expect(out.timeline).toMatch(/… \d+ more events \(the timeline shows the first \d+; narrow it with --timeline=SERVER\[:PORT\]\)/);
  }, 180_000);
});
