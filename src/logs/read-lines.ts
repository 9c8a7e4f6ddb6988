/**
 * Streaming line splitter with a line-length cap (architecture §3.2: bounded everywhere).
 * Push-style: `push(chunk, onLine)` calls `onLine` synchronously for each complete line, so the
 * caller awaits once per chunk, not once per line. Lines end at LF; a CR before it is dropped.
 * Bytes past `maxLineBytes` are discarded (the line is delivered truncated, flagged).
 * Decoding is UTF-8, non-fatal (invalid bytes become U+FFFD); NUL and other bytes pass through.
 */
export type LineHandler = (text: string, lineNo: number, truncated: boolean) => void;

const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private parts: Uint8Array[] = [];
  private partsLen = 0;
  private truncated = false;
  private lineNo = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** physical lines delivered so far */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Uint8Array, onLine: LineHandler): void {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(LF, pos);
      if (nl < 0) {
        this.keep(chunk, pos, chunk.length);
        return;
      }
      if (this.parts.length === 0 && !this.truncated) {
        // fast path: the whole line is inside this chunk, decode straight from a view
        const cut = nl - pos > this.maxLineBytes;
        this.emit(chunk.subarray(pos, cut ? pos + this.maxLineBytes : nl), cut, onLine);
      } else {
        this.keep(chunk, pos, nl);
        this.deliver(onLine);
      }
      pos = nl + 1;
    }
  }

  /** Deliver a last line without a terminating LF (if any bytes are pending). */
  end(onLine: LineHandler): void {
    if (this.partsLen > 0 || this.truncated) this.deliver(onLine);
  }

  private keep(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    const room = this.maxLineBytes - this.partsLen;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const take = Math.min(room, to - from);
    if (take < to - from) this.truncated = true;
    // copy: the caller may reuse its chunk buffer
    this.parts.push(chunk.slice(from, from + take));
    this.partsLen += take;
  }

  private deliver(onLine: LineHandler): void {
    let bytes: Uint8Array;
    if (this.parts.length === 1) bytes = this.parts[0];
    else {
      bytes = new Uint8Array(this.partsLen);
      let o = 0;
      for (const p of this.parts) {
        bytes.set(p, o);
        o += p.length;
      }
    }
    const truncated = this.truncated;
    this.parts = [];
    this.partsLen = 0;
    this.truncated = false;
    this.emit(bytes, truncated, onLine);
  }

  private emit(bytes: Uint8Array, truncated: boolean, onLine: LineHandler): void {
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CR && !truncated) end--;
    const text = this.decoder.decode(end === bytes.length ? bytes : bytes.subarray(0, end));
    this.lineNo++;
    onLine(text, this.lineNo, truncated);
  }
}

/** Bytes of a file path or an async iterable, as an async iterable of chunks. */
export async function* chunksOf(src: AsyncIterable<Uint8Array> | string): AsyncGenerator<Uint8Array> {
  if (typeof src === 'string') {
    const { createReadStream } = await import('node:fs');
    for await (const c of createReadStream(src, { highWaterMark: 64 * 1024 })) yield c as Uint8Array;
    return;
  }
  yield* src;
}
