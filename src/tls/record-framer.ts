/**
 * First-level reassembly: one direction's TCP byte stream → TLS records (RFC 8446 §5.1) or
 * SSL 2.0 records (draft-hickman-netscape-ssl-00 §1.2), as a streaming state machine.
 *
 * Record bodies are never copied for TLS: the body is passed on in fragments as it arrives
 * (handshake bytes to the handshake assembler, alert bytes paired up, other types skipped), so the
 * only state kept between segments is a partial 5-byte header (gopacket ScatterGather.KeepFrom
 * idea, reduced to the header). SSL 2.0 records (hellos only, small) are kept whole.
 *
 * Before the first record, and after lost bytes that swallowed a record header, the framer
 * searches for a plausible header (see detect.ts), within a byte budget. Lost bytes inside a
 * record body are skipped exactly (their count is known from TCP sequence numbers).
 */
import { Sync, checkHelloRecord, checkRecordHeader, checkSslv2ClientHello, checkSslv2ServerHello, checkSyncPoint } from './detect.js';

export const RecordAction = { skip: 0, handshake: 1, alert: 2 } as const;
export type RecordAction = (typeof RecordAction)[keyof typeof RecordAction];

/** Where the framer found its footing. */
export const SyncKind = { start: 0, preamble: 1, resync: 2 } as const;
export type SyncKind = (typeof SyncKind)[keyof typeof SyncKind];

export interface RecordSink {
  /** A record header was read: decide what to do with the body. */
  recordHeader(dir: number, type: number, version: number, length: number): RecordAction;
  /** The body of that record is complete (`lost`: bytes of it that were missing). */
  recordEnd(dir: number, type: number, length: number, lost: number): void;
  handshakeBytes(dir: number, buf: Uint8Array, start: number, end: number): void;
  handshakeGap(dir: number, n: number): void;
  alert(dir: number, level: number, description: number): void;
  /** a whole SSL 2.0 record body; bytes from `validEnd` on were missing */
  sslv2Record(dir: number, buf: Uint8Array, start: number, end: number, validEnd: number): void;
  /** a record stream was found after `skipped` bytes of something else */
  synced(dir: number, kind: SyncKind, skipped: number): void;
  /** lost bytes swallowed a record header: searching again */
  lostSync(dir: number, missing: number): void;
  /** no TLS found within the budget (or an impossible header): this direction is not parsed further */
  gaveUp(dir: number, reason: string): void;
}

const Mode = { first: 0, search: 1, tls: 2, sslv2: 3, dead: 4 } as const;
type Mode = (typeof Mode)[keyof typeof Mode];
const Kind = { first: 0, hello: 1, any: 2 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

const CARRY = 16;
/** shared scratch for searching across a segment boundary (single-threaded, used synchronously) */
const scratch = new Uint8Array(2 * CARRY);

export class RecordFramer {
  private mode: Mode = Mode.first;
  private kind: Kind = Kind.first;
  private searched = 0;
  /**
   * Bytes kept across segments: the tail of a search window (`carryLen`), or a record header cut
   * by a segment boundary (`hdrLen`); never both. Allocated on first need (most flows never do).
   */
  private keep: Uint8Array | null = null;
  private carryLen = 0;
  private hdrLen = 0;
  private recType = 0;
  private recLen = 0;
  private remaining = 0;
  private lost = 0;
  private action: RecordAction = RecordAction.skip;
  private alertHold = -1;
  private v2buf: Uint8Array | null = null;
  private v2got = 0;
  private v2hole = -1;

  constructor(
    private readonly dir: number,
    private readonly sink: RecordSink,
    private readonly maxRecord: number,
    /** bytes searched for a first record / a resync point before giving up */
    private readonly budget: number,
    /** the stream start was seen (SYN): non-TLS bytes at the start are a preamble */
    private readonly startKnown: boolean,
  ) {}

  get dead(): boolean {
    return this.mode === Mode.dead;
  }

  get inSync(): boolean {
    return this.mode === Mode.tls || this.mode === Mode.sslv2;
  }

  /** Bytes copied and kept (SSL 2.0 record in progress). */
  get buffered(): number {
    return this.v2buf === null ? 0 : this.v2buf.length;
  }

  /** Stop parsing this direction. */
  close(): void {
    this.mode = Mode.dead;
    this.v2buf = null;
  }

  push(b: Uint8Array, s: number, e: number): void {
    while (s < e) {
      switch (this.mode) {
        case Mode.first:
        case Mode.search: s = this.search(b, s, e); break;
        case Mode.tls: s = this.tlsStep(b, s, e); break;
        case Mode.sslv2: s = this.v2Step(b, s, e); break;
        default: return;
      }
    }
  }

  /** `n` bytes of the stream are missing here. */
  gap(n: number): void {
    if (n <= 0) return;
    switch (this.mode) {
      case Mode.first:
      case Mode.search:
        // the lost bytes may have held the hello's header (after a preamble too): look for any record boundary
        this.carryLen = 0;
        this.mode = Mode.search;
        this.kind = Kind.any;
        return;
      case Mode.tls: this.tlsGap(n); return;
      case Mode.sslv2: this.v2Gap(n); return;
      default: return;
    }
  }

  private kept(): Uint8Array {
    return this.keep ?? (this.keep = new Uint8Array(CARRY));
  }

  // ---- search -------------------------------------------------------------------------------

  private check(b: Uint8Array, p: number, end: number): Sync {
    let r: Sync;
    if (this.kind === Kind.hello) return checkHelloRecord(b, p, end, this.maxRecord);
    if (this.kind === Kind.first) {
      r = checkRecordHeader(b, p, end, this.maxRecord);
    } else {
      r = checkSyncPoint(b, p, end, this.maxRecord);
    }
    if (r === Sync.yes || (this.kind === Kind.any)) return r;
    const c = checkSslv2ClientHello(b, p, end);
    if (c === Sync.yes) return c;
    const v = checkSslv2ServerHello(b, p, end);
    if (v === Sync.yes) return v;
    return r === Sync.more || c === Sync.more || v === Sync.more ? Sync.more : Sync.no;
  }

  private search(b: Uint8Array, s: number, e: number): number {
    if (this.carryLen > 0) {
      const c = this.carryLen;
      const m = Math.min(CARRY, e - s);
      scratch.set(this.kept().subarray(0, c), 0);
      scratch.set(b.subarray(s, s + m), c);
      for (let i = 0; i < c; i++) {
        const v = this.check(scratch, i, c + m);
        if (v === Sync.yes) {
          const head = scratch.slice(i, c); // the first bytes of the record (cold path: once per sync)
          this.found(scratch, i);
          this.carryLen = 0;
          this.push(head, 0, head.length);
          return s;
        }
        if (v === Sync.more) { // still undecided: the chunk was tiny, extend the carry
          const keep = Math.min(CARRY, c - i + m);
          this.kept().set(scratch.subarray(i, i + keep), 0);
          this.carryLen = keep;
          this.searched += i;
          return s + m;
        }
        if (this.kind === Kind.first) { this.notFirst(); }
      }
      this.searched += c;
      this.carryLen = 0;
    }
    for (let p = s; p < e; p++) {
      // (this.kind is re-read every step: a first byte that is not TLS turns a Kind.first search into
      // a Kind.hello one, which must then skip natively too, not try every byte of a 64 KB segment)
      if (this.kind === Kind.hello) {
        // a TLS hello record starts with content type 22: let the native byte search skip the rest
        // (plaintext preambles and non-TLS flows are scanned at memchr speed, not byte by byte)
        const q = indexIn(b, 0x16, p, e);
        if (q < 0 || q >= e) break;
        p = q;
      } else if (this.kind === Kind.any) {
        // a record header has major version 3 in its second byte: jump to the next 3 natively; the
        // last byte is still tried (its header may continue in the next segment)
        const q = indexIn(b, 3, p + 1, e);
        p = q < 0 || q >= e ? e - 1 : q - 1;
      }
      const v = this.check(b, p, e);
      if (v === Sync.yes) {
        this.searched += p - s;
        this.found(b, p);
        return p;
      }
      if (v === Sync.more) {
        this.kept().set(b.subarray(p, e), 0);
        this.carryLen = e - p;
        this.searched += p - s;
        return e;
      }
      if (this.kind === Kind.first) this.notFirst();
    }
    this.searched += e - s;
    if (this.searched > this.budget) {
      this.mode = Mode.dead;
      this.sink.gaveUp(this.dir, this.kind === Kind.hello ? 'no TLS handshake within the preamble limit' : 'no TLS record boundary found');
    }
    return e;
  }

  /** The first byte of the stream is not TLS: look for a hello after a preamble, or a record boundary. */
  private notFirst(): void {
    this.mode = Mode.search;
    this.kind = this.startKnown ? Kind.hello : Kind.any;
  }

  private found(b: Uint8Array, p: number): void {
    const kind = this.mode === Mode.first ? SyncKind.start : this.kind === Kind.hello ? SyncKind.preamble : SyncKind.resync;
    const v2 = (b[p] & 0x80) !== 0;
    this.mode = v2 ? Mode.sslv2 : Mode.tls;
    this.hdrLen = 0;
    this.remaining = 0;
    const skipped = this.searched;
    this.searched = 0;
    this.sink.synced(this.dir, kind, skipped);
  }

  private lose(missing: number): void {
    this.mode = Mode.search;
    this.kind = Kind.any;
    this.carryLen = 0;
    this.hdrLen = 0;
    this.remaining = 0;
    this.searched = 0;
    this.v2buf = null;
    this.sink.lostSync(this.dir, missing);
  }

  // ---- TLS records ----------------------------------------------------------------------------

  private tlsStep(b: Uint8Array, s: number, e: number): number {
    if (this.remaining === 0) {
      let h: Uint8Array, p: number;
      if (this.hdrLen === 0 && e - s >= 5) {
        h = b; p = s; s += 5;
      } else {
        const k = this.kept();
        while (this.hdrLen < 5 && s < e) k[this.hdrLen++] = b[s++];
        if (this.hdrLen < 5) return s;
        h = k; p = 0;
      }
      this.hdrLen = 0;
      if (checkRecordHeader(h, p, p + 5, this.maxRecord) !== Sync.yes) {
        this.mode = Mode.dead;
        this.sink.gaveUp(this.dir, `bad record header ${hexBytes(h, p, 5)}`);
        return e;
      }
      this.recType = h[p];
      this.recLen = (h[p + 3] << 8) | h[p + 4];
      this.remaining = this.recLen;
      this.lost = 0;
      this.alertHold = -1;
      this.action = this.sink.recordHeader(this.dir, this.recType, (h[p + 1] << 8) | h[p + 2], this.recLen);
      return s;
    }
    const n = Math.min(this.remaining, e - s);
    if (this.action === RecordAction.handshake) this.sink.handshakeBytes(this.dir, b, s, s + n);
    else if (this.action === RecordAction.alert) this.alertBytes(b, s, s + n);
    this.remaining -= n;
    if (this.remaining === 0) this.sink.recordEnd(this.dir, this.recType, this.recLen, this.lost);
    return s + n;
  }

  private alertBytes(b: Uint8Array, s: number, e: number): void {
    for (let i = s; i < e; i++) {
      if (this.alertHold < 0) this.alertHold = b[i];
      else { this.sink.alert(this.dir, this.alertHold, b[i]); this.alertHold = -1; }
    }
  }

  private tlsGap(n: number): void {
    if (this.remaining === 0) { this.lose(n); return; }
    const k = Math.min(n, this.remaining);
    if (this.action === RecordAction.handshake) this.sink.handshakeGap(this.dir, k);
    this.alertHold = -1;
    this.action = this.action === RecordAction.alert ? RecordAction.skip : this.action;
    this.remaining -= k;
    this.lost += k;
    if (this.remaining === 0) this.sink.recordEnd(this.dir, this.recType, this.recLen, this.lost);
    if (n > k) this.lose(n - k);
  }

  // ---- SSL 2.0 records ------------------------------------------------------------------------

  private v2Step(b: Uint8Array, s: number, e: number): number {
    if (this.remaining === 0) {
      if (this.hdrLen === 0 && b[s] >= 20 && b[s] <= 24) { this.mode = Mode.tls; return s; } // v2-compatible hello, then TLS
      const k = this.kept();
      const want = (this.hdrLen > 0 ? k[0] : b[s]) & 0x80 ? 2 : 3;
      while (this.hdrLen < want && s < e) k[this.hdrLen++] = b[s++];
      if (this.hdrLen < want) return s;
      this.recLen = want === 2 ? ((k[0] & 0x7f) << 8) | k[1] : ((k[0] & 0x3f) << 8) | k[1];
      this.hdrLen = 0;
      if (this.recLen === 0) { this.mode = Mode.dead; this.sink.gaveUp(this.dir, 'empty SSLv2 record'); return e; }
      this.remaining = this.recLen;
      this.v2got = 0;
      this.v2hole = -1;
      if (e - s >= this.recLen) { // whole record here: no copy
        this.remaining = 0;
        this.sink.sslv2Record(this.dir, b, s, s + this.recLen, s + this.recLen);
        return s + this.recLen;
      }
      this.v2buf = new Uint8Array(this.recLen);
      return s;
    }
    const n = Math.min(this.remaining, e - s);
    this.v2buf?.set(b.subarray(s, s + n), this.v2got);
    this.v2got += n;
    this.remaining -= n;
    if (this.remaining === 0) this.v2done();
    return s + n;
  }

  private v2done(): void {
    const buf = this.v2buf;
    this.v2buf = null;
    if (buf !== null) this.sink.sslv2Record(this.dir, buf, 0, buf.length, this.v2hole >= 0 ? this.v2hole : buf.length);
  }

  private v2Gap(n: number): void {
    if (this.remaining === 0 || this.v2buf === null) { this.lose(n); return; }
    const k = Math.min(n, this.remaining);
    if (this.v2hole < 0) this.v2hole = this.v2got;
    this.v2got += k;
    this.remaining -= k;
    if (this.remaining === 0) this.v2done();
    if (n > k) this.lose(n - k);
  }
}

/**
 * First index of `byte` in b[from, end), or -1. `b` is often a view of the capture reader's 4 MiB
 * buffer: a plain `b.indexOf(byte, from)` would scan on past `end` to the end of that buffer on
 * every miss (160 ms over the 1 GB benchmark). Short ranges are looped; long ones searched natively.
 */
export function indexIn(b: Uint8Array, byte: number, from: number, end: number): number {
  if (end - from <= 32) {
    for (let i = from; i < end; i++) if (b[i] === byte) return i;
    return -1;
  }
  const q = b.subarray(from, end).indexOf(byte);
  return q < 0 ? -1 : from + q;
}

function hexBytes(b: Uint8Array, p: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += (i ? ' ' : '') + b[p + i].toString(16).padStart(2, '0');
  return s;
}
