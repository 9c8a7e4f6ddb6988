/**
 * Inflate (gzip, RFC 1952 with concatenated members, or raw DEFLATE, RFC 1951) as a stream of output
 * chunks, each with the count of compressed bytes zlib had consumed when it came out (for the bomb
 * guards). Shared by capture .gz files (capture/gzip-source.ts) and archives / gzip logs
 * (input/decompress.ts). zlib inflates on libuv's thread pool; a zlib failure is thrown as the Error
 * zlib raised (message and `code`, e.g. Z_BUF_ERROR for a truncated stream) after every chunk inflated
 * before it; a failure of the input is rethrown as it is.
 *
 * Inflating in a worker thread of its own was tried and measured (1.11 GB capture as .gz of 0.81 GB,
 * interleaved runs): 5.7-6.2 s against 5.9-6.2 s here, 1 s more CPU, and a .tar.gz bundle peaked at
 * 180 MiB instead of 115: node:zlib runs the inflate on the thread pool either way, so the worker only
 * moved the dispatch of each chunk; the wall time is the inflate (4.4 s alone) sharing two cores with
 * the packet pass and V8's compiler threads.
 */
import { Readable } from 'node:stream';
import { constants as zlibConstants, createGunzip, createInflateRaw } from 'node:zlib';

export type InflateKind = 'gzip' | 'deflate-raw';

export interface InflatedChunk {
  data: Uint8Array;
  /** compressed bytes consumed by zlib when this chunk came out */
  consumed: number;
}

/** `src` inflated in chunks of at most `chunkSize` bytes. Stopping early returns `src`'s iterator (soon after). */
export async function* inflateChunks(kind: InflateKind, src: AsyncIterable<Uint8Array>, chunkSize: number): AsyncGenerator<InflatedChunk> {
  const z = kind === 'gzip' ? createGunzip({ chunkSize }) : createInflateRaw({ chunkSize });
  const input = Readable.from(src, { objectMode: false });
  input.on('error', (e) => z.destroy(e));
  /*
   * The end of the input is not piped through: zlib inflates a chunk still waiting when end() comes with
   * Z_FINISH, and when the stream is cut short that call fails as a whole, its output lost with it (up
   * to an input chunk of packets before the cut, whenever the consumer was behind). So a flush queued
   * behind the writes inflates them with the normal flag first; and end() waits until the consumer has
   * taken every chunk out, since the error of a cut stream destroys it with what it still buffers.
   */
  let endPending = false;
  const endWhenDrained = (): void => {
    endPending = z.readableLength > 0;
    if (!endPending && !z.destroyed) z.end();
  };
  input.on('end', () => z.flush(zlibConstants.Z_SYNC_FLUSH, endWhenDrained));
  input.pipe(z, { end: false });
  try {
    for await (const c of z) {
      yield { data: c as Buffer, consumed: z.bytesWritten };
      if (endPending) endWhenDrained();
    }
  } finally {
    // destroying `input` returns `src`'s iterator (not awaited: a member of an archive may only move on
    // once its reader, who waits for us, goes on)
    input.unpipe(z);
    input.destroy();
    z.destroy();
  }
}
