/**
 * Transparent gzip decompression (RFC 1952) of a capture, streamed through node:zlib with
 * back-pressure: at most a few zlib chunks are in memory. Concatenated members are supported
 * (zlib does that). A gzip bomb is abandoned: once more than 1 MiB has come out, the ratio
 * output/input is checked against `limits.maxDecompressionRatio` (diagnostic `capture.gzip_ratio`).
 * A damaged or truncated stream ends the input with a diagnostic; the packets before it are kept.
 */
import { INFLATE_CHUNK } from '../util/zlib-chunk.js';
import { inflateChunks, type InflatedChunk } from '../util/inflate.js';
import type { Diagnostics } from '../diagnostics/diagnostics.js';
import type { ByteSource } from './byte-source.js';

/**
 * Compressed bytes per read. Each read is a round trip through the main thread before zlib gets more
 * input: with 64 KiB reads, zlib's output came in 81 KiB pieces and a 1.1 GB capture (0.8 GB .gz)
 * took 6.5 s of which the packet pass waited 5.7 s for zlib; with 1 MiB reads, 4.4-5.0 s (zlib
 * alone, with nothing else to do, inflates it in 4.1 s here).
 */
const RAW_CHUNK = 1024 * 1024;
/** decompressed bytes per chunk: fewer, larger chunks (a 1 GB capture was 17,000 stream round trips) */
const OUT_CHUNK = INFLATE_CHUNK;
const RATIO_GRACE_BYTES = 1024 * 1024;

export interface GunzipOptions {
  path: string;
  fileIndex: number;
  maxDecompressionRatio: number;
  diag: Diagnostics;
}

async function* rawChunks(prefix: Uint8Array, raw: ByteSource): AsyncGenerator<Uint8Array> {
  if (prefix.length > 0) yield prefix;
  for (;;) {
    const b = new Uint8Array(RAW_CHUNK); // the stream keeps a reference: a fresh chunk each time
    const n = await raw.read(b, 0, RAW_CHUNK);
    if (n === 0) return;
    yield n === RAW_CHUNK ? b : b.subarray(0, n);
  }
}

function zlibCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

/** Decompressed view of `raw`, whose first bytes (already read while sniffing) are `prefix`. */
export class GunzipSource implements ByteSource {
  readonly size: number | null = null;
  /** decompressed bytes handed out */
  bytesOut = 0;
  /** why decompression ended early (damaged stream, bomb), null when it did not */
  failure: string | null = null;
  /** the compressed stream ended before its end marker */
  truncatedStream = false;
  private readonly it: AsyncGenerator<InflatedChunk>;
  private chunk: Uint8Array | null = null;
  private chunkPos = 0;
  private done = false;

  constructor(private readonly raw: ByteSource, prefix: Uint8Array, private readonly opts: GunzipOptions) {
    this.it = inflateChunks('gzip', rawChunks(prefix, raw), OUT_CHUNK);
  }

  async read(buf: Uint8Array, offset: number, length: number): Promise<number> {
    if (length <= 0) return 0;
    while (this.chunk === null || this.chunkPos >= this.chunk.length) {
      if (this.done) return 0;
      if (!(await this.pull())) return 0;
    }
    const n = Math.min(length, this.chunk.length - this.chunkPos);
    buf.set(this.chunk.subarray(this.chunkPos, this.chunkPos + n), offset);
    this.chunkPos += n;
    this.bytesOut += n;
    return n;
  }

  /** Fetch the next decompressed chunk; false (and done) at the end, on error or on a bomb. */
  private async pull(): Promise<boolean> {
    let r: IteratorResult<InflatedChunk>;
    try {
      r = await this.it.next();
    } catch (e) {
      const truncated = zlibCode(e) === 'Z_BUF_ERROR';
      const key = truncated ? 'capture.gzip_truncated' : 'capture.gzip_error';
      const msg = e instanceof Error ? e.message : String(e);
      this.failure = msg;
      this.truncatedStream = truncated;
      this.opts.diag.add(key, truncated ? 'warning' : 'anomaly', { file: this.opts.fileIndex, detail: `${this.opts.path}: ${msg}` });
      await this.stop();
      return false;
    }
    if (r.done === true) {
      this.done = true;
      return false;
    }
    this.chunk = r.value.data;
    this.chunkPos = 0;
    const out = this.bytesOut + r.value.data.length;
    const inBytes = Math.max(1, r.value.consumed);
    if (out > RATIO_GRACE_BYTES && out / inBytes > this.opts.maxDecompressionRatio) {
      this.failure = 'decompression ratio limit';
      this.opts.diag.add('capture.gzip_ratio', 'limit', {
        file: this.opts.fileIndex,
        detail: `${this.opts.path}: decompressed ${out} bytes from ${inBytes} (ratio > ${this.opts.maxDecompressionRatio}); rest of the file ignored`,
      });
      await this.stop();
      return false;
    }
    return true;
  }

  private async stop(): Promise<void> {
    this.done = true;
    this.chunk = null;
    await this.it.return(undefined);
  }

  async close(): Promise<void> {
    if (!this.done) await this.stop();
    await this.raw.close();
  }
}
