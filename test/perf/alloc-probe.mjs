// Allocation probe for test/perf/alloc-guard.test.ts, run as a child process on the compiled
// library (dist/): `node --expose-gc --min-semi-space-size=1 --max-semi-space-size=1 alloc-probe.mjs <distDir> <capture> [--inject]`.
// Runs PacketPass over the capture five times (two warm-ups for the JIT and lazily built tables,
// three measured, so that the caller can take the quietest) and prints one JSON line: packets, TLS connections, scavenges and mark-sweeps seen
// by a PerformanceObserver on 'gc' entries during each measured pass, bytes allocated in that pass
// (v8.GCProfiler: heap used before each GC minus after the previous one, plus the rest) and heap
// retained after forced GCs. --inject adds one subarray per packet (the positive control).
import { PerformanceObserver, constants, performance } from 'node:perf_hooks';
import { GCProfiler } from 'node:v8';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [distDir, capture, ...flags] = process.argv.slice(2);
if (!distDir || !capture) throw new Error('usage: alloc-probe.mjs <distDir> <capture> [--inject]');
const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('run with node --expose-gc');
const load = (p) => import(pathToFileURL(join(distDir, 'src', p)).href);

await import('reflect-metadata');
const { PacketPass } = await load('packet-pass.js');
const { resolveLimits } = await load('options.js');
const { Diagnostics } = await load('diagnostics/diagnostics.js');
const { CertStore } = await load('x509/cert-store.js');

if (flags.includes('--inject')) {
  // The regression the guard must catch: one escaping object per packet (a payload view kept in a field).
  const { FlowTable } = await load('tcp/flow-table.js');
  const packet = FlowTable.prototype.packet;
  FlowTable.prototype.packet = function injected(view, stamp) {
    this.lastPayload = view.data.subarray(view.payloadStart, view.payloadEnd);
    return packet.call(this, view, stamp);
  };
}

async function pass() {
  const limits = resolveLimits();
  const diag = new Diagnostics();
  const certs = new CertStore(limits, diag);
  const pp = new PacketPass({ limits, diag, certs, totalBytes: null });
  await pp.runFiles([capture]);
  const connections = pp.finish();
  return { pp, connections, diag };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 20));

await pass();
await pass();
gc(); gc();
await flush();

const gcKinds = { minor: 0, major: 0 };
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = e.detail?.kind ?? e.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gcKinds.minor++;
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR || kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) gcKinds.major++;
  }
});
observer.observe({ entryTypes: ['gc'] });

/** One measured pass: GC counts, bytes allocated, heap retained while its result is still alive. */
async function measured() {
  gc(); gc();
  await flush();
  const minor0 = gcKinds.minor, major0 = gcKinds.major;
  const profiler = new GCProfiler();
  const heapStart = process.memoryUsage().heapUsed;
  profiler.start();
  const t0 = performance.now();
  const result = await pass();
  const ms = performance.now() - t0;
  const heapEnd = process.memoryUsage().heapUsed;
  const profile = profiler.stop();
  await flush(); // PerformanceObserver entries are delivered asynchronously
  let allocated = 0;
  let last = heapStart;
  for (const s of profile.statistics) {
    allocated += Math.max(0, s.beforeGC.heapStatistics.usedHeapSize - last);
    last = s.afterGC.heapStatistics.usedHeapSize;
  }
  allocated += Math.max(0, heapEnd - last);
  gc(); gc();
  const retained = process.memoryUsage().heapUsed - heapStart;
  return { result, scavenges: gcKinds.minor - minor0, markSweeps: gcKinds.major - major0, allocatedBytes: allocated, retainedBytes: retained, ms: Math.round(ms) };
}

const runs = [];
for (let i = 0; i < 3; i++) runs.push(await measured());
observer.disconnect();
const result = runs[runs.length - 1].result;
const c = result.pp.captures[0];
process.stdout.write(`${JSON.stringify({
  packets: c.packets,
  decodeErrors: c.decode_errors,
  connections: result.connections.length,
  withCertificates: result.connections.toArray().filter((x) => x.serverCertificates.length > 0).length,
  diagnostics: result.diag.list().map((d) => `${d.key}x${d.count}`),
  runs: runs.map(({ result: _, ...m }) => m),
})}\n`);
