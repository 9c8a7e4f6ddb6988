/**
 * "Where did the time go?" for a slow case: a V8 CPU profile (node:inspector, taken inside the
 * worker) reduced to the function or RegExp with the most self time, so a time failure names the
 * code at fault (e.g. `RegExp: ([A-Za-z][\w.-]*)= ?"([^"]*)"` or `src/logs/kv.js:parseKv`).
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const IGNORED = new Set(['(idle)', '(program)', '(root)', '(garbage collector)']);

/** Label of a frame: `RegExp: <source>`, `src/<path>:<function>`, or `(garbage collector)`. */
export function frameLabel(f: ProfileNode['callFrame']): string {
  if (f.functionName.startsWith('RegExp: ')) return f.functionName.slice(0, 80);
  const m = /\/src\/(.+)$/.exec(f.url);
  if (m) return `src/${m[1]}:${f.functionName || '(anonymous)'}`;
  return f.functionName || f.url || '(anonymous)';
}

/** The label with the most self time, and its share of the profile (GC, idle excluded). */
export function hottest(p: Profile): { label: string; share: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const n = byId.get(p.samples[i]);
    if (!n || IGNORED.has(n.callFrame.functionName)) continue;
    const k = frameLabel(n.callFrame);
    self.set(k, (self.get(k) ?? 0) + p.timeDeltas[i]);
    total += p.timeDeltas[i];
  }
  let best = { label: '', share: 0 };
  for (const [label, t] of self) if (total > 0 && t / total > best.share) best = { label, share: t / total };
  return best;
}

/** Run `f` under the CPU profiler of the current thread. */
export async function profiled<T>(f: () => Promise<T>): Promise<{ value: T; hot: { label: string; share: number } }> {
  const s = new Session();
  s.connect();
  try {
    await s.post('Profiler.enable');
    await s.post('Profiler.setSamplingInterval', { interval: 1000 });
    await s.post('Profiler.start');
    const value = await f();
    const { profile } = (await s.post('Profiler.stop')) as { profile: Profile };
    return { value, hot: hottest(profile) };
  } finally {
    s.disconnect();
  }
}
