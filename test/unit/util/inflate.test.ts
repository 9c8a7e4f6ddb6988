/**
 * util/inflate.ts: the bytes of zlib's one-shot inflate, zlib's own errors after every byte before them,
 * nothing lost at a cut when the consumer is behind, and the input returned when the consumer stops.
 */
import { constants as zlibConstants, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateChunks, type InflateKind } from '../../../src/util/inflate.js';

const KIB = 1024;
const MIB = 1024 * KIB;

/** `n` bytes that deflate about 2:1 (a deterministic mix of noise and zeros). */
function halfCompressible(n: number, seed = 0x12345678): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i += 2) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < bytes.length; o += size) yield bytes.slice(o, Math.min(bytes.length, o + size));
}

interface Run {
  out: Uint8Array;
  chunks: number;
  consumed: number[];
  error: (Error & { code?: string }) | null;
}

async function run(kind: InflateKind, src: AsyncIterable<Uint8Array>, chunkSize = 64 * KIB): Promise<Run> {
  const parts: Uint8Array[] = [];
  const consumed: number[] = [];
  let error: Run['error'] = null;
  try {
    for await (const c of inflateChunks(kind, src, chunkSize)) {
      expect(c.data.length).toBeLessThanOrEqual(chunkSize);
      parts.push(c.data.slice());
      consumed.push(c.consumed);
    }
  } catch (e) {
    error = e as Run['error'];
  }
  return { out: Buffer.concat(parts), chunks: parts.length, consumed, error };
}

const plain = halfCompressible(3 * MIB + 12_345);
const gz = new Uint8Array(gzipSync(plain));

describe('inflateChunks', () => {
  it('the input really is compressed ~2:1 (else the cut and slow-consumer cases prove little)', () => {
    expect(gz.length).toBeGreaterThan(plain.length / 3);
    expect(gz.length).toBeLessThan(plain.length * 0.75);
  });

  for (const [kind, data] of [['gzip', gz], ['deflate-raw', new Uint8Array(deflateRawSync(plain))]] as const) {
    for (const piece of [1000, 64 * KIB, 1 * MIB]) {
      it(`${kind}, input in pieces of ${piece}: the same bytes, chunks within chunkSize, consumed counts rising to the input's size`, async () => {
        const r = await run(kind, pieces(data, piece));
        expect(r.error).toBeNull();
        expect(Buffer.compare(r.out, plain)).toBe(0);
        expect(r.chunks).toBeGreaterThanOrEqual(Math.ceil(plain.length / (64 * KIB)));
        for (let i = 1; i < r.consumed.length; i++) expect(r.consumed[i]).toBeGreaterThanOrEqual(r.consumed[i - 1]);
        expect(r.consumed[r.consumed.length - 1]).toBeLessThanOrEqual(data.length);
        expect(r.consumed[r.consumed.length - 1]).toBeGreaterThan(data.length * 0.9);
      });
    }
  }

  it('concatenated gzip members come out as one stream', async () => {
    const a = halfCompressible(200_000, 1);
    const b = halfCompressible(300_000, 2);
    const two = Buffer.concat([gzipSync(a), gzipSync(b)]);
    const r = await run('gzip', pieces(two, 50_000));
    expect(r.error).toBeNull();
    expect(Buffer.compare(r.out, Buffer.concat([a, b]))).toBe(0);
  });

  it('a truncated stream: every complete block before the cut, then zlib\'s own error (Z_BUF_ERROR, "unexpected end of file")', async () => {
    const cut = gz.subarray(0, Math.floor(gz.length * 0.7));
    const r = await run('gzip', pieces(cut, 100_000));
    expect(r.error).toBeInstanceOf(Error);
    expect(r.error?.code).toBe('Z_BUF_ERROR');
    expect(r.error?.message).toMatch(/unexpected end of file/);
    expect(r.out.length).toBeGreaterThan(plain.length / 2);
    expect(Buffer.compare(r.out, plain.subarray(0, r.out.length))).toBe(0);
    // as much as zlib's one-shot inflate gets out of the same bytes when told not to expect the end
    expect(r.out.length).toBe(gunzipSync(cut, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).length);
  });

  for (const at of [0.3, 0.9]) {
    it(`a truncated stream (cut at ${at * 100} %) read by a slow consumer: every byte a one-shot inflate gets, before zlib's error`, async () => {
      // with the end piped straight in, zlib inflated the waiting chunks with Z_FINISH and that call's
      // output went with its error (26 KB at 30 %); with end() before the consumer had taken every chunk,
      // the chunks still buffered went with the destroyed stream (13 KB at 90 %)
      const bigGz = gzipSync(halfCompressible(8 * MIB));
      const cut = bigGz.subarray(0, Math.floor(bigGz.length * at));
      const want = gunzipSync(cut, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).length;
      let n = 0;
      let code: string | undefined;
      try {
        for await (const c of inflateChunks('gzip', pieces(cut, 64 * KIB), 64 * KIB)) {
          n += c.data.length;
          await new Promise((r) => setTimeout(r, 3)); // behind the inflater: input and output queue up in zlib
        }
      } catch (e) {
        code = (e as { code?: string }).code;
      }
      expect(code).toBe('Z_BUF_ERROR');
      expect(n).toBe(want);
    });
  }

  it('corrupt data: zlib\'s data error after the good bytes before it', async () => {
    const bad = gz.slice();
    for (let i = 300_000; i < 300_064; i++) bad[i] ^= 0xa5;
    const r = await run('gzip', pieces(bad, 64 * KIB));
    expect(r.error?.code).toBe('Z_DATA_ERROR');
    expect(r.out.length).toBeGreaterThan(250_000); // the blocks before the damage
    expect(r.out.length).toBeLessThan(plain.length);
    expect(Buffer.compare(r.out.subarray(0, 250_000), plain.subarray(0, 250_000))).toBe(0);
  });

  it('not gzip at all: the header error of zlib, nothing out', async () => {
    const text = new TextEncoder().encode('plain text, not a gzip stream\n'.repeat(100));
    const r = await run('gzip', pieces(text, 1000));
    expect(r.error?.code).toBe('Z_DATA_ERROR');
    expect(r.error?.message).toMatch(/header/);
    expect(r.out.length).toBe(0);
  });

  it('a failure of the input itself is thrown as it is, after what was inflated from the bytes before it', async () => {
    const boom = new Error('disk on fire');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield gz.slice(0, 500_000);
      throw boom;
    }
    const r = await run('gzip', failing());
    expect(r.error).toBe(boom);
    expect(Buffer.compare(r.out, plain.subarray(0, r.out.length))).toBe(0);
  });

  it('stopping early returns the input iterator (its file is closed)', async () => {
    let returned = false;
    async function* src(): AsyncGenerator<Uint8Array> {
      try {
        yield* pieces(gz, 64 * KIB);
      } finally {
        returned = true;
      }
    }
    let n = 0;
    for await (const c of inflateChunks('gzip', src(), 64 * KIB)) {
      n += c.data.length;
      if (n > 200_000) break;
    }
    await new Promise((r) => setImmediate(r)); // the input is returned by the destroyed pipe, not awaited
    expect(returned).toBe(true);
  });
});
