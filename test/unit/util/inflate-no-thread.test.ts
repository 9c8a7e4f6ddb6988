/**
 * When no worker thread can be started (resource limits: ERR_WORKER_INIT_FAILED, out of memory), the
 * worker engine inflates on this thread instead of failing the input.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:worker_threads', () => ({
  Worker: class {
    constructor() {
      throw Object.assign(new Error('Worker initialization failure: EMFILE'), { code: 'ERR_WORKER_INIT_FAILED' });
    }
  },
}));

const { inflateChunks } = await import('../../../src/util/inflate.js');

async function* of(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

describe('inflateChunks without threads', () => {
  it('falls back to zlib on this thread: same bytes, same errors', async () => {
    const plain = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
    const gz = gzipSync(plain);
    const parts: Uint8Array[] = [];
    for await (const c of inflateChunks('gzip', of(gz.subarray(0, 1000), gz.subarray(1000)), { chunkSize: 65536, worker: true })) parts.push(c.data.slice());
    expect(Buffer.compare(Buffer.concat(parts), plain)).toBe(0);
    let code: string | undefined;
    try {
      for await (const c of inflateChunks('gzip', of(gz.subarray(0, gz.length - 10)), { chunkSize: 65536, worker: true })) void c;
    } catch (e) {
      code = (e as { code?: string }).code;
    }
    expect(code).toBe('Z_BUF_ERROR');
  });
});
