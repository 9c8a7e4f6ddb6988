import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** SHA-256 of a file's bytes (lower-case hex), or null when it cannot be read (e.g. a folder). */
export async function hashFile(path: string): Promise<string | null> {
  try {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
    return h.digest('hex');
  } catch {
    return null;
  }
}
