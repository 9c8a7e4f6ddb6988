/**
 * Bounds-checked big-endian reader over `buf[pos .. end)` (tcpdump GET_* / extract.h idea): every
 * read checks the window first and throws `DecodeError('truncated', layer, ...)` instead of reading
 * past it. Cold path only (one reader per TLS message); the per-packet path never throws.
 */
import { DecodeError } from '../diagnostics/decode-error.js';

/** bytes turned into text per String.fromCharCode call (well under any engine's argument limit) */
const LATIN1_CHUNK = 4096;

export class ByteReader {
  constructor(
    readonly buf: Uint8Array,
    public pos: number,
    readonly end: number,
    /** layer named in errors, e.g. `tls.client_hello` */
    readonly layer: string,
  ) {
    if (pos < 0 || end > buf.length || pos > end) {
      throw new DecodeError('bad_window', layer, `window ${pos}..${end} of ${buf.length}`);
    }
  }

  static of(buf: Uint8Array, layer: string): ByteReader {
    return new ByteReader(buf, 0, buf.length, layer);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new DecodeError('truncated', this.layer, `${what}: need ${n} bytes at ${this.pos}, have ${this.end - this.pos}`);
    }
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const b = this.buf, p = this.pos;
    this.pos = p + 2;
    return (b[p] << 8) | b[p + 1];
  }

  u24(what = 'u24'): number {
    this.need(3, what);
    const b = this.buf, p = this.pos;
    this.pos = p + 3;
    return (b[p] << 16) | (b[p + 1] << 8) | b[p + 2];
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const b = this.buf, p = this.pos;
    this.pos = p + 4;
    return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
  }

  /**
   * A vector's length prefix of `w` bytes; errors name it "`what` length". (Callers pass the vector's
   * name, not a "… length" string built per call: that was a string allocation per vector decoded.)
   */
  lengthPrefix(w: 1 | 2 | 3, what: string): number {
    if (this.pos + w > this.end) {
      throw new DecodeError('truncated', this.layer, `${what} length: need ${w} bytes at ${this.pos}, have ${this.end - this.pos}`);
    }
    const b = this.buf, p = this.pos;
    this.pos = p + w;
    return w === 1 ? b[p] : w === 2 ? (b[p] << 8) | b[p + 1] : (b[p] << 16) | (b[p + 1] << 8) | b[p + 2];
  }

  skip(n: number, what = 'skip'): void {
    this.need(n, what);
    this.pos += n;
  }

  /** A view (no copy) of the next `n` bytes. */
  bytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A child reader over the next `n` bytes; the parent moves past them. */
  sub(n: number, what = 'sub'): ByteReader {
    this.need(n, what);
    const r = new ByteReader(this.buf, this.pos, this.pos + n, this.layer);
    this.pos += n;
    return r;
  }

  /** The next `n` bytes as a byte-preserving (latin1) string: SNI and ALPN are kept as sent. */
  latin1(n: number, what = 'string'): string {
    this.need(n, what);
    // a chunk of bytes per fromCharCode call (one string each), not one string per byte
    let s = '';
    for (let i = this.pos, e = this.pos + n; i < e; i += LATIN1_CHUNK) {
      s += String.fromCharCode.apply(null, this.buf.subarray(i, Math.min(e, i + LATIN1_CHUNK)) as unknown as number[]);
    }
    this.pos += n;
    return s;
  }

  fail(code: string, detail: string): never {
    throw new DecodeError(code, this.layer, detail);
  }
}
