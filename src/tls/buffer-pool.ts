/**
 * A small free list of byte buffers by power-of-two size class, for handshake messages that span
 * TCP segments (a Certificate chain usually does). Buffers are taken when such a message starts
 * and returned as soon as it has been decoded, so a busy capture reuses a handful of buffers
 * instead of allocating one per message. Bounded: at most `perClass` free buffers per class and
 * classes up to `maxPooled` bytes (larger buffers are allocated and dropped normally).
 * Single-threaded use only (the packet pass is synchronous).
 */
export class BufferPool {
  private readonly free: Uint8Array[][] = [];

  constructor(
    private readonly perClass = 2,
    private readonly maxPooled = 256 * 1024,
  ) {}

  /** A buffer of at least `n` bytes (contents undefined). */
  acquire(n: number): Uint8Array {
    if (n > this.maxPooled) return new Uint8Array(n);
    const c = sizeClass(n);
    const list = this.free[c];
    if (list !== undefined && list.length > 0) return list.pop()!;
    return new Uint8Array(1 << c);
  }

  release(b: Uint8Array): void {
    if (b.length > this.maxPooled || (b.length & (b.length - 1)) !== 0) return;
    const c = sizeClass(b.length);
    const list = this.free[c] ?? (this.free[c] = []);
    if (list.length < this.perClass) list.push(b);
  }
}

/** log2 of the smallest power of two ≥ max(n, 1024). */
function sizeClass(n: number): number {
  let c = 10;
  while (1 << c < n) c++;
  return c;
}

/** The pool shared by all handshake assemblers. */
export const sharedBufferPool = new BufferPool();
