/**
 * Open a capture from a byte source: sniff the magic (never the file name), decompress gzip
 * transparently, and hand back the matching reader. Only an unusable file header throws (a
 * UsageError with ExitCode.notCapture); everything later in the file is data: counted, not thrown.
 */
import type { Diagnostics } from '../diagnostics/diagnostics.js';
import { ExitCode, UsageError } from '../errors.js';
import type { Limits } from '../options.js';
import { CountingSource, type ByteSource } from './byte-source.js';
import type { ReaderInit } from './buffered-reader.js';
import type { CaptureReader } from './capture-reader.js';
import { GunzipSource } from './gzip-source.js';
import { createPcapReader } from './pcap-reader.js';
import { createPcapngReader } from './pcapng-reader.js';
import { SNIFF_BYTES, sniffFormat } from './sniff.js';

/**
 * Default bytes per read: large enough that refills (the only awaits) are rare. With read-ahead a
 * reader holds two buffers of this size plus headroom (≈ 4.5 MiB with the default limits); reads of
 * 2 MiB measured as fast as 4 MiB ones on the bare reader loop, with half the memory.
 */
export const DEFAULT_BUFFER_SIZE = 2 * 1024 * 1024;
/** Read-buffer bytes shared by the files of one merge (a folder of a tcpdump series is read all at once). */
export const MERGE_READ_BUDGET = 16 * 1024 * 1024;

/**
 * Bytes per read for each of `files` readers merged together: 2 MiB each for up to four, then a share of
 * MERGE_READ_BUDGET (two buffers per reader), at least 64 KiB. Forty 20 MB files of an Expressway series
 * then hold ~30 MB of buffers (with their headroom), not 190 MB.
 */
export function mergeBufferSize(files: number): number {
  const share = Math.floor(MERGE_READ_BUDGET / (2 * Math.max(1, files)));
  return Math.max(64 * 1024, Math.min(DEFAULT_BUFFER_SIZE, share));
}

/** Smallest buffer accepted (tests use tiny buffers to exercise records straddling refills). */
export const MIN_BUFFER_SIZE = 64;
/** headroom beyond limits.maxPacketBytes: record/block headers and a few pcapng options */
const HEADROOM_SLACK = 256;

export interface OpenCaptureOptions {
  path: string;
  fileIndex: number;
  limits: Limits;
  diag: Diagnostics;
  /**
   * bytes per read (default 2 MiB). Each reader holds two buffers of bufferSize + headroom
   * (≈ limits.maxPacketBytes) for read-ahead; lower it when merging many files.
   */
  bufferSize?: number;
  /** overlap reads with packet processing (default true; false = one buffer) */
  readAhead?: boolean;
}

/** Read until `want` bytes are in buf[0..) or the source ends; returns the count. */
async function readHead(src: ByteSource, buf: Uint8Array, want: number): Promise<number> {
  let end = 0;
  while (end < want) {
    const n = await src.read(buf, end, want - end);
    if (n <= 0) break;
    end += n;
  }
  return end;
}

/**
 * Sniff and open a capture. On failure the source is closed and a UsageError is thrown:
 * `<path>: empty file` or `<path>: not a capture (pcap, pcapng or gzip of one)` (ExitCode.notCapture).
 */
export async function openCapture(src: ByteSource, opts: OpenCaptureOptions): Promise<CaptureReader> {
  const { path, limits } = opts;
  const bufferSize = Math.max(MIN_BUFFER_SIZE, Math.floor(opts.bufferSize ?? DEFAULT_BUFFER_SIZE));
  const counter = new CountingSource(src);
  let source: ByteSource = counter;
  let gz: GunzipSource | null = null;
  try {
    const want = SNIFF_BYTES;
    const sniffBuf = new Uint8Array(want);
    let end = await readHead(counter, sniffBuf, want);
    if (end === 0) throw new UsageError(`${path}: empty file`, ExitCode.notCapture);
    let format = sniffFormat(sniffBuf.subarray(0, end));
    if (format === 'gzip') {
      gz = new GunzipSource(counter, sniffBuf.slice(0, end), {
        path, fileIndex: opts.fileIndex, maxDecompressionRatio: limits.maxDecompressionRatio, diag: opts.diag,
      });
      source = gz;
      end = await readHead(gz, sniffBuf, want);
      if (end === 0 && gz.failure === null) throw new UsageError(`${path}: empty file`, ExitCode.notCapture);
      format = sniffFormat(sniffBuf.subarray(0, end));
    }
    const g = gz;
    const init: ReaderInit = {
      path, fileIndex: opts.fileIndex, limits, diag: opts.diag, src: source, counter, compressed: g !== null,
      sourceTruncated: () => g !== null && g.truncatedStream,
      head: sniffBuf.subarray(0, end),
      bufferSize,
      headroom: limits.maxPacketBytes + HEADROOM_SLACK,
      maxBuffer: format === 'pcap' ? 32 + limits.maxPacketBytes : limits.maxBlockBytes,
      readAhead: opts.readAhead ?? true,
    };
    if (format === 'pcap') return createPcapReader(init);
    if (format === 'pcapng') return createPcapngReader(init);
    throw new UsageError(`${path}: not a capture (pcap, pcapng or gzip of one)`, ExitCode.notCapture);
  } catch (e) {
    await source.close().catch(() => undefined);
    throw e;
  }
}
