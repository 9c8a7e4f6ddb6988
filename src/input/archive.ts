/**
 * Diagnostic bundles as streams: tar.gz / tar / zip files and extracted folders, never extracted
 * to disk. The container is detected by magic bytes; gzip members are decompressed (bomb guard:
 * limits.maxDecompressionRatio); a tar/zip member (or gzip of one) is opened one level deep with
 * names `outer!inner`; non-capture members are capped at limits.maxMemberBytes.
 *
 * Order: archive members are yielded in archive order, not re-sorted (tar/zip are sequential and
 * a stream cannot be reordered without buffering; a tar made from a directory may list a rotated
 * capture series in any order, so a consumer that needs per-interface order must merge by time).
 * Folders are listed in natural order (`eth0_…tcpdump2` before `…tcpdump10`), nested archives in
 * place. Folder files whose name and content give no role (xstat dumps, READMEs) are not yielded;
 * archive members always are.
 *
 * Each member's `stream` must be consumed or abandoned before asking for the next member; an
 * abandoned member is drained here. Stream contents are decompressed (a `.pcap.gz` member yields
 * pcap bytes; `size` is then null).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Diagnostics } from '../diagnostics/diagnostics.js';
import type { Limits } from '../options.js';
import { classifyMember, type MemberRole } from './classify.js';
import { decompress } from './decompress.js';
import { fileChunks, listFolder, sniffFile } from './files.js';
import { isCaptureKind, isContainerKind, SNIFF_BYTES, sniff } from './sniff.js';
import { capBytes, peek, safeChunks, Shield, type Chunks } from './streams.js';
import { readTar } from './tar-reader.js';
import { readCentralSizes, readZip } from './zip-reader.js';

export { classifyMember, type MemberRole } from './classify.js';
export { resolveInputs, type ResolvedInput } from './resolve-inputs.js';

export interface ArchiveMember {
  /** path inside the archive (nested: outer!inner); for folders the file path */
  name: string;
  /** uncompressed size when known */
  size: number | null;
  role: MemberRole;
  /** member bytes; must be consumed or abandoned before the next member */
  stream: AsyncIterable<Uint8Array>;
  /**
   * A folder's capture file (pcap or pcapng, gzipped or not), to be read from disk by its path: the
   * capture readers read a file straight into their buffers, which a stream of chunks cannot match
   * (a folder of 21 × 50 MB parts took 2.2-2.5 s through the stream, against 1.4 s for one file).
   * `stream` is then empty.
   */
  file?: string;
}

const NO_CHUNKS: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => ({ next: async () => ({ value: undefined, done: true }) }) };

export interface ReadArchiveOptions {
  limits: Limits;
  diag: Diagnostics;
}

/** nesting followed: the outer archive is depth 0, an archive inside it depth 1 */
const MAX_DEPTH = 1;

export async function* readArchive(path: string, opts: ReadArchiveOptions): AsyncGenerator<ArchiveMember> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) yield* readFolder(path, opts);
    else yield* readContainerFile(path, '', 0, opts);
  } catch (err) {
    opts.diag.add('archive.read_error', 'abandoned', { detail: `${path}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300) });
  }
}

async function* readFolder(dir: string, opts: ReadArchiveOptions): AsyncGenerator<ArchiveMember> {
  for (const f of await listFolder(dir, opts.diag)) {
    let kinds;
    try {
      kinds = await sniffFile(f, opts.limits.maxDecompressionRatio);
    } catch (err) {
      opts.diag.add('archive.read_error', 'anomaly', { detail: `${f}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300) });
      continue;
    }
    if (isContainerKind(kinds.inner) && classifyMember(f) !== 'capture') {
      // an archive in a folder is read as if it had been given itself (its own nesting allowed)
      yield* readContainerFile(f, `${f}!`, 0, opts);
      continue;
    }
    const role = classifyMember(f);
    if (role === 'other' && !isCaptureKind(kinds.inner)) continue;
    const size = kinds.outer === 'gzip' ? null : (await stat(f)).size;
    if ((role === 'capture' || role === 'other') && isCaptureKind(kinds.inner)) {
      yield { name: f, size, role: 'capture', stream: NO_CHUNKS, file: f };
      continue;
    }
    const raw = fileChunks(f);
    const body = safeChunks(raw, (err) => opts.diag.add('archive.read_error', 'anomaly', { detail: `${f}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300) }));
    yield* emitMember(f, size, new Shield(body[Symbol.asyncIterator]()), MAX_DEPTH, opts);
    await raw.return(undefined);
  }
}

/** A tar / tar.gz / zip file (or, failing that, the file itself as one member). */
async function* readContainerFile(path: string, prefix: string, depth: number, opts: ReadArchiveOptions): AsyncGenerator<ArchiveMember> {
  const kinds = await sniffFile(path, opts.limits.maxDecompressionRatio);
  if (kinds.outer === 'zip') {
    const cd = await readCentralSizes(path, opts.diag);
    const raw = fileChunks(path);
    yield* walkZip(raw, prefix, depth, opts, cd, path);
    await raw.return(undefined);
    return;
  }
  const raw = fileChunks(path);
  try {
    if (kinds.inner === 'tar' || kinds.inner === 'zip') {
      const src: Chunks = kinds.outer === 'gzip' ? decompress('gzip', raw, { maxRatio: opts.limits.maxDecompressionRatio, diag: opts.diag, name: path }) : raw;
      if (kinds.inner === 'tar') yield* walkTar(src, prefix, depth, opts, path);
      else yield* walkZip(src, prefix, depth, opts, undefined, path);
      return;
    }
    opts.diag.add('archive.not_an_archive', 'warning', { detail: `${path}: ${kinds.outer}${kinds.outer === 'gzip' ? ` of ${kinds.inner}` : ''}; read as one file` });
    yield* emitMember(prefix === '' ? basename(path) : prefix.slice(0, -1), null, new Shield(raw), MAX_DEPTH, opts);
  } finally {
    await raw.return(undefined);
  }
}

async function* walkTar(src: Chunks, prefix: string, depth: number, opts: ReadArchiveOptions, where: string): AsyncGenerator<ArchiveMember> {
  for await (const e of readTar(src, opts.diag, where)) yield* emitMember(prefix + e.name, e.size, e.body, depth, opts);
}

async function* walkZip(
  src: Chunks, prefix: string, depth: number, opts: ReadArchiveOptions, cd: Map<number, number> | undefined, where: string,
): AsyncGenerator<ArchiveMember> {
  for await (const e of readZip(src, opts.diag, where, cd)) {
    if (e.method === 0) {
      yield* emitMember(prefix + e.name, e.size, e.body, depth, opts);
      continue;
    }
    const inflated = decompress('deflate-raw', e.body, { maxRatio: opts.limits.maxDecompressionRatio, diag: opts.diag, name: prefix + e.name });
    yield* emitMember(prefix + e.name, e.size, new Shield(inflated), depth, opts);
    await inflated.return(undefined);
  }
}

/**
 * One member: sniff it (through gunzip when gzip), open it when it is a nested archive and depth
 * allows, else hand it out capped (non-captures) and close its decoders afterwards. The raw body
 * is drained by the container walker.
 */
async function* emitMember(name: string, size: number | null, body: Shield, depth: number, opts: ReadArchiveOptions): AsyncGenerator<ArchiveMember> {
  const { diag, limits } = opts;
  let { head, stream } = await peek(body, SNIFF_BYTES);
  let kind = sniff(head);
  let outSize = size;
  if (kind === 'gzip') {
    ({ head, stream } = await peek(decompress('gzip', stream, { maxRatio: limits.maxDecompressionRatio, diag, name }), SNIFF_BYTES));
    kind = sniff(head);
    outSize = null;
  }
  let role = classifyMember(name);
  if (isContainerKind(kind) && role !== 'capture') {
    if (depth < MAX_DEPTH) {
      if (kind === 'tar') yield* walkTar(stream, `${name}!`, depth + 1, opts, name);
      else yield* walkZip(stream, `${name}!`, depth + 1, opts, undefined, name);
      return;
    }
    diag.add('archive.nested_too_deep', 'warning', { detail: `${name}: archive inside a nested archive not opened` });
  }
  if (role === 'other' && isCaptureKind(kind)) role = 'capture';
  const capped: Chunks = role === 'capture' ? stream : capBytes(stream, limits.maxMemberBytes, () => {
    diag.add('limit.member_bytes', 'limit', { detail: `${name}: truncated at ${limits.maxMemberBytes} bytes` });
  });
  const safe = safeChunks(capped, (err) => {
    diag.add('archive.read_error', 'anomaly', { detail: `${name}: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300) });
  });
  const it = safe[Symbol.asyncIterator]();
  yield { name, size: outSize, role, stream: new Shield(it) };
  try {
    await it.return?.(undefined);
  } catch {
    // a decoder that failed while closing has already counted its problem
  }
}
