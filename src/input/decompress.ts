/**
 * Streaming gzip (RFC 1952, concatenated members included) and raw DEFLATE (RFC 1951, ZIP method 8)
 * decompression with a bomb guard: once more than GUARD_FLOOR bytes came out, output larger than
 * `maxRatio` × input *consumed by zlib* (`bytesWritten`, not the bytes read ahead into the pipe,
 * which for a small bomb is all of it at once) stops the stream (`archive.gzip_ratio`). Corrupt or truncated data
 * ends the stream with what was decoded so far (`archive.gzip_error` / `archive.gzip_truncated`).
 * Never throws.
 */
import type { Diagnostics } from '../diagnostics/diagnostics.js';
import type { Chunks } from './streams.js';
import { INFLATE_CHUNK } from '../util/zlib-chunk.js';
import { inflateChunks } from '../util/inflate.js';

/** below this output size the ratio is not checked (tiny highly compressible files are normal) */
export const GUARD_FLOOR = 1 << 20;

export interface DecompressOptions {
  maxRatio: number;
  diag: Diagnostics;
  name: string;
  /** stop (silently) after this many output bytes, e.g. when only peeking */
  maxOutput?: number;
}

export async function* decompress(kind: 'gzip' | 'deflate-raw', src: Chunks, opts: DecompressOptions): AsyncGenerator<Uint8Array> {
  let inBytes = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const c of src) {
      inBytes += c.length;
      yield c;
    }
  }
  const chunks = inflateChunks(kind, counted(), INFLATE_CHUNK);
  let outBytes = 0;
  try {
    for await (const { data: c, consumed: zConsumed } of chunks) {
      outBytes += c.length;
      if (opts.maxOutput !== undefined && outBytes >= opts.maxOutput) {
        yield c.subarray(0, c.length - (outBytes - opts.maxOutput));
        return;
      }
      const consumed = Math.min(zConsumed, inBytes);
      if (outBytes > GUARD_FLOOR && outBytes > consumed * opts.maxRatio) {
        opts.diag.add('archive.gzip_ratio', 'limit', { detail: `${opts.name}: ${outBytes} bytes out of ${consumed} (ratio > ${opts.maxRatio}); member stopped` });
        return;
      }
      yield c;
    }
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const key = /unexpected end/i.test(msg) ? 'archive.gzip_truncated' : 'archive.gzip_error';
    opts.diag.add(key, 'anomaly', { detail: `${opts.name}: ${msg}`.slice(0, 300) });
  } finally {
    await chunks.return(undefined);
  }
}
