/**
 * Inflate (gzip, RFC 1952 with concatenated members, or raw DEFLATE, RFC 1951) as a stream of output
 * chunks, each with the count of compressed bytes zlib had consumed when it came out (for the bomb
 * guards). Two engines with the same output and the same errors:
 *
 * - `worker: false`: a node:zlib stream on this thread. zlib inflates on libuv's thread pool, but each
 *   output chunk is a round trip through this thread's event loop: while the packet pass is busy, zlib
 *   waits. A 1.1 GB capture (.gz of 0.8 GB) took 5.8 s where zlib alone needs ~4 s.
 * - `worker: true`: the same zlib stream in a worker thread of its own, whose event loop has nothing
 *   else to do, so zlib runs ahead of the consumer on the second core while this thread parses packets.
 *   Bounded: at most IN_WINDOW compressed bytes sent and not yet consumed, and MAX_OUT output chunks
 *   handed over and not yet taken by the consumer. Output buffers are moved, not copied, when zlib
 *   filled them whole; input buffers too when the caller hands them over (`ownedInput`).
 *   Starting a worker costs tens of milliseconds: `inflateInWorkerFor` keeps it for large inputs.
 *
 * A zlib failure is thrown as the Error zlib raised (message and `code`, e.g. Z_BUF_ERROR for a
 * truncated stream) after every chunk inflated before it; a failure of the input is rethrown as it is.
 */
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { constants as zlibConstants, createGunzip, createInflateRaw, type Gunzip, type InflateRaw } from 'node:zlib';

export type InflateKind = 'gzip' | 'deflate-raw';

export interface InflatedChunk {
  data: Uint8Array;
  /** compressed bytes consumed by zlib when this chunk came out */
  consumed: number;
}

export interface InflateOptions {
  /** output bytes per chunk (zlib's chunkSize) */
  chunkSize: number;
  /** inflate in a worker thread (see the module comment) */
  worker: boolean;
  /**
   * the input chunks are handed over: nothing else reads or writes them once yielded, so a chunk that
   * spans its whole ArrayBuffer is moved to the worker instead of copied (its buffer is detached)
   */
  ownedInput?: boolean;
  /**
   * the consumer is done with a chunk's data when it asks for the next one: in a worker, the buffer
   * then goes back to it for reuse (and is detached here)
   */
  recycle?: boolean;
}

/** Compressed inputs at least this large are inflated in a worker (the worker's start costs ~40 ms). */
export const INFLATE_WORKER_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Whether to inflate `compressedBytes` (null: unknown size, e.g. a member of an archive) in a worker.
 * TLS_EXTRACT_INFLATE_WORKER=1 uses one for every input and =0 for none (to measure or test either
 * engine).
 */
export function inflateInWorkerFor(compressedBytes: number | null, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.TLS_EXTRACT_INFLATE_WORKER;
  if (force === '0') return false;
  if (force === '1') return true;
  return compressedBytes !== null && compressedBytes >= INFLATE_WORKER_MIN_BYTES;
}

export function inflateChunks(kind: InflateKind, src: AsyncIterable<Uint8Array>, opts: InflateOptions): AsyncGenerator<InflatedChunk> {
  return opts.worker ? inflateInWorker(kind, src, opts) : inflateHere(kind, src, opts.chunkSize);
}

async function* inflateHere(kind: InflateKind, src: AsyncIterable<Uint8Array>, chunkSize: number): AsyncGenerator<InflatedChunk> {
  const z = kind === 'gzip' ? createGunzip({ chunkSize }) : createInflateRaw({ chunkSize });
  const it = src[Symbol.asyncIterator]();
  const input = Readable.from({ [Symbol.asyncIterator]: () => it }, { objectMode: false });
  input.on('error', (e) => z.destroy(e));
  // end only once every chunk written is inflated (see endAfterWrites)
  input.on('end', () => endAfterWrites(z));
  input.pipe(z, { end: false });
  try {
    for await (const c of z) yield { data: c as Buffer, consumed: z.bytesWritten };
  } finally {
    input.unpipe(z);
    input.destroy();
    z.destroy();
    await returnQuietly(it);
  }
}

/**
 * End a zlib stream once the chunks written to it are inflated. zlib inflates a chunk that is still
 * waiting when end() comes with Z_FINISH: when the stream is cut short, that call fails as a whole and
 * the output of the chunk's complete blocks is lost with it (up to a whole input chunk of packets
 * before the cut, whenever the consumer was behind). A flush queued behind the writes first makes them
 * inflate with the normal flag.
 */
function endAfterWrites(z: Gunzip | InflateRaw): void {
  z.flush(zlibConstants.Z_SYNC_FLUSH, () => {
    if (!z.destroyed) z.end();
  });
}

async function returnQuietly(it: AsyncIterator<Uint8Array>): Promise<void> {
  try {
    await it.return?.(undefined);
  } catch {
    // the input's own failure was already reported, or nobody waits for it any more
  }
}

/** compressed bytes sent to the worker and not yet consumed by its zlib */
const IN_WINDOW = 2 * 1024 * 1024;
/** output chunks handed over by the worker and not yet taken by the consumer */
const MAX_OUT = 4;

/** zlib output chunks between two full collections in the worker */
const GC_EVERY = 4;

/*
 * The worker: a zlib stream fed by 'in' messages (acknowledged with 'ack', the buffer sent back, once
 * zlib consumed them, which is what paces the input), its output posted as 'out' and paused after
 * MAX_OUT chunks until a 'credit' comes back for one. With `recycle` the output is copied into
 * MAX_OUT buffers that go round between the threads (the credit brings one back): no garbage on the
 * consumer's side. Without, a chunk that is a whole zlib output buffer is moved (zlib allocates a new
 * one right after handing out a full one, lib/zlib.js processCallback), any other is copied. Plain
 * CommonJS, run with eval, so it needs no file next to the bundled CLI.
 */
const WORKER_SOURCE = `'use strict';
(() => { // a scope of its own: nothing here may clash with a global (node --expose-gc defines gc)
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const { kind, chunkSize, maxOut, recycle, gcEvery } = workerData;
const z = kind === 'gzip' ? zlib.createGunzip({ chunkSize }) : zlib.createInflateRaw({ chunkSize });
// zlib's output buffers die here (copied, or moved away): a full collection now and then frees them;
// left to V8, up to its external-memory allowance (64 MB) of them would wait for a collection
let collect = null;
try { require('node:v8').setFlagsFromString('--expose-gc'); collect = require('node:vm').runInNewContext('gc'); } catch { collect = null; }
let chunks = 0;
let out = 0;
let failed = false;
const pool = [];
z.on('data', (b) => {
  if (collect !== null && ++chunks % gcEvery === 0) collect({ type: 'minor' });
  let ab;
  if (recycle) {
    ab = pool.length > 0 ? pool.pop() : new ArrayBuffer(chunkSize);
    new Uint8Array(ab, 0, b.length).set(b);
  } else if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) {
    ab = b.buffer;
  } else {
    const c = Buffer.allocUnsafeSlow(b.length);
    b.copy(c);
    ab = c.buffer;
  }
  parentPort.postMessage({ t: 'out', buf: ab, len: b.length, consumed: z.bytesWritten }, [ab]);
  if (++out >= maxOut) z.pause();
});
z.on('end', () => { parentPort.postMessage({ t: 'end' }); });
z.on('error', (e) => {
  if (failed) return;
  failed = true;
  const err = e || {};
  parentPort.postMessage({ t: 'error', message: String(err.message ?? err), code: err.code == null ? null : String(err.code), errno: typeof err.errno === 'number' ? err.errno : null });
});
parentPort.on('message', (m) => {
  if (failed) return;
  if (m.t === 'in') {
    const len = m.len;
    const buf = m.buf;
    z.write(new Uint8Array(buf, 0, len), (err) => { if (!err && !failed) parentPort.postMessage({ t: 'ack', len, buf }, [buf]); });
  } else if (m.t === 'eof') {
    // as endAfterWrites: the chunks written first inflate with the normal flag, then the end
    z.flush(zlib.constants.Z_SYNC_FLUSH, () => { if (!z.destroyed) z.end(); });
  } else if (m.t === 'credit') {
    if (m.buf !== undefined) pool.push(m.buf);
    out--;
    if (out < maxOut && z.isPaused()) z.resume();
  }
});
})();
`;

interface WorkerMessage {
  t: 'out' | 'ack' | 'end' | 'error';
  buf?: ArrayBuffer;
  len?: number;
  consumed?: number;
  message?: string;
  code?: string | null;
  errno?: number | null;
}

function zlibError(m: WorkerMessage): Error {
  const e = new Error(m.message ?? 'zlib error') as Error & { code?: string; errno?: number };
  if (m.code !== null && m.code !== undefined) e.code = m.code;
  if (m.errno !== null && m.errno !== undefined) e.errno = m.errno;
  return e;
}

async function* inflateInWorker(kind: InflateKind, src: AsyncIterable<Uint8Array>, opts: InflateOptions): AsyncGenerator<InflatedChunk> {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { kind, chunkSize: opts.chunkSize, maxOut: MAX_OUT, recycle: opts.recycle === true, gcEvery: GC_EVERY } });
  } catch {
    yield* inflateHere(kind, src, opts.chunkSize); // no thread to be had (resource limits): inflate here
    return;
  }
  worker.unref(); // never what keeps the process alive; terminated below in any case
  const it = src[Symbol.asyncIterator]();
  const ready: InflatedChunk[] = [];
  // set from the worker's messages (an object, so that the checks below are not narrowed away)
  const st: { ended: boolean; failure: { error: unknown } | null; stopped: boolean } = { ended: false, failure: null, stopped: false };
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    if (w !== null) w();
  };
  const fail = (error: unknown): void => {
    if (st.failure === null) st.failure = { error };
    notify();
  };

  let inFlight = 0;
  let srcDone = false;
  let pumping = false;
  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      while (!srcDone && !st.stopped && st.failure === null && inFlight < IN_WINDOW) {
        const r = await it.next();
        if (st.stopped) return;
        if (r.done === true) {
          srcDone = true;
          worker.postMessage({ t: 'eof' });
          return;
        }
        const c = r.value;
        if (c.length === 0) continue;
        let buf: ArrayBuffer;
        if (opts.ownedInput === true && c.buffer instanceof ArrayBuffer && c.byteOffset === 0 && c.byteLength === c.buffer.byteLength) {
          buf = c.buffer; // moved: a chunk handed over that is its whole buffer
        } else {
          const copy = new Uint8Array(c.length);
          copy.set(c);
          buf = copy.buffer;
        }
        inFlight += c.length;
        worker.postMessage({ t: 'in', buf, len: c.length }, [buf]);
      }
    } catch (e) {
      fail(e);
    } finally {
      pumping = false;
    }
  };

  worker.on('message', (m: WorkerMessage) => {
    switch (m.t) {
      case 'out':
        ready.push({ data: new Uint8Array(m.buf as ArrayBuffer, 0, m.len), consumed: m.consumed ?? 0 });
        break;
      case 'ack':
        inFlight -= m.len ?? 0;
        void pump();
        break;
      case 'end':
        st.ended = true;
        break;
      case 'error':
        fail(zlibError(m));
        return;
    }
    notify();
  });
  worker.on('error', (e) => fail(e));
  worker.on('exit', (code) => {
    if (!st.ended && !st.stopped) fail(new Error(`inflate worker stopped (exit code ${code})`));
  });

  void pump();
  try {
    for (;;) {
      const c = ready.shift();
      if (c !== undefined) {
        yield c;
        if (opts.recycle === true) {
          const buf = c.data.buffer as ArrayBuffer; // an ArrayBuffer from the worker's message
          worker.postMessage({ t: 'credit', buf }, [buf]);
        } else worker.postMessage({ t: 'credit' });
        continue;
      }
      if (st.failure !== null) throw st.failure.error;
      if (st.ended) return;
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  } finally {
    st.stopped = true;
    await worker.terminate();
    await returnQuietly(it);
  }
}
