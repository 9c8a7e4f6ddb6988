/**
 * Minimal streaming ZIP reader (PKWARE APPNOTE.TXT 6.3: §4.3.7 local file header, §4.3.9 data
 * descriptor, §4.3.12 central directory header, §4.3.16 end of central directory, §4.5.3 Zip64
 * extra field). Walks local file headers in order; methods 0 (stored) and 8 (deflate, via zlib
 * inflateRaw). Entries written with a data descriptor (flag bit 3, sizes 0 in the local header)
 * need their sizes from the central directory: available when the archive is a file on disk
 * (`cdSizes`), not for a ZIP nested in another archive (counted and the walk stops).
 * Encrypted entries and other methods are skipped and counted.
 *
 *   local file header:  sig 50 4b 03 04 | ver u16 | flags u16 | method u16 | time u16 | date u16 |
 *                       crc32 u32 | csize u32 | usize u32 | nameLen u16 | extraLen u16 | name | extra
 */
import { open } from 'node:fs/promises';
import type { Diagnostics } from '../diagnostics/diagnostics.js';
import { ChunkReader, Shield, type Chunks } from './streams.js';
import { cleanName } from './tar-reader.js';

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_DESCRIPTOR = 0x08074b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
/** central directories larger than this are not read (sizes then come from local headers only) */
const MAX_CD_BYTES = 32 * 1024 * 1024;

export interface ZipEntry {
  name: string;
  size: number | null;
  method: number;
  body: Shield;
}

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** Zip64 extended information extra field (§4.5.3): replaces fields that were 0xffffffff. */
function zip64(extra: Uint8Array, want: { usize: boolean; csize: boolean; offset: boolean }): { usize?: number; csize?: number; offset?: number } {
  const v = dv(extra);
  for (let o = 0; o + 4 <= extra.length; ) {
    const id = v.getUint16(o, true);
    const len = v.getUint16(o + 2, true);
    if (id === 0x0001) {
      const out: { usize?: number; csize?: number; offset?: number } = {};
      let p = o + 4;
      const end = Math.min(o + 4 + len, extra.length);
      for (const k of ['usize', 'csize', 'offset'] as const) {
        if (!want[k]) continue;
        if (p + 8 > end) break;
        out[k] = Number(v.getBigUint64(p, true));
        p += 8;
      }
      return out;
    }
    o += 4 + len;
  }
  return {};
}

/** Local-header offset → compressed size, from the central directory of a ZIP file on disk. */
export async function readCentralSizes(path: string, diag: Diagnostics): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const tailLen = Math.min(size, 22 + 65535 + 20);
    const tail = new Uint8Array(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    const tv = dv(tail);
    let e = -1;
    for (let i = tailLen - 22; i >= 0; i--) if (tv.getUint32(i, true) === SIG_EOCD) { e = i; break; }
    if (e < 0) return out;
    let cdSize = tv.getUint32(e + 12, true);
    let cdOff = tv.getUint32(e + 16, true);
    if ((cdSize === 0xffffffff || cdOff === 0xffffffff) && e >= 20 && tv.getUint32(e - 20, true) === SIG_EOCD64_LOCATOR) {
      const rec = new Uint8Array(56);
      await fh.read(rec, 0, 56, Number(tv.getBigUint64(e - 20 + 8, true)));
      const rv = dv(rec);
      if (rv.getUint32(0, true) === SIG_EOCD64) {
        cdSize = Number(rv.getBigUint64(40, true));
        cdOff = Number(rv.getBigUint64(48, true));
      }
    }
    if (cdSize > MAX_CD_BYTES || cdOff + cdSize > size) {
      diag.add('archive.zip_central_directory', 'anomaly', { detail: `${path}: central directory not usable` });
      return out;
    }
    const cd = new Uint8Array(cdSize);
    await fh.read(cd, 0, cdSize, cdOff);
    const v = dv(cd);
    for (let o = 0; o + 46 <= cd.length && v.getUint32(o, true) === SIG_CENTRAL; ) {
      let csize = v.getUint32(o + 20, true);
      const usize = v.getUint32(o + 24, true);
      const nlen = v.getUint16(o + 28, true);
      const xlen = v.getUint16(o + 30, true);
      const clen = v.getUint16(o + 32, true);
      let off = v.getUint32(o + 42, true);
      const z = zip64(cd.subarray(o + 46 + nlen, o + 46 + nlen + xlen), { usize: usize === 0xffffffff, csize: csize === 0xffffffff, offset: off === 0xffffffff });
      csize = z.csize ?? csize;
      off = z.offset ?? off;
      out.set(off, csize);
      o += 46 + nlen + xlen + clen;
    }
  } finally {
    await fh.close();
  }
  return out;
}

export async function* readZip(src: Chunks, diag: Diagnostics, where: string, cdSizes?: Map<number, number>): AsyncGenerator<ZipEntry> {
  const r = new ChunkReader(src[Symbol.asyncIterator]());
  for (;;) {
    const offset = r.pos;
    const sig = await r.read(4);
    if (sig === null) {
      if (!r.atEnd || offset === 0) diag.add('archive.truncated', 'anomaly', { detail: `${where}: zip ends inside a header` });
      return;
    }
    const s = dv(sig).getUint32(0, true);
    if (s === SIG_CENTRAL || s === SIG_EOCD) return;
    if (s !== SIG_LOCAL) {
      diag.add('archive.zip_bad_signature', 'anomaly', { detail: `${where}: unexpected signature at ${offset}` });
      return;
    }
    const h = await r.read(26);
    if (h === null) {
      diag.add('archive.truncated', 'anomaly', { detail: `${where}: zip ends inside a header` });
      return;
    }
    const v = dv(h);
    const flags = v.getUint16(2, true);
    const method = v.getUint16(4, true);
    let csize = v.getUint32(14, true);
    const usize = v.getUint32(18, true);
    const nameBytes = await r.read(v.getUint16(22, true));
    const extra = await r.read(v.getUint16(24, true));
    if (nameBytes === null || extra === null) {
      diag.add('archive.truncated', 'anomaly', { detail: `${where}: zip ends inside a header` });
      return;
    }
    const z = zip64(extra, { usize: usize === 0xffffffff, csize: csize === 0xffffffff, offset: false });
    csize = z.csize ?? csize;
    const descriptor = (flags & 0x08) !== 0;
    if (descriptor && csize === 0) {
      const known = cdSizes?.get(offset);
      if (known === undefined) {
        diag.add('archive.zip_data_descriptor', 'anomaly', { detail: `${where}: entry sizes only in a data descriptor (nested zip); rest skipped` });
        return;
      }
      csize = known;
    }
    const name = cleanName(new TextDecoder((flags & 0x800) !== 0 ? 'utf-8' : 'latin1').decode(nameBytes), diag, where);
    const body = Shield.of(r.stream(csize));
    const isDir = name.endsWith('/') && csize === 0;
    if ((flags & 0x01) !== 0) diag.add('archive.zip_encrypted', 'anomaly', { detail: `${where}: ${name}` });
    else if (method !== 0 && method !== 8) diag.add('archive.zip_method', 'anomaly', { detail: `${where}: ${name} method ${method}` });
    else if (!isDir) yield { name, size: usize === 0xffffffff ? z.usize ?? null : descriptor && usize === 0 ? null : usize, method, body };
    await body.drain();
    if (descriptor) await skipDescriptor(r);
  }
}

/** Data descriptor after an entry: optional signature, crc32, sizes (4 or 8 bytes each). */
async function skipDescriptor(r: ChunkReader): Promise<void> {
  const first = await r.read(4);
  if (first === null) return;
  const hasSig = dv(first).getUint32(0, true) === SIG_DESCRIPTOR;
  // crc + 2×u32 sizes (Zip64 descriptors with 8-byte sizes are rare in bundles; not handled)
  await r.read(hasSig ? 12 : 8);
}
