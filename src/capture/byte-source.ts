/**
 * Byte sources: the only async I/O boundary of the capture readers. A reader pulls bytes into its
 * own reused buffer with `read(buf, offset, length)` (like read(2): fewer bytes than asked is
 * normal, 0 means end of input), so no chunk objects are retained and nothing is concatenated.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { ExitCode, UsageError } from '../errors.js';

export interface ByteSource {
  /** Copy up to `length` bytes into `buf[offset..]`; resolves to the count, 0 at end of input. */
  read(buf: Uint8Array, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
  /** total size in bytes when known (plain files), else null */
  readonly size: number | null;
}

function errno(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

function inputError(path: string, e: unknown): never {
  const code = errno(e);
  const why =
    code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file' :
    code === 'EACCES' || code === 'EPERM' ? 'permission denied' :
    code === 'EISDIR' ? 'is a directory, not a capture file' :
    code === 'ELOOP' ? 'too many symbolic links' : null;
  if (why === null) throw e;
  throw new UsageError(`${path}: ${why}`, ExitCode.inputMissing);
}

class FileByteSource implements ByteSource {
  private closed = false;
  constructor(private readonly fh: FileHandle, readonly size: number | null, private readonly path: string) {}

  async read(buf: Uint8Array, offset: number, length: number): Promise<number> {
    if (this.closed || length <= 0) return 0;
    try {
      const { bytesRead } = await this.fh.read(buf, offset, length, null);
      return bytesRead;
    } catch (e) {
      return inputError(this.path, e);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }
}

/**
 * Open a plain file for sequential reading.
 * @throws UsageError(ExitCode.inputMissing) when the path is missing, unreadable or a directory.
 */
export async function fileByteSource(path: string): Promise<ByteSource> {
  let fh: FileHandle;
  try {
    const st = await stat(path);
    if (st.isDirectory()) inputError(path, { code: 'EISDIR' });
    fh = await open(path, 'r');
  } catch (e) {
    return inputError(path, e);
  }
  try {
    const st = await fh.stat();
    return new FileByteSource(fh, st.isFile() ? st.size : null, path);
  } catch (e) {
    await fh.close();
    return inputError(path, e);
  }
}

class IterableByteSource implements ByteSource {
  private readonly it: AsyncIterator<Uint8Array>;
  private chunk: Uint8Array | null = null;
  private chunkPos = 0;
  private done = false;

  constructor(iterable: AsyncIterable<Uint8Array>, readonly size: number | null) {
    this.it = iterable[Symbol.asyncIterator]();
  }

  async read(buf: Uint8Array, offset: number, length: number): Promise<number> {
    if (length <= 0) return 0;
    while (this.chunk === null || this.chunkPos >= this.chunk.length) {
      if (this.done) return 0;
      const r = await this.it.next();
      if (r.done === true) {
        this.done = true;
        this.chunk = null;
        return 0;
      }
      this.chunk = r.value;
      this.chunkPos = 0;
    }
    const n = Math.min(length, this.chunk.length - this.chunkPos);
    buf.set(this.chunk.subarray(this.chunkPos, this.chunkPos + n), offset);
    this.chunkPos += n;
    return n;
  }

  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.chunk = null;
    if (typeof this.it.return === 'function') await this.it.return(undefined);
  }
}

/** Adapt any async iterable of chunks (a tar member, a stream, a test array) to a ByteSource. */
export function iterableByteSource(it: AsyncIterable<Uint8Array>, size: number | null = null): ByteSource {
  return new IterableByteSource(it, size);
}

/** A ByteSource that counts the bytes it hands out (progress, gzip ratio). */
export class CountingSource implements ByteSource {
  count = 0;
  constructor(private readonly inner: ByteSource) {}
  get size(): number | null {
    return this.inner.size;
  }
  async read(buf: Uint8Array, offset: number, length: number): Promise<number> {
    const n = await this.inner.read(buf, offset, length);
    this.count += n;
    return n;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
