/**
 * Buffer machinery shared by the pcap and pcapng readers: records are parsed in place from large
 * reused buffers, with read-ahead so that file I/O overlaps packet processing.
 *
 * Two buffers of `headroom + bufferSize` bytes. Reads always land at [headroom, headroom+n) of the
 * spare buffer while the current one is parsed; on refill the unconsumed tail (at most one partial
 * record) is copied just before the new bytes, the buffers swap, and the next read starts at once.
 * A tail longer than the headroom (a huge pcapng block) takes a slow path: the current buffer is
 * compacted (copyWithin) and grown, bounded by `maxBuffer`. No per-packet allocation, no concat.
 */
import type { Diagnostics } from '../diagnostics/diagnostics.js';
import type { Limits } from '../options.js';
import type { ByteSource, CountingSource } from './byte-source.js';
import { newCaptureStats, type CaptureReader, type CaptureStats } from './capture-reader.js';
import type { PacketRecord } from './packet-record.js';

export interface ReaderInit {
  path: string;
  fileIndex: number;
  limits: Limits;
  diag: Diagnostics;
  /** where decompressed/plain bytes come from */
  src: ByteSource;
  /** counts the raw bytes (compressed when gzip) for `stats.bytesRead` */
  counter: CountingSource;
  compressed: boolean;
  /** true when the source ended because the (gzip) stream was cut short */
  sourceTruncated: () => boolean;
  /** bytes already read from `src` while sniffing (the start of the capture) */
  head: Uint8Array;
  /** bytes per read */
  bufferSize: number;
  /** room kept before each read for the unconsumed tail (≥ the largest usual record) */
  headroom: number;
  /** largest record/block accepted, in bytes (bounds buffer growth) */
  maxBuffer: number;
  /** overlap reads with parsing (two buffers); false = one buffer, read on demand */
  readAhead: boolean;
}

/*
 * Read buffers of closed readers, by size, for the next reader. A folder or bundle of forty 20 MB captures
 * is read one file after another; each reader's two 2.3 MB buffers left for the garbage collector (it does
 * not hurry for external memory) peaked at 185 MB. One pair per size is kept.
 */
const POOL_PER_SIZE = 2;
const POOL_SIZES = 4;
const bufferPool = new Map<number, Uint8Array[]>();

function takeBuffer(size: number): Uint8Array {
  return bufferPool.get(size)?.pop() ?? new Uint8Array(size);
}

function giveBuffer(b: Uint8Array, size: number): void {
  if (b.length !== size) return; // grown for a huge record: not a standard buffer
  let list = bufferPool.get(size);
  if (list === undefined) {
    if (bufferPool.size >= POOL_SIZES) bufferPool.clear();
    bufferPool.set(size, (list = []));
  }
  if (list.length < POOL_PER_SIZE) list.push(b);
}

const NO_BYTES = new Uint8Array(0);

export abstract class BufferedReader implements CaptureReader {
  abstract readonly format: 'pcap' | 'pcapng';
  readonly path: string;
  readonly fileIndex: number;
  readonly compressed: boolean;
  protected readonly limits: Limits;
  protected readonly diag: Diagnostics;
  /** current buffer: unconsumed bytes are buf[pos..end) */
  protected buf: Uint8Array;
  protected dv: DataView;
  protected pos: number;
  protected end: number;
  /** stream offset of buf[0] (for diagnostics) */
  protected base: number;
  /** bytes needed at `pos` for next() to make progress (set when next() returns false) */
  protected need = 0;
  /** the source is exhausted (no more reads) */
  protected eof = false;
  /** the file was abandoned (framing lost) or finished: next() and fill() return false */
  protected stopped = false;
  private spare: Uint8Array | null;
  private spareDv: DataView | null;
  private pending: Promise<number> | null = null;
  private readonly src: ByteSource;
  private readonly counter: CountingSource;
  private readonly sourceTruncated: () => boolean;
  private readonly bufferSize: number;
  private readonly headroom: number;
  private readonly maxBuffer: number;
  private closed = false;
  /** size of the standard (pooled) buffers */
  private readonly size: number;
  // Per-packet counters live in plain numeric fields (a `number | null` field would box a new
  // HeapNumber on every store); the `stats` getter folds them in.
  private readonly statsObj: CaptureStats = newCaptureStats();
  private nPackets = 0;
  private nBytes = 0;
  private minTs = Infinity;
  private maxTs = -Infinity;

  constructor(init: ReaderInit) {
    this.path = init.path;
    this.fileIndex = init.fileIndex;
    this.compressed = init.compressed;
    this.limits = init.limits;
    this.diag = init.diag;
    this.src = init.src;
    this.counter = init.counter;
    this.sourceTruncated = init.sourceTruncated;
    this.bufferSize = init.bufferSize;
    this.headroom = init.headroom;
    // the largest record, plus one read appended behind its partial tail on the slow path
    this.maxBuffer = init.maxBuffer + init.headroom + init.bufferSize;
    const size = Math.max(init.headroom + init.bufferSize, init.headroom + init.head.length);
    this.size = size;
    this.buf = takeBuffer(size);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.spare = init.readAhead ? takeBuffer(size) : null;
    this.spareDv = this.spare === null ? null : new DataView(this.spare.buffer, this.spare.byteOffset, this.spare.byteLength);
    this.buf.set(init.head, init.headroom);
    this.pos = init.headroom;
    this.end = init.headroom + init.head.length;
    this.base = -init.headroom;
    this.statsObj.bytesRead = init.counter.count;
  }

  /** Counters so far (always current; the same object is returned each time). */
  get stats(): CaptureStats {
    const s = this.statsObj;
    s.packets = this.nPackets;
    s.bytes = this.nBytes;
    s.firstMicros = this.nPackets > 0 ? this.minTs : null;
    s.lastMicros = this.nPackets > 0 ? this.maxTs : null;
    return s;
  }

  abstract next(rec: PacketRecord): boolean;

  async fill(): Promise<boolean> {
    if (this.stopped) return false;
    if (this.eof) return this.finish();
    const n = await this.readMore();
    this.statsObj.bytesRead = this.counter.count;
    if (this.stopped) return false;
    if (n > 0) return true;
    this.eof = true;
    // End of input just seen with bytes left: give next() one more look now that `eof` is known
    // (a record ending exactly at EOF can then be accepted while resynchronising).
    if (this.end > this.pos) return true;
    return this.finish();
  }

  /** Bring in the next bytes (awaiting the read-ahead when there is one); returns their count. */
  private async readMore(): Promise<number> {
    const H = this.headroom;
    if (this.spare === null) return this.readInPlace();
    const pending = this.pending ?? this.startRead();
    this.pending = null;
    const n = await pending;
    if (n <= 0 || this.stopped) return n;
    const spare = this.spare, tail = this.end - this.pos;
    if (tail <= H) {
      spare.set(this.buf.subarray(this.pos, this.end), H - tail);
      this.base += this.pos - (H - tail);
      this.spare = this.buf;
      this.buf = spare;
      const dv = this.dv;
      this.dv = this.spareDv as DataView;
      this.spareDv = dv;
      this.pos = H - tail;
      this.end = H + n;
    } else {
      // slow path: a partial record longer than the headroom stays in (a grown) current buffer
      if (!this.compact(tail + n)) return 0;
      this.buf.set(spare.subarray(H, H + n), this.end);
      this.end += n;
    }
    if (!(await this.satisfyNeed())) return 0;
    if (!this.eof) this.pending = this.startRead();
    return n;
  }

  /**
   * A record larger than what one read brings (big pcapng block, tiny test buffers): make room for
   * all of it once and read it straight in, so assembling it costs one copy of its tail, not one
   * per read. Reads stop at EOF (the record is then reported truncated).
   */
  private async satisfyNeed(): Promise<boolean> {
    if (this.end - this.pos >= this.need) return true;
    if (this.pos + this.need > this.buf.length && !this.compact(this.need)) return false;
    while (this.end - this.pos < this.need) {
      const n = await this.src.read(this.buf, this.end, this.buf.length - this.end);
      if (n <= 0) { this.eof = true; break; }
      this.end += n;
    }
    return true;
  }

  private startRead(): Promise<number> {
    const p = this.src.read(this.spare as Uint8Array, this.headroom, this.bufferSize);
    p.catch(() => undefined); // awaited later; never an unhandled rejection meanwhile
    return p;
  }

  /** No read-ahead: compact and read straight into the free space of the only buffer. */
  private async readInPlace(): Promise<number> {
    const tail = this.end - this.pos;
    if (!this.compact(tail + this.bufferSize)) return 0;
    const n = await this.src.read(this.buf, this.end, this.buf.length - this.end);
    if (n <= 0) return n;
    this.end += n;
    return (await this.satisfyNeed()) ? n : 0;
  }

  /**
   * Move the unconsumed bytes to the front of the current buffer, growing it (up to maxBuffer) so
   * that `want` bytes fit, and at least the `need` of the record being assembled.
   */
  private compact(want: number): boolean {
    const tail = this.end - this.pos;
    const size = Math.max(want, this.need);
    if (size > this.buf.length) {
      if (size > this.maxBuffer) {
        this.stop('capture.record_too_large', `record of ${this.need} bytes exceeds the buffer cap ${this.maxBuffer}`);
        return false;
      }
      const nb = new Uint8Array(Math.min(this.maxBuffer, Math.max(size, this.buf.length * 2)));
      nb.set(this.buf.subarray(this.pos, this.end));
      this.buf = nb;
      this.dv = new DataView(nb.buffer);
    } else if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.end);
    }
    this.base += this.pos;
    this.pos = 0;
    this.end = tail;
    return true;
  }

  /** At end of input: a partial record left over means the file was cut short. */
  private finish(): false {
    if (!this.stopped) {
      this.stopped = true;
      const left = this.end - this.pos;
      if (left > 0 || this.sourceTruncated()) this.statsObj.truncated = true;
      if (left > 0) {
        this.diag.add('capture.truncated', 'warning', {
          file: this.fileIndex,
          packet: this.nPackets + 1,
          detail: `${this.path}: ${left} byte(s) of an incomplete ${this.format === 'pcap' ? 'record' : 'block'} at the end of the file`,
        });
      }
    }
    return false;
  }

  /** Abandon the rest of the file (framing is lost): one diagnostic, one decode error. */
  protected stop(key: string, detail: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.statsObj.decodeErrors++;
    this.diag.add(key, 'anomaly', { file: this.fileIndex, packet: this.nPackets + 1, detail: `${this.path}: ${detail}` });
  }

  /** Count a record/block that could not be read (framing intact). */
  protected countDecodeError(): void {
    this.statsObj.decodeErrors++;
  }

  /** Per-packet bookkeeping (inlined by V8). */
  protected account(caplen: number, ts: number): void {
    this.nPackets++;
    this.nBytes += caplen;
    if (ts < this.minTs) this.minTs = ts;
    if (ts > this.maxTs) this.maxTs = ts;
  }

  protected addLinkType(lt: number): void {
    const lts = this.statsObj.linkTypes;
    if (!lts.includes(lt)) lts.push(lt);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopped = true;
    const pending = this.pending;
    this.pending = null;
    if (pending !== null) await pending.catch(() => 0);
    await this.src.close();
    // no read is in flight any more: the buffers go back to the pool for the next file
    giveBuffer(this.buf, this.size);
    if (this.spare !== null) giveBuffer(this.spare, this.size);
    this.buf = NO_BYTES;
    this.spare = null;
    this.dv = new DataView(NO_BYTES.buffer);
    this.spareDv = null;
    this.pos = this.end = 0;
  }
}
