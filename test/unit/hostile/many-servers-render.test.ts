/**
 * A capture of thousands of servers (a scan, a busy bundle) gives a report of thousands of findings:
 * every renderer must produce it without spreading a long list into function arguments (`push(...lines)`
 * overflowed the call stack: RangeError, exit 1, on 200,000 servers) and without looking every finding
 * up against every connection (20,000 servers took 193 s for the table). The renderers run from the
 * compiled package in a child process with a small stack (100 KB: a spread of ~12,000 items overflows),
 * so 6,000 servers are enough to catch a spread, and the time limit catches a quadratic lookup.
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
      const out = {
        table: renderTable(report, { width: 100, color: false }).split('\\n').length,
        markdown: renderMarkdown(report).split('\\n').length,
        timeline: renderTimeline(report, { width: 100, color: false }).split('\\n').length,
      };
      process.stdout.write(JSON.stringify(out));
    `;
    const r = spawnSync(process.execPath, ['--stack-size=100', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = JSON.parse(r.stdout) as { table: number; markdown: number; timeline: number };
    // every server is in every output (well over the ~12,000 items a spread could take here)
    expect(lines.table).toBeGreaterThan(3 * SERVERS);
    expect(lines.markdown).toBeGreaterThan(3 * SERVERS);
    expect(lines.timeline).toBeGreaterThan(2 * SERVERS);
  }, 180_000);
});
