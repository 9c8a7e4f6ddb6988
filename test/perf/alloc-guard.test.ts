/**
 * Allocation guard for the packet pass hot path (issue #5.3), in the spirit of gopacket's
 * TestFullyOrderedAndCompleteStreamDoesNotAlloc: 200 000 in-order packets over six long-lived flows
 * (four TLS 1.2 connections with a complete handshake then bulk application data, two plain HTTP
 * downloads) must not make the garbage collector work per packet.
 *
 * The measurement runs in a child `node --expose-gc` with a fixed 1 MiB semi-space (so one
 * scavenge ≈ 1 MiB of short-lived garbage) on the compiled library (test/perf/alloc-probe.mjs,
 * dist/ rebuilt first when stale). It counts scavenges with a PerformanceObserver on 'gc' entries,
 * estimates the bytes allocated (v8.GCProfiler) and the heap retained after forced GCs, over three
 * measured passes after two warm-ups; the quietest pass is judged (JIT settling only adds noise).
 *
 * Calibration (Node 20, 200 000 packets): the pass allocates ≈ 3-9 B/packet today (what its six
 * connections allocate, spread over the packets) → 0-1 scavenges. Regressions measured: one 16-byte
 * HeapNumber per packet (a capture timestamp, a double, passed as an argument to a call V8 does not
 * inline: how the pass was until src/tcp/packet-clock.ts) → ≈ 19 B/packet, 3-4 scavenges; one `{}`
 * kept per packet → ≈ 52 B/packet, 10 scavenges; one subarray per packet → ≈ 116 B/packet, 23
 * scavenges. The bounds below sit between. A positive control (the probe's --inject: one subarray per
 * packet) must trip them, so the guard cannot silently become vacuous.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildBulkCapture, type BulkCapture } from '../helpers/synthetic-capture.js';
import { ensureDist, ROOT } from '../package/ensure-dist.js';

const PACKETS = 200_000;
/** scavenges per 100 000 packets (1 MiB semi-space): today 0-0.5; one boxed number per packet gives 1.5-2 */
const MAX_SCAVENGES_PER_100K = 1;
/** bytes allocated per packet: today ≈ 3-9; one boxed number per packet adds 16, one object ≥ 32 */
const MAX_BYTES_PER_PACKET = 12;
/** heap still held after the pass (with its result alive), bytes: a per-packet leak of 8 B gives 1.6 MB */
const MAX_RETAINED_BYTES = 1_000_000;

interface Run { scavenges: number; markSweeps: number; allocatedBytes: number; retainedBytes: number; ms: number }
interface Probe { packets: number; decodeErrors: number; connections: number; withCertificates: number; diagnostics: string[]; runs: Run[] }

const run = promisify(execFile);
/** compiled library to probe; ALLOC_GUARD_DIST points at another build (e.g. a copy with an injected allocation) */
const DIST = process.env.ALLOC_GUARD_DIST ?? join(ROOT, 'dist');

async function probe(capture: string, inject: boolean): Promise<Probe> {
  const args = ['--expose-gc', '--min-semi-space-size=1', '--max-semi-space-size=1', join(ROOT, 'test/perf/alloc-probe.mjs'), DIST, capture];
  if (inject) args.push('--inject');
  const { stdout } = await run(process.execPath, args, { cwd: ROOT, timeout: 180_000, maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as Probe;
}

/** The quietest measured pass, per packet. */
function best(p: Probe): { scavengesPer100k: number; bytesPerPacket: number; retained: number; runs: string } {
  const min = (f: (r: Run) => number): number => Math.min(...p.runs.map(f));
  return {
    scavengesPer100k: (min((r) => r.scavenges) * 100_000) / p.packets,
    bytesPerPacket: min((r) => r.allocatedBytes) / p.packets,
    retained: min((r) => r.retainedBytes),
    runs: JSON.stringify(p.runs),
  };
}

describe('packet pass allocation guard (200k in-order packets, long-lived TLS and HTTP flows)', () => {
  let dir: string;
  let cap: BulkCapture;
  let clean: Probe;
  let injected: Probe;

  beforeAll(async () => {
    if (process.env.ALLOC_GUARD_DIST === undefined) ensureDist();
    const leaf = new X509Certificate(readFileSync(join(ROOT, 'samples/lab/pki/cucm-tomcat.crt'))).raw;
    cap = buildBulkCapture({ packets: PACKETS, certificates: [new Uint8Array(leaf)] });
    dir = mkdtempSync(join(tmpdir(), 'tls-extract-alloc-'));
    const file = join(dir, 'bulk.pcap');
    writeFileSync(file, cap.pcap);
    clean = await probe(file, false);
    injected = await probe(file, true);
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the pass really processed the traffic: every packet, every TLS connection with its certificate, no anomaly', () => {
    expect(cap.packets).toBe(PACKETS);
    expect(clean.packets).toBe(PACKETS);
    expect(clean.decodeErrors).toBe(0);
    expect(clean.connections).toBe(cap.tlsFlows);
    expect(clean.withCertificates).toBe(cap.tlsFlows);
    expect(clean.diagnostics).toEqual([]);
    expect(clean.runs).toHaveLength(3);
  });

  it('stays under the scavenge, allocation and retention bounds', () => {
    const b = best(clean);
    expect(b.scavengesPer100k, `scavenges per 100k packets; runs ${b.runs}`).toBeLessThanOrEqual(MAX_SCAVENGES_PER_100K);
    expect(b.bytesPerPacket, `bytes allocated per packet; runs ${b.runs}`).toBeLessThanOrEqual(MAX_BYTES_PER_PACKET);
    expect(b.retained, `bytes retained; runs ${b.runs}`).toBeLessThan(MAX_RETAINED_BYTES);
    expect(Math.max(...clean.runs.map((r) => r.markSweeps)), 'no full GC during a pass').toBeLessThanOrEqual(1);
  });

  it('positive control: one subarray per packet (probe --inject) breaks both bounds', () => {
    expect(injected.packets).toBe(PACKETS);
    expect(injected.connections).toBe(cap.tlsFlows);
    const b = best(injected);
    expect(b.scavengesPer100k, b.runs).toBeGreaterThan(MAX_SCAVENGES_PER_100K);
    expect(b.bytesPerPacket, b.runs).toBeGreaterThan(MAX_BYTES_PER_PACKET);
  });
});
