/**
 * `npm run bench -- --profile`: one tls-extract run under `node --cpu-prof`, then the functions with the
 * most self time. Format of a .cpuprofile (V8 / Chrome DevTools Protocol, Profiler.Profile):
 *   { nodes: [{ id, callFrame: { functionName, url, lineNumber, columnNumber }, hitCount, children }],
 *     startTime, endTime, samples: nodeId[], timeDeltas: µs[] }
 * Sample i is charged the interval up to the next sample (timeDeltas[i + 1]), as DevTools does.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTimeRow {
  name: string;
  location: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  top: SelfTimeRow[];
  /** self time per source file, to see which stage dominates */
  byFile: SelfTimeRow[];
}

export function summarizeProfile(file: string, root: string, limit = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
  }
  const fns = new Map<string, { name: string; location: string; us: number }>();
  const files = new Map<string, { name: string; location: string; us: number }>();
  for (const [id, us] of selfUs) {
    const cf = byId.get(id)?.callFrame;
    if (!cf) continue;
    const where = shortUrl(cf.url, root);
    const location = where ? `${where}:${cf.lineNumber + 1}` : '';
    const name = cf.functionName || (where ? '(anonymous)' : '(native)');
    add(fns, `${name}@${location}`, name, location, us);
    add(files, where || name, where || name, '', us);
  }
  const totalUs = profile.endTime - profile.startTime;
  const rows = (m: Map<string, { name: string; location: string; us: number }>): SelfTimeRow[] =>
    [...m.values()].sort((a, b) => b.us - a.us).slice(0, limit)
      .map((r) => ({ name: r.name, location: r.location, selfMs: r.us / 1000, percent: (100 * r.us) / totalUs }));
  return { file, totalMs: totalUs / 1000, top: rows(fns), byFile: rows(files) };
}

function add(m: Map<string, { name: string; location: string; us: number }>, key: string, name: string, location: string, us: number): void {
  const row = m.get(key);
  if (row) row.us += us;
  else m.set(key, { name, location, us });
}

function shortUrl(url: string, root: string): string {
  if (!url) return '';
  if (url.startsWith('file://')) return relative(root, fileURLToPath(url));
  return url; // node:internal/..., etc.
}

export function formatProfile(s: ProfileSummary): string {
  const lines = [`CPU profile ${s.file}`, `total ${(s.totalMs / 1000).toFixed(2)} s; top ${s.top.length} functions by self time:`];
  lines.push(`  ${'self ms'.padStart(9)} ${'%'.padStart(5)}  function  (location)`);
  for (const r of s.top) lines.push(`  ${r.selfMs.toFixed(0).padStart(9)} ${r.percent.toFixed(1).padStart(5)}  ${r.name}${r.location ? `  (${r.location})` : ''}`);
  lines.push('self time by file:');
  for (const r of s.byFile.slice(0, 10)) lines.push(`  ${r.selfMs.toFixed(0).padStart(9)} ${r.percent.toFixed(1).padStart(5)}  ${r.name}`);
  return lines.join('\n');
}
