/**
 * One direction of a TCP connection: turns segments (in any order, duplicated, overlapping) into
 * an in-order byte stream with explicit gaps (gopacket reassembly Stream / ScatterGather idea).
 *
 * - In-order bytes are passed on as views of the packet (no copy); only out-of-order segments are
 *   copied, capped per direction (`maxOutOfOrderBytesPerDirection`).
 * - Overlaps: bytes already delivered win (retransmissions are trimmed); among buffered segments
 *   the lower sequence number is delivered first and later copies are trimmed (deterministic).
 * - A gap is declared (and skipped, its exact size reported) when the peer acknowledged data we
 *   never saw, when the out-of-order cap overflows, or at flush; snaplen-truncated payload is a gap
 *   of `payloadMissing` bytes right after the captured bytes.
 * Sequence comparisons are modulo 2^32 (sequence.ts).
 */
import { seqAdd, seqDiff } from './sequence.js';

export interface StreamConsumer {
  /** in-order bytes `b[s .. e)`, a view valid only during the call */
  push(dir: number, b: Uint8Array, s: number, e: number): void;
  /** `n` bytes missing at this point; `why`: capture, snaplen, limit */
  gap(dir: number, n: number, why: string): void;
  /** the consumer wants no more data */
  readonly done: boolean;
}

interface Segment {
  seq: number;
  data: Uint8Array;
  /** bytes on the wire after `data` that were not captured (snaplen) */
  missing: number;
}

/**
 * What a buffered segment costs beyond its bytes, counted against the out-of-order caps (per direction
 * and in all): its record, the copy's typed array and ArrayBuffer with its backing store, ~500 bytes
 * measured on Node 20 (300 flows × 3,000 one-byte segments sent backwards: 447 MB). Counted as data
 * only, such a capture kept 256 K records per direction for 256 KiB of "data", and ~450 MB under the
 * 64 MiB global budget; a 1,460-byte segment now counts as 1,972 (~190 KiB of data per direction).
 */
export const SEGMENT_OVERHEAD = 512;

/** Segments further than this from the expected sequence number are ignored (not this connection's). */
const MAX_WINDOW = 1 << 30;

export const SegmentResult = { ok: 0, retransmission: 1, outOfWindow: 2, oooOverflow: 3 } as const;
export type SegmentResult = (typeof SegmentResult)[keyof typeof SegmentResult];

export class HalfStream {
  /** next expected sequence number (valid once started) */
  nextSeq = 0;
  started = false;
  /** the SYN of this direction was seen: the stream start is known */
  startKnown = false;
  private peerAck = 0;
  private peerAckValid = false;
  private ooo: Segment[] | null = null;
  /** bytes held in out-of-order segments, each counted with SEGMENT_OVERHEAD more */
  oooBytes = 0;
  /** total bytes reported missing */
  missingBytes = 0;

  constructor(
    readonly dir: number,
    private readonly maxOutOfOrder: number,
  ) {}

  /** Start at a known initial sequence number (the SYN's); data begins at isn + 1. */
  startAt(isn: number): void {
    if (this.started) return;
    this.nextSeq = seqAdd(isn, 1);
    this.started = true;
    this.startKnown = true;
  }

  /** The other direction acknowledged up to `ack` (exclusive). */
  peerAcked(ack: number, c: StreamConsumer): void {
    if (!this.peerAckValid || seqDiff(ack, this.peerAck) > 0) {
      this.peerAck = ack;
      this.peerAckValid = true;
    }
    const q = this.ooo;
    if (q !== null && q.length > 0 && seqDiff(this.peerAck, q[0].seq) >= 0) this.skipToBuffered(c, 'capture');
  }

  /** A segment with payload `b[s .. e)` (+ `missing` uncaptured bytes) at sequence number `seq`. */
  segment(seq: number, b: Uint8Array, s: number, e: number, missing: number, c: StreamConsumer): SegmentResult {
    const wire = e - s + missing;
    if (!this.started) {
      this.nextSeq = seq;
      this.started = true;
    }
    const rel = seqDiff(seq, this.nextSeq);
    if (rel > MAX_WINDOW || rel < -MAX_WINDOW) return SegmentResult.outOfWindow;
    if (rel <= 0) {
      if (rel + wire <= 0) return SegmentResult.retransmission;
      this.deliver(b, s - rel, e, missing, c);
      this.drain(c);
      return SegmentResult.ok;
    }
    // ahead of what we have: the bytes in between were lost in the capture if the peer got them
    if (this.peerAckValid && seqDiff(this.peerAck, seq) >= 0) {
      this.gapTo(seq, c, 'capture');
      this.deliver(b, s, e, missing, c);
      this.drain(c);
      return SegmentResult.ok;
    }
    if (this.oooBytes + e - s + SEGMENT_OVERHEAD > this.maxOutOfOrder) {
      // cap reached: stop waiting for the hole; jump to the earliest data we have (a buffered segment at
      // the same sequence number included: the first copy of a byte wins, as everywhere in the queue)
      const q = this.ooo;
      if (q !== null && q.length > 0 && seqDiff(q[0].seq, seq) <= 0) {
        this.skipToBuffered(c, 'limit');
        this.segment(seq, b, s, e, missing, c); // terminates: the queue shrank
      } else {
        this.gapTo(seq, c, 'limit');
        this.deliver(b, s, e, missing, c);
        this.drain(c);
      }
      return SegmentResult.oooOverflow;
    }
    this.buffer(seq, b.slice(s, e), missing);
    return SegmentResult.ok;
  }

  /** End of the connection: deliver everything buffered, reporting the holes. */
  flush(c: StreamConsumer): void {
    while (this.ooo !== null && this.ooo.length > 0 && !c.done) this.skipToBuffered(c, 'capture');
    this.ooo = null;
    this.oooBytes = 0;
  }

  /** Drop buffered data (the connection is finished or evicted). */
  release(): void {
    this.ooo = null;
    this.oooBytes = 0;
  }

  /** Deliver `b[from .. e)` then `missing` uncaptured bytes; `from` may lie beyond `e` (overlap into the missing part). */
  private deliver(b: Uint8Array, from: number, e: number, missing: number, c: StreamConsumer): void {
    if (c.done) return;
    if (from < e) {
      c.push(this.dir, b, from, e);
      this.nextSeq = seqAdd(this.nextSeq, e - from);
    } else if (from > e) {
      missing -= from - e; // the overlap also covered some of the uncaptured bytes
    }
    if (missing > 0) {
      this.missingBytes += missing;
      this.nextSeq = seqAdd(this.nextSeq, missing);
      if (!c.done) c.gap(this.dir, missing, 'snaplen');
    }
  }

  private gapTo(seq: number, c: StreamConsumer, why: string): void {
    const n = seqDiff(seq, this.nextSeq);
    if (n <= 0) return;
    this.missingBytes += n;
    this.nextSeq = seq;
    if (!c.done) c.gap(this.dir, n, why);
  }

  /** Declare the hole before the earliest buffered segment and deliver what follows. */
  private skipToBuffered(c: StreamConsumer, why: string): void {
    const q = this.ooo;
    if (q === null || q.length === 0) return;
    this.gapTo(q[0].seq, c, why);
    this.drain(c);
  }

  /** Deliver buffered segments that are now in order. */
  private drain(c: StreamConsumer): void {
    const q = this.ooo;
    if (q === null) return;
    while (q.length > 0) {
      const g = q[0];
      const rel = seqDiff(g.seq, this.nextSeq);
      if (rel > 0) break;
      q.shift();
      this.oooBytes -= g.data.length + SEGMENT_OVERHEAD;
      if (rel + g.data.length + g.missing <= 0) continue;
      this.deliver(g.data, -rel, g.data.length, g.missing, c);
    }
  }

  private buffer(seq: number, data: Uint8Array, missing: number): void {
    const q = this.ooo ?? (this.ooo = []);
    // after the last segment that does not start later (binary search: the queue is in sequence order)
    let lo = 0, hi = q.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seqDiff(q[mid].seq, seq) > 0) hi = mid;
      else lo = mid + 1;
    }
    const i = lo;
    const prev = i > 0 ? q[i - 1] : null;
    // an exact duplicate (or a shorter copy) of a buffered segment adds nothing
    if (prev !== null && prev.seq === seq && prev.data.length >= data.length) return;
    q.splice(i, 0, { seq, data, missing });
    this.oooBytes += data.length + SEGMENT_OVERHEAD;
  }
}
