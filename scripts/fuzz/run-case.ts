/**
 * Runs one input through the whole pipeline (analyze) and classifies the outcome. Shared by the
 * fuzzer's worker, the seed tests and the regression test, so "failure" means the same everywhere:
 * - `crash`: analyze threw anything but a UsageError (including a DecodeError that escaped), or a
 *   renderer (JSON, Markdown, table, timeline) threw on the report;
 * - `internal`: the report has an `internal.*` diagnostic (a bug caught at a boundary);
 * - `ok` / `usage`: acceptable (a UsageError is the documented way to refuse an input).
 * Time and memory bounds are enforced by the caller (worker watchdog, resource limits).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type AnalyzeOptions, type AnalysisResult } from '../../src/pipeline.js';
import { UsageError } from '../../src/errors.js';
import type { Report } from '../../src/report/model.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { renderTable } from '../../src/report/render-table.js';
import { renderTimeline } from '../../src/report/render-timeline.js';
import type { Limits } from '../../src/options.js';
import type { Role } from './seeds.js';
import type { Outcome } from './classify.js';
import { baseCapture, baseTruststore } from './seeds.js';

export type { Outcome, Verdict } from './classify.js';
export { signature, roleOfExt } from './classify.js';

/** Fixed companion inputs: the base capture (for log / trust-store cases) and the seed trust store. */
export interface Companions {
  capture: string;
  truststore: string;
}

export function writeCompanions(dir: string): Companions {
  mkdirSync(dir, { recursive: true });
  const c = { capture: join(dir, 'companion.pcap'), truststore: join(dir, 'companion-ca.pem') };
  writeFileSync(c.capture, baseCapture());
  writeFileSync(c.truststore, baseTruststore());
  return c;
}

/** How an input of the given role is handed to analyze(). */
export function analyzeArgs(role: Role, input: string, comp: Companions, limits?: Partial<Limits>): [string[], AnalyzeOptions] {
  const common: AnalyzeOptions = { now: new Date(Date.UTC(2028, 0, 1)), hashInputs: true, limits };
  switch (role) {
    case 'capture': return [[input], { ...common, truststores: [comp.truststore] }];
    case 'archive': return [[input], common];
    case 'log': return [[comp.capture], { ...common, logs: [input], truststores: [comp.truststore] }];
    case 'truststore': return [[comp.capture], { ...common, truststores: [input] }];
  }
}

function internals(r: AnalysisResult): string[] {
  const out: string[] = [];
  for (const d of r.report.diagnostics ?? []) {
    if (d.key.startsWith('internal')) out.push(`${d.key} x${d.count}: ${d.samples[0]?.detail ?? ''}`);
  }
  return out;
}

function cpuNow(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/**
 * Every output format the CLI can print (hostile strings reach the renderers too); returns the
 * CPU time of the slowest one (a CLI run prints one format).
 */
function renderAll(report: Report): number {
  let slowest = 0;
  const steps: [string, () => unknown][] = [
    ['renderJson', () => renderJson(report)],
    ['renderMarkdown', () => renderMarkdown(report)],
    ['renderTable', () => renderTable(report, { width: 100, color: false })],
    ['renderTable(narrow)', () => renderTable(report, { width: 20, color: true })],
    ['renderTimeline', () => renderTimeline(report, { width: 100, color: false })],
  ];
  for (const [name, f] of steps) {
    const c0 = cpuNow();
    try {
      f();
    } catch (e) {
      if (e instanceof Error) e.message = `${name}: ${e.message}`;
      throw e;
    }
    slowest = Math.max(slowest, cpuNow() - c0);
  }
  return slowest;
}

export async function runAnalysis(role: Role, input: string, comp: Companions, limits?: Partial<Limits>): Promise<Outcome> {
  const [inputs, opts] = analyzeArgs(role, input, comp, limits);
  const t0 = performance.now();
  const c0 = cpuNow();
  try {
    const r = await analyze(inputs, opts);
    const ms = performance.now() - t0;
    const cpuMs = cpuNow() - c0;
    JSON.stringify(r.report); // the --json contract: no cycles, no BigInt
    const renderCpuMs = renderAll(r.report);
    const heapUsedMiB = Math.round(process.memoryUsage().heapUsed / 1048576);
    const bad = internals(r);
    const base = { ms, cpuMs, renderCpuMs, connections: r.report.connections.length, diagnostics: r.diagnostics.total, heapUsedMiB };
    if (bad.length > 0) return { ...base, verdict: 'internal', detail: bad.join(' | ').slice(0, 2000), stack: r.diagnostics.firstInternalStack ?? undefined };
    return { ...base, verdict: 'ok' };
  } catch (e) {
    const ms = performance.now() - t0;
    if (e instanceof UsageError) return { verdict: 'usage', ms, detail: e.message, exitCode: e.exitCode };
    const err = e instanceof Error ? e : new Error(String(e));
    return { verdict: 'crash', ms, detail: `${err.name}: ${err.message}`.slice(0, 2000), stack: err.stack };
  }
}
