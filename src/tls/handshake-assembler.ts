/**
 * Second-level reassembly (Wireshark tls_hs_reassembly_table, Zeek SendHandshake): handshake
 * messages (RFC 8446 §4: msg_type(1) length(3) body) spanning records, and several per record.
 *
 * Bytes arrive as record-body fragments of one direction. A message wholly inside one fragment is
 * delivered as a view (no copy); otherwise, if its type is wanted, it is copied into a buffer of
 * its declared length, capped at `maxBytes` (the rest is treated as missing). Unwanted types are
 * skipped without buffering. Lost bytes inside a message leave a hole: the message is delivered
 * with `validEnd` at the first hole. Lost bytes covering a message header lose the message
 * boundary until the next handshake record starts with a plausible header.
 */
import { isKnownHandshakeType } from './registry/handshake-types.js';
import { sharedBufferPool } from './buffer-pool.js';

export interface MessageSink {
  /**
   * One complete (or cut) handshake message of one direction. `buf` is null for skipped types;
   * the body is `buf[start .. end)` with `end - start === length` except when capped; bytes from
   * `validEnd` on are missing. The view is valid only during the call.
   */
  handshakeMessage(dir: number, type: number, length: number, buf: Uint8Array | null, start: number, end: number, validEnd: number): void;
  /** a wanted message longer than the cap (limit.handshake_bytes) */
  handshakeTooLarge(dir: number, type: number, length: number): void;
}

const EMPTY = new Uint8Array(0);
/**
 * First buffer for a message that spans records or segments (a certificate chain of a few KB fits);
 * it grows with the bytes that arrive, up to the message's declared length (capped): a header
 * declaring 1 MiB followed by a few bytes holds a few KB, not 1 MiB (5,000 such connections took
 * 4 s and 250 MB, the buffers allocated in full and zero-filled).
 */
const FIRST_BUFFER = 4096;

export class HandshakeAssembler {
  /** a message header cut by a record or segment boundary, packed big-endian */
  private hdrBits = 0;
  private hdrLen = 0;
  private type = 0;
  private len = 0;
  private got = 0;
  /** pooled buffer (may be longer than `cap`, or shorter until the bytes arrive) */
  private buf: Uint8Array | null = null;
  /** bytes of the message kept: min(length, maxBytes) */
  private cap = 0;
  private hole = -1;
  private skipping = false;
  /** message boundary lost; waiting for the next record start */
  private desync = false;
  /** the next header is a guess (first message of a record after a desync) */
  private probing = false;

  constructor(
    private readonly dir: number,
    private readonly sink: MessageSink,
    private readonly wants: (type: number) => boolean,
    private readonly maxBytes: number,
  ) {}

  /** bytes of buffer held (counted against the global buffer budget) */
  get buffered(): number {
    return this.buf === null ? 0 : Math.min(this.buf.length, this.cap);
  }

  /** A message is partly assembled. */
  get midMessage(): boolean {
    return this.hdrLen > 0 && !this.desync;
  }

  /** type of the message being assembled (valid when midMessage) */
  get currentType(): number {
    return this.hdrLen === 4 ? this.type : -1;
  }

  /** `received of declared bytes` of the message being assembled, for notes */
  get progress(): string {
    return this.hdrLen === 4 ? `${this.got} of ${this.len} bytes` : 'header only';
  }

  get lostBoundary(): boolean {
    return this.desync;
  }

  /** A new handshake record starts (used to regain message boundaries after a desync). */
  recordStart(): void {
    if (this.desync) {
      this.desync = false;
      this.probing = true;
      this.hdrLen = 0;
    }
  }

  push(b: Uint8Array, s: number, e: number): void {
    while (s < e && !this.desync) {
      if (this.hdrLen < 4) {
        if (this.hdrLen === 0 && e - s >= 4) {
          this.type = b[s];
          this.len = (b[s + 1] << 16) | (b[s + 2] << 8) | b[s + 3];
          s += 4;
        } else {
          if (this.hdrLen === 0) this.hdrBits = 0;
          while (this.hdrLen < 4 && s < e) { this.hdrBits = ((this.hdrBits << 8) | b[s++]) >>> 0; this.hdrLen++; }
          if (this.hdrLen < 4) return;
          this.type = this.hdrBits >>> 24;
          this.len = this.hdrBits & 0xffffff;
        }
        this.hdrLen = 4;
        if (this.probing) {
          this.probing = false;
          if (!isKnownHandshakeType(this.type)) { this.desync = true; this.hdrLen = 0; return; }
        }
        s = this.begin(b, s, e);
        continue;
      }
      const n = Math.min(this.len - this.got, e - s);
      let buf = this.buf;
      if (buf !== null && this.got < this.cap) {
        const m = Math.min(n, this.cap - this.got);
        if (this.got + m > buf.length) buf = this.grow(this.got + m);
        buf.set(b.subarray(s, s + m), this.got);
      }
      this.got += n;
      s += n;
      if (this.got === this.len) this.complete();
    }
  }

  /** Header read: deliver directly when the body is all here, else start buffering or skipping. */
  private begin(b: Uint8Array, s: number, e: number): number {
    this.got = 0;
    this.hole = -1;
    this.skipping = !this.wants(this.type);
    if (!this.skipping && e - s >= this.len) {
      this.hdrLen = 0;
      this.sink.handshakeMessage(this.dir, this.type, this.len, b, s, s + this.len, s + this.len);
      return s + this.len;
    }
    if (!this.skipping) {
      if (this.len > this.maxBytes) this.sink.handshakeTooLarge(this.dir, this.type, this.len);
      this.cap = Math.min(this.len, this.maxBytes);
      this.buf = sharedBufferPool.acquire(Math.min(this.cap, FIRST_BUFFER));
    }
    if (this.len === 0) this.complete();
    return s;
  }

  /** A buffer holding at least `need` bytes (at most `cap`), the bytes received so far copied over. */
  private grow(need: number): Uint8Array {
    const old = this.buf as Uint8Array;
    const nb = sharedBufferPool.acquire(Math.min(this.cap, Math.max(need, old.length * 2)));
    nb.set(old.subarray(0, Math.min(this.got, old.length)));
    sharedBufferPool.release(old);
    this.buf = nb;
    return nb;
  }

  private complete(): void {
    const buf = this.buf;
    this.buf = null;
    this.hdrLen = 0;
    if (this.skipping) {
      this.sink.handshakeMessage(this.dir, this.type, this.len, null, 0, 0, 0);
      return;
    }
    if (buf === null) { // zero-length message
      this.sink.handshakeMessage(this.dir, this.type, 0, EMPTY, 0, 0, 0);
      return;
    }
    const valid = Math.min(this.hole >= 0 ? this.hole : this.len, this.cap);
    try {
      this.sink.handshakeMessage(this.dir, this.type, this.len, buf, 0, this.len, valid);
    } finally {
      sharedBufferPool.release(buf);
    }
  }

  /** `n` bytes of this direction's handshake stream were lost. */
  gap(n: number): void {
    if (this.desync || n <= 0) return;
    if (this.hdrLen < 4) { this.loseBoundary(); return; }
    const k = Math.min(n, this.len - this.got);
    if (this.hole < 0) this.hole = this.got;
    this.got += k;
    if (this.got === this.len) this.complete();
    if (n > k) this.loseBoundary();
  }

  private loseBoundary(): void {
    this.desync = true;
    this.hdrLen = 0;
    this.drop();
  }

  private drop(): void {
    if (this.buf !== null) sharedBufferPool.release(this.buf);
    this.buf = null;
  }

  /**
   * End of data (or the direction stops being parsed): a wanted message still being assembled is
   * delivered cut (validEnd = bytes received), so a truncated Certificate is not lost.
   */
  flushPartial(): void {
    if (!this.desync && this.hdrLen === 4 && !this.skipping && this.buf !== null && this.got > 0) {
      if (this.hole < 0) this.hole = this.got;
      this.got = this.len;
      this.complete();
    }
    this.reset();
  }

  /** Drop any partial message; message boundaries are regained at the next handshake record. */
  reset(): void {
    this.hdrLen = 0;
    this.drop();
    this.desync = true; // also stops a push() in progress (the session may finish mid-record)
    this.probing = false;
  }
}
