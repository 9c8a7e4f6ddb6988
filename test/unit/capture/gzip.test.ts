import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../../src/errors.js';
import { concat } from '../../helpers/packet-builder.js';
import { gzip, writePcap, writePcapng } from '../../helpers/pcap-writer.js';
import { readAll } from './support.js';

const packets = Array.from({ length: 50 }, (_, i) => new Uint8Array(100 + i).fill(i));
const pcap = writePcap(packets, { linkType: 1 });

describe('gzip-compressed captures', () => {
  it('reads a gzipped pcap transparently (compressed = true, same packets)', async () => {
    const plain = await readAll(pcap);
    const gz = gzip(pcap);
    const r = await readAll(gz, { chunk: 100 });
    expect(r.reader.compressed).toBe(true);
    expect(r.reader.format).toBe('pcap');
    expect(r.packets).toEqual(plain.packets);
    expect(r.reader.stats.bytesRead).toBe(gz.length); // progress counts compressed bytes
  });

  it('reads a gzipped pcapng and concatenated gzip members', async () => {
    const ng = writePcapng(packets, { linkType: 1 });
    const half = Math.floor(ng.length / 2);
    const r = await readAll(concat(gzip(ng.subarray(0, half)), gzip(ng.subarray(half))));
    expect(r.reader.format).toBe('pcapng');
    expect(r.packets).toHaveLength(50);
  });

  it('a truncated gzip stream keeps the packets before the cut and warns', async () => {
    const gz = gzip(pcap);
    const r = await readAll(gz.subarray(0, Math.floor(gz.length * 0.6)));
    expect(r.packets.length).toBeGreaterThan(0);
    expect(r.packets.length).toBeLessThan(50);
    expect(r.diag.count('capture.gzip_truncated')).toBe(1);
    expect(r.reader.stats.truncated).toBe(true);
  });

  it('abandons a gzip bomb after the first MiB (capture.gzip_ratio), keeping what was read', async () => {
    const big = writePcap(Array.from({ length: 64 }, () => new Uint8Array(65_000)), { linkType: 1 }); // ~4 MiB of zeros
    const r = await readAll(gzip(big), { limits: { maxDecompressionRatio: 20 } });
    expect(r.diag.count('capture.gzip_ratio')).toBe(1);
    expect(r.packets.length).toBeGreaterThan(0);
    expect(r.packets.length).toBeLessThan(64);
    const ok = await readAll(gzip(big));
    expect(ok.packets).toHaveLength(64);
    expect(ok.diag.count('capture.gzip_ratio')).toBe(0);
  });

  it('rejects a gzip of something that is not a capture', async () => {
    const e = await readAll(gzip(new TextEncoder().encode('just some text\n'.repeat(100)))).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(ExitCode.notCapture);
    expect((e as UsageError).message).toMatch(/not a capture/);
  });

  it('rejects a damaged gzip stream as not a capture, and a gzip of nothing as empty', async () => {
    const bad = concat(new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3]), new Uint8Array(64).fill(0xff));
    const e1 = await readAll(bad).catch((x: unknown) => x);
    expect((e1 as UsageError).message).toMatch(/not a capture/);
    const e2 = await readAll(gzip(new Uint8Array(0))).catch((x: unknown) => x);
    expect((e2 as UsageError).message).toMatch(/empty file/);
    expect((e2 as UsageError).exitCode).toBe(ExitCode.notCapture);
  });
});
