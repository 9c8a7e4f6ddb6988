/**
 * util/inflate.ts: the worker engine gives the same bytes and the same errors as zlib on this thread,
 * keeps to its windows with a slow consumer, moves only what it may, and stops its thread when the
 * consumer stops early.
 */
import { deflateRawSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { INFLATE_WORKER_MIN_BYTES, inflateChunks, inflateInWorkerFor, type InflateKind, type InflatedChunk } from '../../../src/util/inflate.js';

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

async function run(kind: InflateKind, src: AsyncIterable<Uint8Array>, worker: boolean, chunkSize = 64 * KIB): Promise<Run> {
  const parts: Uint8Array[] = [];
  const consumed: number[] = [];
  let error: Run['error'] = null;
  try {
    for await (const c of inflateChunks(kind, src, { chunkSize, worker })) {
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

describe('inflateChunks: the worker engine against zlib on this thread', () => {
  it('the input really is compressed ~2:1 (else the windows below are not exercised)', () => {
    expect(gz.length).toBeGreaterThan(plain.length / 3);
    expect(gz.length).toBeLessThan(plain.length * 0.75);
  });

  for (const [kind, data] of [['gzip', gz], ['deflate-raw', new Uint8Array(deflateRawSync(plain))]] as const) {
    for (const piece of [1000, 64 * KIB, 1 * MIB]) {
      it(`${kind}, input in pieces of ${piece}: the same bytes, chunk sizes within chunkSize, consumed counts rising to the input's size`, async () => {
        const here = await run(kind, pieces(data, piece), false);
        const there = await run(kind, pieces(data, piece), true);
        for (const r of [here, there]) {
          expect(r.error).toBeNull();
          expect(Buffer.compare(r.out, plain)).toBe(0);
          expect(r.chunks).toBeGreaterThanOrEqual(Math.ceil(plain.length / (64 * KIB)));
          for (let i = 1; i < r.consumed.length; i++) expect(r.consumed[i]).toBeGreaterThanOrEqual(r.consumed[i - 1]);
          expect(r.consumed[r.consumed.length - 1]).toBeLessThanOrEqual(data.length);
          expect(r.consumed[r.consumed.length - 1]).toBeGreaterThan(data.length * 0.9);
        }
      });
    }
  }

  it('concatenated gzip members come out as one stream in both engines', async () => {
    const a = halfCompressible(200_000, 1);
    const b = halfCompressible(300_000, 2);
    const two = Buffer.concat([gzipSync(a), gzipSync(b)]);
    for (const worker of [false, true]) {
      const r = await run('gzip', pieces(two, 50_000), worker);
      expect(r.error).toBeNull();
      expect(Buffer.compare(r.out, Buffer.concat([a, b]))).toBe(0);
    }
  });

  it('a truncated stream: every byte before the cut, then zlib\'s own error (Z_BUF_ERROR, "unexpected end of file") in both engines', async () => {
    const cut = gz.subarray(0, Math.floor(gz.length * 0.7));
    const here = await run('gzip', pieces(cut, 100_000), false);
    const there = await run('gzip', pieces(cut, 100_000), true);
    expect(here.error?.code).toBe('Z_BUF_ERROR');
    expect(there.error).toBeInstanceOf(Error);
    expect(there.error?.code).toBe(here.error?.code);
    expect(there.error?.message).toBe(here.error?.message);
    expect(there.error?.message).toMatch(/unexpected end of file/);
    expect(there.out.length).toBe(here.out.length);
    expect(there.out.length).toBeGreaterThan(plain.length / 2);
    expect(Buffer.compare(there.out, plain.subarray(0, there.out.length))).toBe(0);
  });

  it('a truncated stream read by a slow consumer loses nothing more than a fast one (zlib must not get the end with chunks waiting)', async () => {
    const cut = gz.subarray(0, Math.floor(gz.length * 0.7));
    const fast = await run('gzip', pieces(cut, 256 * KIB), false);
    expect(fast.error?.code).toBe('Z_BUF_ERROR');
    for (const worker of [false, true]) {
      let n = 0;
      let code: string | undefined;
      try {
        for await (const c of inflateChunks('gzip', pieces(cut, 256 * KIB), { chunkSize: 64 * KIB, worker })) {
          n += c.data.length;
          await new Promise((r) => setTimeout(r, 5)); // behind the inflater: input queues up in zlib
        }
      } catch (e) {
        code = (e as { code?: string }).code;
      }
      expect(code).toBe('Z_BUF_ERROR');
      expect(n).toBe(fast.out.length);
    }
  });

  it('corrupt data: the same zlib error (code and message) in both engines, after the same good bytes', async () => {
    const bad = gz.slice();
    for (let i = 300_000; i < 300_064; i++) bad[i] ^= 0xa5;
    const here = await run('gzip', pieces(bad, 64 * KIB), false);
    const there = await run('gzip', pieces(bad, 64 * KIB), true);
    expect(here.error?.code).toMatch(/^Z_/);
    expect(there.error?.code).toBe(here.error?.code);
    expect(there.error?.message).toBe(here.error?.message);
    expect(Buffer.compare(there.out, here.out)).toBe(0);
  });

  it('not gzip at all: the header error of zlib in both engines, nothing out', async () => {
    const text = new TextEncoder().encode('plain text, not a gzip stream\n'.repeat(100));
    const here = await run('gzip', pieces(text, 1000), false);
    const there = await run('gzip', pieces(text, 1000), true);
    expect(here.error?.code).toBe('Z_DATA_ERROR');
    expect(there.error?.code).toBe('Z_DATA_ERROR');
    expect(there.error?.message).toBe(here.error?.message);
    expect(there.out.length).toBe(0);
  });

  it('a failure of the input itself is thrown as it is, after what was inflated from the bytes before it', async () => {
    const boom = new Error('disk on fire');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield gz.slice(0, 500_000);
      throw boom;
    }
    for (const worker of [false, true]) {
      const r = await run('gzip', failing(), worker);
      expect(r.error).toBe(boom);
      expect(Buffer.compare(r.out, plain.subarray(0, r.out.length))).toBe(0);
    }
  });

  it('a slow consumer: the worker reads at most its input window ahead and holds a bounded number of chunks', async () => {
    const big = halfCompressible(24 * MIB, 7);
    const bigGz = new Uint8Array(gzipSync(big));
    let pulled = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const c of pieces(bigGz, 256 * KIB)) {
        pulled += c.length;
        yield c;
      }
    }
    const it = inflateChunks('gzip', counted(), { chunkSize: 1 * MIB, worker: true });
    const first = await it.next();
    expect(first.done).toBe(false);
    await new Promise((r) => setTimeout(r, 400)); // time enough to inflate all 24 MiB if nothing held it back
    // input window (2 MiB) + what zlib holds while its output waits (a few chunks): far from all of it
    expect(pulled).toBeLessThan(8 * MIB);
    expect(pulled).toBeLessThan(bigGz.length / 2);
    let total = (first.value as InflatedChunk).data.length;
    for (;;) {
      const r = await it.next();
      if (r.done === true) break;
      total += r.value.data.length;
    }
    expect(total).toBe(big.length);
    expect(pulled).toBe(bigGz.length);
  });

  it('stopping early ends the worker and returns the input iterator, in both engines', async () => {
    for (const worker of [false, true]) {
      let returned = false;
      async function* src(): AsyncGenerator<Uint8Array> {
        try {
          yield* pieces(gz, 64 * KIB);
        } finally {
          returned = true;
        }
      }
      let n = 0;
      for await (const c of inflateChunks('gzip', src(), { chunkSize: 64 * KIB, worker })) {
        n += c.data.length;
        if (n > 200_000) break;
      }
      expect(returned).toBe(true);
    }
  });

  it('ownedInput moves whole-buffer chunks to the worker (detached here); without it, nothing is detached', async () => {
    for (const owned of [false, true]) {
      const sent: Uint8Array[] = [];
      async function* src(): AsyncGenerator<Uint8Array> {
        for await (const c of pieces(gz, 128 * KIB)) {
          sent.push(c);
          yield c;
        }
      }
      const parts: Uint8Array[] = [];
      for await (const c of inflateChunks('gzip', src(), { chunkSize: 256 * KIB, worker: true, ownedInput: owned })) parts.push(c.data.slice());
      expect(Buffer.compare(Buffer.concat(parts), plain)).toBe(0);
      const detached = sent.filter((c) => c.byteLength === 0).length;
      if (owned) expect(detached).toBe(sent.length);
      else expect(detached).toBe(0);
    }
  });

  it('recycle: a chunk is taken back (detached) when the next one is asked for, and the bytes are still all right', async () => {
    const seen: InflatedChunk[] = [];
    const parts: Uint8Array[] = [];
    for await (const c of inflateChunks('gzip', pieces(gz, 256 * KIB), { chunkSize: 256 * KIB, worker: true, recycle: true })) {
      if (seen.length > 0) expect(seen[seen.length - 1].data.byteLength).toBe(0);
      seen.push(c);
      parts.push(c.data.slice());
    }
    expect(seen.length).toBeGreaterThan(8);
    expect(Buffer.compare(Buffer.concat(parts), plain)).toBe(0);
    expect(seen.every((c) => c.data.byteLength === 0)).toBe(true); // the last one too, when the end was asked for
  });
});

describe('inflateInWorkerFor', () => {
  it('a worker for large known sizes only; TLS_EXTRACT_INFLATE_WORKER=1 / 0 force either engine', () => {
    expect(inflateInWorkerFor(INFLATE_WORKER_MIN_BYTES, {})).toBe(true);
    expect(inflateInWorkerFor(INFLATE_WORKER_MIN_BYTES - 1, {})).toBe(false);
    expect(inflateInWorkerFor(null, {})).toBe(false);
    expect(inflateInWorkerFor(10, { TLS_EXTRACT_INFLATE_WORKER: '1' })).toBe(true);
    expect(inflateInWorkerFor(null, { TLS_EXTRACT_INFLATE_WORKER: '1' })).toBe(true);
    expect(inflateInWorkerFor(INFLATE_WORKER_MIN_BYTES * 10, { TLS_EXTRACT_INFLATE_WORKER: '0' })).toBe(false);
    expect(inflateInWorkerFor(INFLATE_WORKER_MIN_BYTES, { TLS_EXTRACT_INFLATE_WORKER: 'yes' })).toBe(true);
  });
});
