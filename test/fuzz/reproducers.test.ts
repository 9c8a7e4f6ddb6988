/**
 * The fuzzer's bookkeeping: failure classification (bounds scale with input size), signatures that
 * group one bug, and saved reproducers (README row, sidecar limits, recipes) read back as written.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundMs, failureOf, failureSignature } from '../../scripts/fuzz/classify.js';
import { saveReproducer, listReproducers, openSignatures, tableSignature } from '../../scripts/fuzz/reproducers.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'tls-extract-repro-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const done = (verdict: 'ok' | 'usage' | 'crash' | 'internal', cpuMs: number, detail?: string) => ({ kind: 'done' as const, outcome: { verdict, ms: cpuMs, detail }, cpuMs });

describe('failureOf', () => {
  it('accepts ok and usage within the bound', () => {
    expect(failureOf({ r: done('ok', 100), boundMs: 5000 })).toBeNull();
    expect(failureOf({ r: done('usage', 100, 'x: empty file'), boundMs: 5000 })).toBeNull();
  });

  it('flags crash, internal, slow, timeout, memory and worker deaths', () => {
    expect(failureOf({ r: done('crash', 1, 'TypeError: x'), boundMs: 5000 })?.kind).toBe('crash');
    expect(failureOf({ r: done('internal', 1, 'internal.x'), boundMs: 5000 })?.kind).toBe('internal');
    expect(failureOf({ r: done('ok', 5001), boundMs: 5000 })?.kind).toBe('slow');
    expect(failureOf({ r: { kind: 'timeout', ms: 9000, cpuMs: 6000 }, boundMs: 5000 })?.kind).toBe('timeout');
    expect(failureOf({ r: { kind: 'memory', detail: 'RSS' }, boundMs: 5000 })?.kind).toBe('memory');
    expect(failureOf({ r: { kind: 'fatal', detail: 'worker exited' }, boundMs: 5000 })?.kind).toBe('crash');
  });

  it('scales the time bound with the input size', () => {
    expect(boundMs(0)).toBe(5000);
    expect(boundMs(100 * 1048576)).toBe(15_000);
    expect(boundMs(1048576, 1000, 10)).toBe(1010);
  });
});

describe('failureSignature', () => {
  it('groups time failures by generator, whatever the parameters', () => {
    const a = failureSignature({ kind: 'slow', detail: 'took 6000 ms' }, 'manyLogLines(n=100000)');
    const b = failureSignature({ kind: 'timeout', detail: 'stopped' }, 'manyLogLines(n=1000000)');
    expect(a).toBe('time|manyLogLines');
    expect(b).toBe(a);
    expect(failureSignature({ kind: 'memory', detail: '' }, 'gzipBomb(x)')).toBe('memory|gzipBomb');
  });

  it('groups crashes by message and frame, not by input', () => {
    const stack = 'RangeError: x\n    at renderTimeline (file:///r/dist/src/report/render-timeline.js:166:20)';
    const a = failureSignature({ kind: 'crash', detail: 'RangeError: Maximum call stack size exceeded', stack }, 'manyLogLines(n=1)');
    const b = failureSignature({ kind: 'crash', detail: 'RangeError: Maximum call stack size exceeded', stack }, 'mutate(log: x)');
    expect(a).toBe(b);
    expect(a).toContain('src/report/render-timeline.js:renderTimeline');
  });
});

describe('saved reproducers', () => {
  it('round-trip: bytes with limits, and a recipe; README rows carry status open and the signature', () => {
    const d = tmp();
    const bytes = Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 1, 2, 3);
    const a = saveReproducer(d, { role: 'capture', ext: '.pcap', bytes, limits: { maxFlows: 4 }, origin: 'mutate(x: y)' }, 'crash', 'TypeError: boom @ src/x.ts', 'today', 'crash|TypeError: boom|src/x.ts:f');
    const b = saveReproducer(d, { role: 'log', ext: '.log', recipe: { gen: 'hugeLogLine', params: { mib: 1, nul: 0 } }, origin: 'hugeLogLine(1 MiB)' }, 'slow', 'took 9 s', 'today', 'time|hugeLogLine');
    expect(a.isNew && b.isNew).toBe(true);
    expect(a.file).toMatch(/^[0-9a-f]{12}\.pcap$/);
    expect(b.file).toMatch(/^[0-9a-f]{12}\.recipe\.json$/);
    expect(saveReproducer(d, { role: 'capture', ext: '.pcap', bytes, origin: 'again' }, 'crash', '', '', 'x').isNew).toBe(false);
    const reps = listReproducers(d);
    expect(reps.map((r) => [r.file, r.failure, r.status, r.role])).toEqual(
      [[a.file, 'crash', 'open', 'capture'], [b.file, 'slow', 'open', 'log']].sort((x, y) => (x[0] < y[0] ? -1 : 1)),
    );
    const ra = reps.find((r) => r.file === a.file)!;
    expect(ra.bytes).toEqual(bytes);
    expect(ra.limits).toEqual({ maxFlows: 4 });
    expect(reps.find((r) => r.file === b.file)!.recipe).toEqual({ gen: 'hugeLogLine', params: { mib: 1, nul: 0 } });
    expect(openSignatures(d)).toEqual(new Set([tableSignature('crash|TypeError: boom|src/x.ts:f'), 'time¦hugeLogLine']));
    expect(readFileSync(join(d, 'README.md'), 'utf8')).toContain('| `');
  });

  it('a row marked fixed is not an open signature', () => {
    const d = tmp();
    saveReproducer(d, { role: 'capture', ext: '.pcap', bytes: Uint8Array.of(1), origin: 'o' }, 'crash', 'd', 'f', 'crash|m|s');
    const p = join(d, 'README.md');
    const text = readFileSync(p, 'utf8').replace('| open |', '| fixed |');
    writeFileSync(p, text);
    expect(openSignatures(d).size).toBe(0);
    expect(listReproducers(d)[0].status).toBe('fixed');
    expect(existsSync(p)).toBe(true);
  });
});

describe('hottest frame of a CPU profile', () => {
  it('names the RegExp or src/ function with the most self time, ignoring GC and idle', async () => {
    const { hottest } = await import('../../scripts/fuzz/hot-frame.js');
    const node = (id: number, functionName: string, url = '') => ({ id, callFrame: { functionName, url, lineNumber: 0 } });
    const p = {
      nodes: [node(1, '(garbage collector)'), node(2, 'RegExp: ([A-Za-z][\\w.-]*)= ?"([^"]*)"'), node(3, 'parseKv', 'file:///r/dist/src/logs/kv.js'), node(4, '(idle)')],
      samples: [1, 1, 1, 1, 2, 2, 2, 3, 4, 4, 4, 4],
      timeDeltas: Array(12).fill(1000),
    };
    const h = hottest(p);
    expect(h.label).toBe('RegExp: ([A-Za-z][\\w.-]*)= ?"([^"]*)"');
    expect(h.share).toBeCloseTo(0.75);
    expect(hottest({ ...p, samples: [3, 3, 2] , timeDeltas: [1, 1, 1] }).label).toBe('src/logs/kv.js:parseKv');
  });
});
