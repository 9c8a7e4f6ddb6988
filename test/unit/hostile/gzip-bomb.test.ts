/**
 * Issue #6: a gzip bomb (a small .gz whose content is a pcap header and then hundreds of MiB of
 * zeros) is stopped by limits.maxDecompressionRatio with a diagnostic, in bounded memory, as a loose
 * capture and as a bundle member; the run still completes.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../src/pipeline.js';
import { writeRecipe } from '../../../scripts/fuzz/materialize.js';
import { tarArchive } from '../../../scripts/fuzz/tar.js';
import { baseCapture } from '../../../scripts/fuzz/seeds.js';

const MIB = 512;
/** zero-length pcap records in the bomb: 16-byte headers of zeros */
const ZERO_RECORDS = (MIB * 1048576) / 16;
let dir = '';
let bomb = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tls-extract-bomb-'));
  bomb = join(dir, 'bomb.pcap.gz');
  await writeRecipe({ gen: 'gzipBomb', params: { mib: MIB } }, bomb);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function peakMemoryDuring<T>(f: () => Promise<T>): Promise<{ value: T; heapMiB: number; rssMiB: number }> {
  const h0 = process.memoryUsage().heapUsed;
  const r0 = process.memoryUsage.rss();
  let h = h0;
  let r = r0;
  const t = setInterval(() => {
    h = Math.max(h, process.memoryUsage().heapUsed);
    r = Math.max(r, process.memoryUsage.rss());
  }, 10);
  return f().then(
    (value) => ({ value, heapMiB: (h - h0) / 1048576, rssMiB: (r - r0) / 1048576 }),
    (e: unknown) => { throw e; },
  ).finally(() => clearInterval(t));
}

describe('gzip bomb', () => {
  it('is small on disk', () => {
    expect(statSync(bomb).size).toBeLessThan(MIB * 1048576 / 900);
  });

  it('as a capture: stopped early with capture.gzip_ratio, memory bounded', async () => {
    const { value: r, heapMiB, rssMiB } = await peakMemoryDuring(() => analyze([bomb]));
    const d = r.report.diagnostics?.find((x) => x.key === 'capture.gzip_ratio');
    expect(d, JSON.stringify(r.report.diagnostics)).toBeDefined();
    expect(d!.samples[0].detail).toContain('bomb.pcap.gz');
    // stopped before the end: far fewer records than the zeros would make
    expect(r.report.captures[0].packets).toBeLessThan(ZERO_RECORDS / 2);
    expect(heapMiB).toBeLessThan(200);
    expect(rssMiB).toBeLessThan(300);
  }, 120_000);

  it('a smaller ratio limit stops it sooner', async () => {
    const { report } = await analyze([bomb], { limits: { maxDecompressionRatio: 10 } });
    expect(report.diagnostics?.some((x) => x.key === 'capture.gzip_ratio')).toBe(true);
    expect(report.captures[0].packets).toBeLessThan((8 * 1048576) / 16);
  }, 60_000);

  it('inside a tar.gz bundle, next to a good capture: the good capture is analysed, the bomb stopped', async () => {
    const tar = tarArchive([
      { name: 'eth0_diagnostic_logging_tcpdump00_expc1_2025.pcap', data: baseCapture() },
      { name: 'eth1_diagnostic_logging_tcpdump00_expc1_2025.pcap.gz', data: new Uint8Array(readFileSync(bomb)) },
    ]);
    const bundle = join(dir, 'diagnostic_log_expc1.tar.gz');
    writeFileSync(bundle, gzipSync(tar));
    const { report } = await analyze([bundle]);
    expect(report.connections.length).toBeGreaterThanOrEqual(1);
    const keys = (report.diagnostics ?? []).map((x) => x.key);
    expect(keys.some((k) => /gzip_ratio|ratio|bomb/.test(k)), keys.join(', ')).toBe(true);
    expect(keys.some((k) => k.startsWith('internal'))).toBe(false);
  }, 120_000);

  // Regression (found by the fuzzer): src/input/decompress.ts counted input bytes as they were read
  // ahead into the zlib pipe, not as zlib consumed them, so the ratio guard fired only after ~all of a
  // bundle member was inflated. It now counts what zlib consumed, like src/capture/gzip-source.ts.
  it('inside a bundle the bomb member is stopped early (as a loose one is)', async () => {
    const tar = tarArchive([
      { name: 'eth0_diagnostic_logging_tcpdump00_expc1_2025.pcap', data: baseCapture() },
      { name: 'eth1_diagnostic_logging_tcpdump00_expc1_2025.pcap.gz', data: new Uint8Array(readFileSync(bomb)) },
    ]);
    const bundle = join(dir, 'diagnostic_log_expc1-2.tar.gz');
    writeFileSync(bundle, gzipSync(tar));
    const { report } = await analyze([bundle]);
    const member = report.captures.find((c) => c.path.endsWith('.pcap.gz'));
    expect(member).toBeDefined();
    expect(member!.packets).toBeLessThan(ZERO_RECORDS / 2);
  }, 120_000);
});
