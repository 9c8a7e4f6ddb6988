/**
 * Decompression hands out large chunks. Every chunk is a round trip between zlib's thread and the main
 * thread, and with zlib's 16 KiB default (archives) or 64 KiB compressed reads (capture .gz) a 1.1 GB
 * capture was 70,000 (13,000) of them: zlib sat idle while the packet pass was busy, and the .tar.gz
 * took 9 s instead of 6. These tests count the chunks; they fail with the old sizes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { iterableByteSource } from '../../../src/capture/byte-source.js';
import { GunzipSource } from '../../../src/capture/gzip-source.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { decompress } from '../../../src/input/decompress.js';
import { INFLATE_CHUNK } from '../../../src/util/zlib-chunk.js';
import { FILE_CHUNK, fileChunks } from '../../../src/input/files.js';

const MIB = 1024 * 1024;

/** `n` bytes that deflate about 2:1, like a capture (a deterministic mix of noise and runs). */
function halfCompressible(n: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = 0x12345678;
  for (let i = 0; i < n; i += 2) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

const plain = halfCompressible(8 * MIB);
const gz = new Uint8Array(gzipSync(plain));

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < bytes.length; o += size) yield bytes.subarray(o, Math.min(bytes.length, o + size));
}

describe('decompression chunk sizes', () => {
  it('the input is really ~2:1 (else the counts below prove nothing)', () => {
    expect(gz.length).toBeGreaterThan(plain.length / 3);
    expect(gz.length).toBeLessThan(plain.length * 0.75);
  });

  it('a capture .gz comes out in at most a few dozen reads per 8 MiB (64 KiB compressed reads made ~90)', async () => {
    const src = new GunzipSource(iterableByteSource(pieces(gz, gz.length), gz.length), new Uint8Array(0), {
      path: 'x.pcap.gz', fileIndex: 0, maxDecompressionRatio: 1000, diag: new Diagnostics(),
    });
    const buf = new Uint8Array(4 * MIB);
    let reads = 0;
    let total = 0;
    let same = true;
    for (;;) {
      const n = await src.read(buf, 0, buf.length);
      if (n === 0) break;
      for (let i = 0; i < n && same; i += 4099) same = buf[i] === plain[total + i];
      reads++;
      total += n;
    }
    await src.close();
    expect(total).toBe(plain.length);
    expect(same).toBe(true);
    expect(reads).toBeLessThanOrEqual(24);
  });

  it('archive decompression yields chunks of up to INFLATE_CHUNK (zlib default: 16 KiB, 512 chunks)', async () => {
    const out: Uint8Array[] = [];
    for await (const c of decompress('gzip', pieces(gz, FILE_CHUNK), { maxRatio: 1000, diag: new Diagnostics(), name: 'x.tar.gz' })) {
      out.push(c.slice());
    }
    const total = out.reduce((s, c) => s + c.length, 0);
    expect(total).toBe(plain.length);
    expect(Math.max(...out.map((c) => c.length))).toBeLessThanOrEqual(INFLATE_CHUNK);
    expect(out.length).toBeLessThanOrEqual(64);
    expect(Buffer.compare(Buffer.concat(out), plain)).toBe(0);
  });

  describe('file reads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlsx-chunks-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it(`read a file in ${FILE_CHUNK / 1024} KiB chunks`, async () => {
      const f = join(dir, 'one.bin');
      writeFileSync(f, plain.subarray(0, 2 * MIB));
      const sizes: number[] = [];
      for await (const c of fileChunks(f)) sizes.push(c.length);
      expect(sizes.reduce((s, n) => s + n, 0)).toBe(2 * MIB);
      expect(sizes.length).toBe(Math.ceil((2 * MIB) / FILE_CHUNK));
      expect(FILE_CHUNK).toBeGreaterThanOrEqual(256 * 1024);
    });
  });
});
