/**
 * Positional inputs → what they are, by magic bytes (never by extension): a capture (pcap,
 * pcapng, or gzip of one), an archive (tar, gzip of tar, zip), a folder (must hold at least one
 * capture or archive), a log (text) or a PEM file. Problems that stop the run are UsageErrors:
 * missing / unreadable path or a folder without captures → ExitCode.inputMissing; an empty or
 * unrecognised file → ExitCode.notCapture.
 */
import { stat } from 'node:fs/promises';
import { ExitCode, UsageError } from '../errors.js';
import { DEFAULT_LIMITS } from '../options.js';
import { classifyMember } from './classify.js';
import { listFolder, sniffFile } from './files.js';
import { isCaptureKind, isContainerKind, type Sniffed } from './sniff.js';

export interface ResolvedInput {
  path: string;
  kind: 'capture' | 'archive' | 'folder' | 'log' | 'pem';
}

function fsMessage(err: unknown): { code: string; msg: string } {
  const code = (err as { code?: string }).code ?? '';
  const msg = err instanceof Error ? err.message : String(err);
  return { code, msg };
}

async function statOrThrow(p: string): Promise<Awaited<ReturnType<typeof stat>>> {
  try {
    return await stat(p);
  } catch (err) {
    const { code } = fsMessage(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`input not found: ${p}`, ExitCode.inputMissing);
    throw new UsageError(`cannot read ${p} (${code || 'error'})`, ExitCode.inputMissing);
  }
}

async function sniffOrThrow(p: string): Promise<{ outer: Sniffed; inner: Sniffed }> {
  try {
    return await sniffFile(p, DEFAULT_LIMITS.maxDecompressionRatio);
  } catch (err) {
    const { code } = fsMessage(err);
    throw new UsageError(`cannot read ${p} (${code || 'error'})`, ExitCode.inputMissing);
  }
}

function kindOf(s: { outer: Sniffed; inner: Sniffed }): ResolvedInput['kind'] | null {
  if (isCaptureKind(s.inner)) return 'capture';
  if (isContainerKind(s.inner)) return 'archive';
  if (s.inner === 'pem') return 'pem';
  if (s.inner === 'text') return 'log';
  return null;
}

/** Does the folder hold a capture or an archive (by name or by content)? */
async function folderUsable(dir: string): Promise<boolean> {
  for (const f of await listFolder(dir)) {
    if (classifyMember(f) === 'capture') return true;
    try {
      const k = kindOf(await sniffFile(f, DEFAULT_LIMITS.maxDecompressionRatio));
      if (k === 'capture' || k === 'archive') return true;
    } catch {
      // unreadable file inside the folder: not usable, keep looking
    }
  }
  return false;
}

export async function resolveInputs(paths: string[]): Promise<ResolvedInput[]> {
  const out: ResolvedInput[] = [];
  for (const p of paths) {
    const st = await statOrThrow(p);
    if (st.isDirectory()) {
      let usable: boolean;
      try {
        usable = await folderUsable(p);
      } catch (err) {
        throw new UsageError(`cannot read ${p} (${fsMessage(err).code || 'error'})`, ExitCode.inputMissing);
      }
      if (!usable) throw new UsageError(`no capture found in ${p}`, ExitCode.inputMissing);
      out.push({ path: p, kind: 'folder' });
      continue;
    }
    if (!st.isFile()) throw new UsageError(`not a regular file: ${p}`, ExitCode.notCapture);
    if (st.size === 0) throw new UsageError(`${p} is empty`, ExitCode.notCapture);
    const s = await sniffOrThrow(p);
    const kind = kindOf(s);
    if (kind === null) {
      const what = s.outer === 'gzip' ? `gzip of ${s.inner} data` : ['bzip2', 'xz', '7z'].includes(s.outer) ? `${s.outer} (not supported; use tar.gz, tar or zip)` : 'unrecognised data';
      throw new UsageError(`${p}: not a capture, bundle or log we recognise (${what})`, ExitCode.notCapture);
    }
    out.push({ path: p, kind });
  }
  return out;
}
