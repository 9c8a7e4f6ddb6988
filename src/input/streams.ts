/**
 * Small async-iterable helpers for archive members: peek at the first bytes without losing them,
 * a shield that lets a consumer stop early without closing the archive's sequential source, a byte
 * cap, drain, and an exact-length reader (for the ZIP local-header walker).
 */
export type Chunks = AsyncIterable<Uint8Array>;

/** An iterator whose `return()` does not close the source; `drain()` reads the source to its end. */
export class Shield implements AsyncIterable<Uint8Array> {
  private done = false;
  constructor(private readonly src: AsyncIterator<Uint8Array>) {}

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: async () => {
        if (this.done) return { value: undefined, done: true };
        const r = await this.src.next();
        if (r.done) this.done = true;
        return r;
      },
      return: async () => ({ value: undefined, done: true }),
    };
  }

  /** Consume and discard the rest of the source (errors end the drain quietly). */
  async drain(): Promise<void> {
    try {
      while (!this.done) {
        const r = await this.src.next();
        if (r.done) this.done = true;
      }
    } catch {
      this.done = true;
    }
  }

  /** Shield over an iterable (its iterator is created once). */
  static of(src: Chunks): Shield {
    return new Shield(src[Symbol.asyncIterator]());
  }
}

/** Read at least `n` bytes (or to the end) and return them with a stream that replays them first. */
export async function peek(src: Chunks, n: number): Promise<{ head: Uint8Array; stream: Chunks }> {
  const it = src[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let len = 0;
  let ended = false;
  while (len < n) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    if (r.value.length === 0) continue;
    parts.push(r.value);
    len += r.value.length;
  }
  const all = concat(parts, len);
  async function* replay(): AsyncGenerator<Uint8Array> {
    let done = ended;
    try {
      if (all.length > 0) yield all;
      if (done) return;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      done = true;
    } finally {
      // closing the replay closes the source (a Shield ignores it; a decoder releases zlib)
      if (!done) await it.return?.(undefined);
    }
  }
  return { head: all.subarray(0, Math.min(n, all.length)), stream: replay() };
}

export function concat(parts: Uint8Array[], len?: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const total = len ?? parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Pass at most `max` bytes; `onLimit` is called once when more were available. */
export async function* capBytes(src: Chunks, max: number, onLimit: () => void): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const c of src) {
    if (seen + c.length > max) {
      const rest = max - seen;
      if (rest > 0) yield c.subarray(0, rest);
      onLimit();
      return;
    }
    seen += c.length;
    yield c;
  }
}

/** Pass chunks through; a read error ends the stream and is reported instead of thrown. */
export async function* safeChunks(src: Chunks, onError: (err: unknown) => void): AsyncGenerator<Uint8Array> {
  try {
    for await (const c of src) yield c;
  } catch (err) {
    onError(err);
  }
}

export async function drain(src: Chunks): Promise<void> {
  for await (const _ of src) {
    // discard
  }
}

/**
 * Pull-based exact reads over a chunk iterator, tracking the byte position (for sequential formats
 * such as ZIP local headers). `stream(n)` hands out the next n bytes as chunks.
 */
export class ChunkReader {
  private buf: Uint8Array = new Uint8Array(0);
  private ended = false;
  /** bytes consumed so far */
  pos = 0;

  constructor(private readonly it: AsyncIterator<Uint8Array>) {}

  private async fill(n: number): Promise<boolean> {
    const parts = [this.buf];
    let len = this.buf.length;
    while (len < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      parts.push(r.value);
      len += r.value.length;
    }
    this.buf = concat(parts, len);
    return len >= n;
  }

  /** Exactly n bytes, or null at a premature end (whatever was left is consumed). */
  async read(n: number): Promise<Uint8Array | null> {
    if (!(await this.fill(n))) {
      this.pos += this.buf.length;
      this.buf = new Uint8Array(0);
      return null;
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    this.pos += n;
    return out;
  }

  /** The next n bytes as chunks; stops early at the end of input. */
  async *stream(n: number): AsyncGenerator<Uint8Array> {
    let left = n;
    while (left > 0) {
      if (this.buf.length === 0) {
        if (this.ended) return;
        const r = await this.it.next();
        if (r.done) {
          this.ended = true;
          return;
        }
        this.buf = r.value;
        continue;
      }
      const take = Math.min(left, this.buf.length);
      const out = this.buf.subarray(0, take);
      this.buf = this.buf.subarray(take);
      this.pos += take;
      left -= take;
      yield out;
    }
  }

  get atEnd(): boolean {
    return this.ended && this.buf.length === 0;
  }
}
