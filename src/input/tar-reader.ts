/**
 * Sequential tar entries (POSIX.1-1988 ustar, pax extended headers, GNU long names, base-256
 * sizes) read with the `tar-stream` package: it already handles those header variants, which a
 * hand-written ustar reader would have to re-implement; it is a dependency anyway. Nothing is
 * extracted to disk. Each entry is handed out as a Shield so the caller may stop reading it early:
 * the entry is drained before the next header is parsed (the format is sequential).
 * Only regular files are yielded; corrupt headers or a truncated archive end the walk, counted.
 */
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { Diagnostics } from '../diagnostics/diagnostics.js';
import { safeChunks, Shield, type Chunks } from './streams.js';

export interface TarEntry {
  name: string;
  size: number | null;
  body: Shield;
}

/** Longest member name kept; control characters are replaced. */
export const MAX_NAME_CHARS = 1024;

/** Printable, bounded member name; counts `archive.bad_name` when it had to change. */
export function cleanName(raw: string, diag: Diagnostics, where: string): string {
  let s = raw.replace(/[\x00-\x1f\x7f]/g, '?');
  if (s.length > MAX_NAME_CHARS) s = `${s.slice(0, MAX_NAME_CHARS)}…`;
  if (s === '') s = '(unnamed)';
  if (s !== raw) diag.add('archive.bad_name', 'anomaly', { detail: `${where}: ${JSON.stringify(s.slice(0, 120))}` });
  return s;
}

export async function* readTar(src: Chunks, diag: Diagnostics, where: string): AsyncGenerator<TarEntry> {
  // allowUnknownFormat (v7 headers without the ustar magic) is an option of tar-stream 3 missing from its typings
  const extract = tar.extract({ allowUnknownFormat: true } as Parameters<typeof tar.extract>[0]);
  const input = Readable.from(src, { objectMode: false });
  input.on('error', (e) => extract.destroy(e));
  input.pipe(extract);
  const entries = extract[Symbol.asyncIterator]();
  let count = 0;
  try {
    for (;;) {
      let r: IteratorResult<unknown>;
      try {
        r = await entries.next();
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        const key = /unexpected end|premature/i.test(msg) ? 'archive.truncated' : 'archive.tar_error';
        diag.add(key, 'anomaly', { detail: `${where}: ${msg}`.slice(0, 300) });
        return;
      }
      if (r.done) break;
      // a streamx Readable: async-iterable at run time, not in its typings
      const entry = r.value as { header: tar.Header } & AsyncIterable<Uint8Array>;
      const h = entry.header;
      // a member cut short (truncated archive, absurd size) ends its stream; counted, not thrown
      const body = Shield.of(safeChunks(entry, (err) => {
        const msg = err instanceof Error ? err.message : String(err);
        diag.add('archive.truncated', 'anomaly', { detail: `${where}: ${h.name.slice(0, 200)}: ${msg}`.slice(0, 300) });
      }));
      if (h.type !== 'file' && h.type !== 'contiguous-file' && h.type !== null && h.type !== undefined) {
        await body.drain();
        continue;
      }
      count++;
      const size = typeof h.size === 'number' && Number.isFinite(h.size) && h.size >= 0 ? h.size : null;
      yield { name: cleanName(h.name, diag, where), size, body };
      await body.drain();
    }
    if (count === 0) diag.add('archive.empty', 'warning', { detail: where });
  } finally {
    input.unpipe(extract);
    input.destroy();
    extract.destroy();
  }
}
