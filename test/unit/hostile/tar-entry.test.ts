/**
 * Issue #6: tar entries with absurd sizes and names. A member claiming 2^40 bytes (GNU base-256
 * size field) with a 4 KiB name (GNU long-name record) must not allocate, hang or crash; members
 * before it are still analysed and the bad one is reported.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../src/pipeline.js';
import { UsageError } from '../../../src/errors.js';
import { tarArchive, longNameEntries, paxEntries, base256, type TarEntry } from '../../../scripts/fuzz/tar.js';
import { baseCapture, baseTruststore } from '../../../scripts/fuzz/seeds.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tls-extract-tar-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = 'eth0_diagnostic_logging_tcpdump00_expc1_2025.pcap';
const LONG = `${'deep/'.repeat(818)}eth1_diagnostic_logging_tcpdump00_expc1_2025.pcap`;

function write(name: string, entries: TarEntry[], gz: boolean): string {
  const p = join(dir, name);
  const tar = tarArchive(entries);
  writeFileSync(p, gz ? gzipSync(tar) : tar);
  return p;
}

describe('tar entry with a size of 2^40 and a 4 KiB name', () => {
  it('the name is really 4 KiB', () => {
    expect(LONG.length).toBeGreaterThanOrEqual(4096);
  });

  for (const gz of [false, true]) {
    it(`${gz ? 'tar.gz' : 'tar'}: the capture before it is analysed and the bad entry reported`, async () => {
      const [ln, entry] = longNameEntries(LONG, new Uint8Array(600).fill(0xd4));
      const p = write(`bundle-${gz ? 'gz' : 'plain'}.tar${gz ? '.gz' : ''}`, [
        { name: GOOD, data: baseCapture() },
        ln,
        { ...entry, sizeField: base256(1n << 40n) },
      ], gz);
      const { report } = await analyze([p]);
      expect(report.captures.map((c) => c.path)).toContain(`${p}!${GOOD}`);
      expect(report.connections.length).toBeGreaterThanOrEqual(1);
      const keys = (report.diagnostics ?? []).map((d) => d.key);
      expect(keys.some((k) => k.startsWith('archive.')), keys.join(', ')).toBe(true);
      expect(keys.some((k) => k.startsWith('internal'))).toBe(false);
    }, 60_000);
  }

  it('as the only member: refused with a UsageError naming the bundle, not a crash', async () => {
    const [ln, entry] = longNameEntries(LONG, new Uint8Array(100));
    const p = write('only-bad.tar', [ln, { ...entry, sizeField: base256(1n << 40n) }], false);
    const err = await analyze([p]).then(() => null, (e: unknown) => e);
    if (err === null) return expect.unreachable('analyze should refuse a bundle without any capture');
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toContain(p);
  }, 60_000);

  it('pax headers with a 4 KiB path and size=1e18, and a negative base-256 size', async () => {
    const pax = paxEntries({ path: `${'p'.repeat(4096)}.pcap`, size: '1000000000000000000' }, new Uint8Array(64));
    const p = write('pax.tar', [
      { name: GOOD, data: baseCapture() },
      { name: 'ca_expc1_2025.pem', data: baseTruststore(), sizeField: base256(-5n) },
      ...pax,
    ], false);
    const { report } = await analyze([p]);
    expect(report.connections.length).toBeGreaterThanOrEqual(1);
    expect((report.diagnostics ?? []).some((d) => d.key.startsWith('internal'))).toBe(false);
  }, 60_000);
});
